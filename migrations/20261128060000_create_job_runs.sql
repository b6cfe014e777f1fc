-- Every run of a scheduled job: when, why (schedule, start-up catch-up, "run now"), how long,
-- and what came of it. Kept 7 days by the retention job.
create table job_runs (
    id bigint generated always as identity primary key,
    job text not null,
    trigger text not null,
    started_at timestamptz not null,
    finished_at timestamptz not null,
    duration_ms bigint not null,
    ok boolean not null,
    summary text not null default '',
    error text,
    constraint job_runs_trigger_check check (trigger in ('schedule', 'start', 'manual'))
);

create index job_runs_job_idx on job_runs (job, id desc);
create index job_runs_started_idx on job_runs (started_at);
