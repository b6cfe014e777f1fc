-- A gateway payment confirmed for another amount than was asked (an open-amount VA, a bank
-- transfer to a VA of another sum): with `accept_gateway_amount` on (the default) it is
-- applied for what the gateway took (less: the invoice is partly paid and the rest is
-- carried over; more: the excess is credit), else it is held for a cashier.
alter table business_profile
    add column accept_gateway_amount boolean not null default true;

-- What the payment asked for, when the gateway took another amount (`amount` is what came in).
alter table payments
    add column requested_amount bigint,
    add constraint payments_requested_amount_check check (requested_amount is null or requested_amount > 0);

-- The audit trigger names the audited columns: remade for the new ones.
select audit_table(c.oid::regclass)
  from pg_trigger t join pg_class c on c.oid = t.tgrelid
 where t.tgname = 'audit_row_change' and c.relname in ('business_profile', 'payments');
