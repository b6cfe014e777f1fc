create table customers (
    id uuid primary key,
    name text not null,
    phone text not null,
    address text not null default '',
    notes text not null default '',
    status text not null default 'active',
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint customers_status_check check (status in ('active', 'inactive')),
    constraint customers_phone_check check (phone ~ '^628[0-9]{8,11}$')
);

create index customers_name_idx on customers (lower(name) text_pattern_ops);
create index customers_phone_idx on customers (phone text_pattern_ops);

select trigger_updated_at('customers');
