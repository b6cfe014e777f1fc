-- A gateway payment made on the gateway's hosted checkout page (the customer chooses the
-- method there): reused as the invoice's pay link while it is valid and for the same amount.
alter table payments
    add column checkout boolean not null default false;

create index payments_open_checkout_idx on payments (invoice_id, created_at desc)
    where checkout and status = 'pending';

-- The audit trigger names the audited columns: remade for the new one.
select audit_table(c.oid::regclass)
  from pg_trigger t join pg_class c on c.oid = t.tgrelid
 where t.tgname = 'audit_row_change' and c.relname = 'payments';
