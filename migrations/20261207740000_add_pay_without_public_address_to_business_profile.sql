-- The shop's choice for customers' pay links when it has no public address (carrier-grade NAT,
-- no tunnel): the gateway's own hosted checkout page, created per invoice, with payments
-- confirmed by the status poller instead of callbacks.
alter table business_profile
    add column pay_without_public_address boolean not null default false;

-- The audit trigger names the audited columns: remade for the new one.
select audit_table(c.oid::regclass)
  from pg_trigger t join pg_class c on c.oid = t.tgrelid
 where t.tgname = 'audit_row_change' and c.relname = 'business_profile';
