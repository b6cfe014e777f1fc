-- What each run of the retention job removed and the periods it kept (seed §9): the newest
-- is shown on the health page (the same report goes to the owner's WhatsApp when asked).
create table retention_reports (
    id bigint generated always as identity primary key,
    ran_at timestamptz not null,
    -- Rows (files) removed per kind of data, the parts that failed, and the periods used.
    report jsonb not null,
    periods jsonb not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

create index retention_reports_ran_at_idx on retention_reports (ran_at desc);

select trigger_updated_at('retention_reports');
