-- Customers of the sample data set (demo mode, the wizard's "fill in sample data"). Their
-- phone numbers look real and may be someone's: no WhatsApp message is ever queued to them.
-- Sample customers added before this flag existed are recognised by both of their marks (the
-- name suffix and the exact note the sample data writes).
alter table customers add column sample boolean not null default false;
update customers set sample = true
 where name like '% (contoh)' and notes = 'Data contoh (sample data): boleh dihapus.';

-- The audit trigger names the audited columns: remade for the new ones.
select audit_table(c.oid::regclass)
  from pg_trigger t join pg_class c on c.oid = t.tgrelid
 where t.tgname = 'audit_row_change' and c.relname in ('customers');
