-- One row: quiet hours (business time zone), reminder days before due, the owner's number.
create table whatsapp_settings (
    id boolean primary key default true,
    quiet_start time,
    quiet_end time,
    reminder_days integer[] not null default '{3,1}',
    owner_phone text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint whatsapp_settings_single_row check (id)
);

insert into whatsapp_settings (id, quiet_start, quiet_end) values (true, '21:00', '07:00');

select trigger_updated_at('whatsapp_settings');
