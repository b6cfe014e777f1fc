-- When the public address last proved to reach this app's public listener, and which address
-- that was: the setup checklist counts the address as done only while the checked one is
-- still the one in use (changing the address clears it).
alter table business_profile
    add column public_base_url_checked_at timestamptz,
    add column public_base_url_checked text;

-- The audit trigger names the audited columns: remade for the new ones.
select audit_table(c.oid::regclass)
  from pg_trigger t join pg_class c on c.oid = t.tgrelid
 where t.tgname = 'audit_row_change' and c.relname = 'business_profile';
