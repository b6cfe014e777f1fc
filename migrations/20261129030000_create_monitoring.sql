-- Monitoring: alert rules and the alerts they raised, router samples for the charts, and the
-- owner's retention periods and notification choices.

-- One row: how long things are kept (seed §9) and what the owner is told on WhatsApp.
create table monitoring_settings (
    id boolean primary key default true,
    keep_notifications_days integer not null default 30,
    keep_activity_days integer not null default 365,
    keep_temp_files_days integer not null default 7,
    keep_expired_vouchers_days integer not null default 365,
    keep_sessions_hours integer not null default 24,
    keep_performance_days integer not null default 7,
    alerts_whatsapp boolean not null default true,
    retention_report_whatsapp boolean not null default false,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint monitoring_settings_single_row check (id),
    constraint monitoring_settings_notifications_check check (keep_notifications_days between 7 and 3650),
    constraint monitoring_settings_activity_check check (keep_activity_days between 90 and 3650),
    constraint monitoring_settings_temp_check check (keep_temp_files_days between 1 and 365),
    constraint monitoring_settings_vouchers_check check (keep_expired_vouchers_days between 30 and 3650),
    constraint monitoring_settings_sessions_check check (keep_sessions_hours between 1 and 720),
    constraint monitoring_settings_performance_check check (keep_performance_days between 1 and 90)
);

insert into monitoring_settings (id) values (true);

select trigger_updated_at('monitoring_settings');

-- A rule: "metric compared with threshold, for at least duration" raises an alert (one per
-- subject, e.g. per router). Built-in rules (`builtin` set) cannot be deleted, only disabled.
create table alert_rules (
    id uuid primary key,
    builtin text,
    name text not null,
    metric text not null,
    comparison text not null,
    threshold double precision not null,
    duration_seconds integer not null default 0,
    severity text not null,
    enabled boolean not null default true,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint alert_rules_builtin_key unique (builtin),
    constraint alert_rules_comparison_check check (comparison in ('gt', 'gte', 'lt', 'lte', 'eq', 'ne')),
    constraint alert_rules_severity_check check (severity in ('info', 'warning', 'critical')),
    constraint alert_rules_duration_check check (duration_seconds between 0 and 604800)
);

select trigger_updated_at('alert_rules');

insert into alert_rules (id, builtin, name, metric, comparison, threshold, duration_seconds, severity) values
    ('018f0000-0000-7000-8000-000000000001', 'router_offline', 'Router offline', 'router_offline', 'gte', 1, 300, 'critical'),
    ('018f0000-0000-7000-8000-000000000002', 'whatsapp_session_down', 'WhatsApp session down', 'whatsapp_session_down', 'gte', 1, 600, 'warning'),
    ('018f0000-0000-7000-8000-000000000003', 'payment_failures', 'Payment failures', 'payment_failures_1h', 'gte', 5, 0, 'warning'),
    ('018f0000-0000-7000-8000-000000000004', 'disk_low', 'Disk space low', 'disk_free_percent', 'lt', 10, 0, 'critical'),
    ('018f0000-0000-7000-8000-000000000005', 'backup_failed', 'Backup failed', 'backup_failed', 'gte', 1, 0, 'critical');

-- Where a condition started to hold, per rule and subject (the "for at least" clock).
create table alert_pending (
    rule_id uuid not null references alert_rules (id) on delete cascade,
    subject text not null,
    since timestamptz not null,
    primary key (rule_id, subject)
);

-- Alerts raised: active while `cleared_at` is null; past ones are kept for the history.
create table alerts (
    id uuid primary key,
    rule_id uuid references alert_rules (id) on delete set null,
    metric text not null,
    subject text not null,
    subject_name text not null,
    severity text not null,
    title text not null,
    message text not null,
    value double precision not null,
    threshold double precision not null,
    raised_at timestamptz not null,
    cleared_at timestamptz,
    constraint alerts_severity_check check (severity in ('info', 'warning', 'critical'))
);

create unique index alerts_active_key on alerts (rule_id, subject) where cleared_at is null;
create index alerts_raised_idx on alerts (raised_at desc);

-- Router charts: one row a minute per router, and the interface counters at that moment
-- (bits per second come from two consecutive rows). Kept 7 days by the retention job.
create table router_samples (
    id bigint generated always as identity primary key,
    router_id uuid not null references routers (id) on delete cascade,
    at timestamptz not null,
    cpu_load integer not null,
    memory_used_percent double precision not null,
    hotspot_active integer not null,
    pppoe_active integer not null
);

create index router_samples_router_idx on router_samples (router_id, at);
create index router_samples_at_idx on router_samples (at);

create table router_interface_samples (
    sample_id bigint not null references router_samples (id) on delete cascade,
    interface text not null,
    rx_byte bigint not null,
    tx_byte bigint not null,
    rx_bps bigint,
    tx_bps bigint,
    primary key (sample_id, interface)
);

-- Recovery on the health page: since when a router is in its status, when it last came back.
alter table routers add column status_since timestamptz, add column recovered_at timestamptz;
