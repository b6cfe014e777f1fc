-- Append-only money movements of a customer's wallets (the customer's own and one per
-- subscription). A wallet's balance is the sum of its entries and never goes below zero.
create table ledger_entries (
    id bigint generated always as identity primary key,
    customer_id uuid not null references customers (id),
    subscription_id uuid references subscriptions (id),
    account text not null,
    delta bigint not null,
    reason text not null,
    memo text not null default '',
    payment_id uuid references payments (id),
    invoice_id uuid references invoices (id),
    created_by uuid references users (id),
    created_at timestamptz not null,
    updated_at timestamptz not null default now(),
    constraint ledger_entries_account_check check (
        (account = 'customer' and subscription_id is null)
        or (account = 'subscription' and subscription_id is not null)),
    constraint ledger_entries_delta_check check (delta <> 0),
    constraint ledger_entries_reason_check check (reason in (
        'payment_received', 'invoice_payment', 'credit_applied', 'void_reversal',
        'adjustment', 'refund'))
);

create index ledger_entries_customer_idx on ledger_entries (customer_id, id);
create index ledger_entries_subscription_idx on ledger_entries (subscription_id, id);
-- A payment is received into a wallet exactly once.
create unique index ledger_entries_payment_received_key on ledger_entries (payment_id)
    where reason = 'payment_received';

create function ledger_entries_append_only() returns trigger as $$
begin
    raise exception 'ledger entries are append-only'
        using errcode = 'check_violation', constraint = 'ledger_entries_append_only';
end;
$$ language plpgsql;

create trigger ledger_entries_append_only before update or delete on ledger_entries
    for each row execute function ledger_entries_append_only();

-- Which money paid which invoice: a payment or existing credit.
create table allocations (
    id bigint generated always as identity primary key,
    invoice_id uuid not null references invoices (id),
    payment_id uuid references payments (id),
    source text not null,
    amount bigint not null,
    ledger_entry_id bigint not null references ledger_entries (id),
    allocated_at timestamptz not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint allocations_source_check check (
        (source = 'payment' and payment_id is not null) or (source = 'credit')),
    constraint allocations_amount_check check (amount > 0)
);

create index allocations_invoice_id_idx on allocations (invoice_id);

select trigger_updated_at('allocations');
