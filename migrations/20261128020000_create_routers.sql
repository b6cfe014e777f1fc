-- MikroTik routers of the ISP. The API password lives only in the OS keyring
-- (`router-password/<id>`); status columns are refreshed by the status job.
create table routers (
    id uuid primary key,
    name text not null,
    host text not null,
    port integer not null,
    tls boolean not null default false,
    api_user text not null,
    isolation_profile text not null default 'isolir',
    isolation_rate_limit text not null default '256k/256k',
    isolation_address_list text not null default 'isolir',
    status text not null default 'unknown',
    last_seen_at timestamptz,
    identity text,
    version text,
    board text,
    cpu_load integer,
    free_memory bigint,
    uptime text,
    last_error text,
    drift_count integer,
    reconciled_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint routers_name_key unique (name),
    constraint routers_port_check check (port between 1 and 65535),
    constraint routers_status_check check (status in ('unknown', 'online', 'offline'))
);

select trigger_updated_at('routers');
