-- Imports of customers, plans and subscriptions (CSV/XLSX files, a PHPNuxBill dump, a router
-- kept the Mikhmon way): who, when, what file, the mapping chosen, and the outcome of every
-- row, so the report can be opened again. The uploaded rows may hold PPPoE passwords: they
-- are kept sealed with the data key, and only until the import is committed.
create table imports (
    id uuid primary key,
    source text not null,
    file_name text not null default '',
    router_id uuid references routers (id) on delete set null,
    status text not null default 'draft',
    data_enc bytea,
    columns jsonb not null default '[]',
    sample jsonb not null default '[]',
    row_count integer not null default 0,
    mapping jsonb not null default '{}',
    options jsonb not null default '{}',
    totals jsonb,
    results jsonb not null default '[]',
    notes jsonb not null default '[]',
    created_by uuid references users (id),
    created_by_name text not null,
    created_at timestamptz not null,
    dry_run_at timestamptz,
    committed_at timestamptz,
    updated_at timestamptz not null default now(),
    constraint imports_source_check check (source in ('csv', 'xlsx', 'phpnuxbill', 'router')),
    constraint imports_status_check check (status in ('draft', 'committed')),
    constraint imports_committed_check check (status = 'draft' or (committed_at is not null and data_enc is null))
);

create index imports_created_idx on imports (created_at desc);

select trigger_updated_at('imports');
