create table invoice_counters (
    series text primary key,
    last_value integer not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

select trigger_updated_at('invoice_counters');

-- One invoice per subscription and period (the idempotency key of generation).
-- `paid` is the sum of allocations and can never exceed `total`.
create table invoices (
    id uuid primary key,
    number text not null,
    customer_id uuid not null references customers (id),
    subscription_id uuid not null references subscriptions (id),
    period_start date not null,
    period_end date not null,
    issued_on date not null,
    due_on date not null,
    -- The oldest due date of the debt on this invoice (its own, or of arrears carried into it).
    overdue_from date not null,
    status text not null,
    total bigint not null default 0,
    paid bigint not null default 0,
    void_reason text,
    voided_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint invoices_number_key unique (number),
    constraint invoices_subscription_period_key unique (subscription_id, period_start),
    constraint invoices_status_check
        check (status in ('unpaid', 'partial', 'paid', 'carried_over', 'void')),
    constraint invoices_total_check check (total >= 0),
    constraint invoices_paid_check check (paid >= 0 and paid <= total)
);

create index invoices_customer_id_idx on invoices (customer_id);
create index invoices_open_idx on invoices (subscription_id) where status in ('unpaid', 'partial');

select trigger_updated_at('invoices');

create table invoice_lines (
    id bigint generated always as identity primary key,
    invoice_id uuid not null references invoices (id),
    kind text not null,
    description text not null,
    amount bigint not null,
    source_invoice_id uuid references invoices (id),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint invoice_lines_kind_check
        check (kind in ('plan_fee', 'prorated_fee', 'arrears', 'discount', 'tax'))
);

create index invoice_lines_invoice_id_idx on invoice_lines (invoice_id);

select trigger_updated_at('invoice_lines');

-- What was still owed on an invoice when the next one was issued, and where it went.
create table carry_overs (
    id uuid primary key,
    source_invoice_id uuid not null references invoices (id),
    dest_invoice_id uuid not null references invoices (id),
    amount bigint not null,
    reversed_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint carry_overs_amount_check check (amount > 0)
);

create unique index carry_overs_source_active_key on carry_overs (source_invoice_id)
    where reversed_at is null;

select trigger_updated_at('carry_overs');
