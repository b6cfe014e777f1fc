-- Backups: one row per attempt (by the owner or the daily job). The file is
-- `folder/file_name`; `sha256` is the checksum of the whole file when it was written and
-- checked. A backup is `ok` only after it was restored into a scratch database and matched.
create table backups (
    id uuid primary key,
    file_name text not null,
    folder text not null,
    trigger text not null,
    status text not null,
    size_bytes bigint,
    sha256 text,
    server_version text,
    table_count integer,
    row_count bigint,
    dump_ms bigint,
    verify_ms bigint,
    verified_at timestamptz,
    copy_path text,
    copy_error text,
    error text,
    started_at timestamptz not null,
    finished_at timestamptz not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint backups_trigger_check check (trigger in ('manual', 'scheduled')),
    constraint backups_status_check check (status in ('ok', 'failed')),
    constraint backups_ok_file_check
        check (status <> 'ok' or (size_bytes is not null and sha256 is not null))
);

create index backups_started_at_idx on backups (started_at desc);

select trigger_updated_at('backups');
