-- Customers of the sample data set (demo mode, the wizard's "fill in sample data"). Their
-- phone numbers look real and may be someone's: no WhatsApp message is ever queued to them.
-- Sample customers added before this flag existed are recognised by both of their marks (the
-- name suffix and the exact note the sample data writes).
alter table customers add column sample boolean not null default false;
update customers set sample = true
 where name like '% (contoh)' and notes = 'Data contoh (sample data): boleh dihapus.';
