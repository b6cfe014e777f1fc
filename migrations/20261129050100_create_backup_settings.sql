-- One row: where backups go (null = DATA_DIR/backups), an optional second folder each
-- backup is copied to (a USB disk, a synced folder), how many are kept, and the daily time
-- in the business time zone. The daily backup counts from `scheduled_since` (set by the app
-- when it first looks at the schedule and when the schedule changes), so a new installation
-- or a new time does not trigger a backup at once.
create table backup_settings (
    id boolean primary key default true,
    folder text,
    copy_folder text,
    keep integer not null default 14,
    daily_time time not null default '01:30',
    daily_enabled boolean not null default true,
    scheduled_since timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint backup_settings_single_row check (id),
    constraint backup_settings_keep_check check (keep between 1 and 365)
);

insert into backup_settings (id) values (true);

select trigger_updated_at('backup_settings');
