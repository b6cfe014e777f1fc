-- The login password is stored encrypted (key in the OS keyring), never in plain text.
create table subscriptions (
    id uuid primary key,
    customer_id uuid not null references customers (id),
    plan_id uuid not null references plans (id) on delete restrict,
    router_id uuid,
    kind text not null,
    login text not null,
    password_enc bytea not null,
    start_on date not null,
    billing_day smallint not null,
    due_days smallint not null,
    grace_days smallint not null,
    status text not null default 'active',
    isolated_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint subscriptions_login_key unique (login),
    constraint subscriptions_kind_check check (kind in ('pppoe', 'hotspot')),
    constraint subscriptions_status_check check (status in ('active', 'isolated', 'terminated')),
    constraint subscriptions_billing_day_check check (billing_day between 1 and 28),
    constraint subscriptions_due_days_check check (due_days between 0 and 60),
    constraint subscriptions_grace_days_check check (grace_days between 0 and 60)
);

create index subscriptions_customer_id_idx on subscriptions (customer_id);
create index subscriptions_plan_id_idx on subscriptions (plan_id);

select trigger_updated_at('subscriptions');
