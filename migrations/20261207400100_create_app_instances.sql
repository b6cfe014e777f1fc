-- The app instances (installations: one data folder on one PC) that use this database. The
-- instance serving on it holds a session-level advisory lock for as long as it runs; its row
-- says who that is (PC name, data folder, version, since when) and is kept fresh by a
-- heartbeat, so a second instance can be refused with a message naming the first. One row per
-- installation, updated at each start.
create table app_instances (
    id uuid primary key,
    host_name text not null,
    data_dir text not null,
    app_version text not null,
    pid bigint not null,
    -- The server process of the connection that holds the lock (pg_stat_activity.pid).
    backend_pid integer,
    started_at timestamptz not null,
    last_seen_at timestamptz not null,
    stopped_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

select trigger_updated_at('app_instances');
