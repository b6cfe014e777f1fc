create table payments (
    id uuid primary key,
    customer_id uuid not null references customers (id),
    invoice_id uuid references invoices (id),
    method text not null,
    reference text,
    amount bigint not null,
    status text not null,
    paid_at timestamptz,
    recorded_by uuid references users (id),
    note text not null default '',
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint payments_amount_check check (amount > 0),
    constraint payments_status_check check (status in ('pending', 'paid', 'failed', 'expired')),
    constraint payments_paid_at_check check ((status = 'paid') = (paid_at is not null))
);

create unique index payments_method_reference_key on payments (method, reference)
    where reference is not null;
create index payments_customer_id_idx on payments (customer_id);
create index payments_invoice_id_idx on payments (invoice_id);

select trigger_updated_at('payments');

-- A paid payment never changes again.
create function payments_paid_is_terminal() returns trigger as $$
begin
    if old.status = 'paid' and (new.status <> 'paid' or new.amount <> old.amount
        or new.invoice_id is distinct from old.invoice_id) then
        raise exception 'payment % is paid; it cannot change', old.id
            using errcode = 'check_violation', constraint = 'payments_paid_is_terminal';
    end if;
    return new;
end;
$$ language plpgsql;

create trigger payments_paid_is_terminal before update on payments
    for each row execute function payments_paid_is_terminal();
