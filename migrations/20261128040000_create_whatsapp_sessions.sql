-- WhatsApp sender sessions (up to 5): primary ones are used first, backups when they fail.
-- Tokens live in the OS keyring (`whatsapp/<id>/token`), never here.
create table whatsapp_sessions (
    id uuid primary key,
    name text not null,
    provider text not null,
    role text not null default 'primary',
    position integer not null default 0,
    base_url text not null,
    settings jsonb not null default '{}',
    enabled boolean not null default true,
    status text not null default 'unknown',
    last_error text,
    status_changed_at timestamptz,
    per_minute integer not null default 20,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint whatsapp_sessions_name_key unique (name),
    constraint whatsapp_sessions_provider_check
        check (provider in ('meta_cloud', 'fonnte', 'wablas', 'waha', 'gowa')),
    constraint whatsapp_sessions_role_check check (role in ('primary', 'backup')),
    constraint whatsapp_sessions_status_check
        check (status in ('unknown', 'healthy', 'failed', 'pairing')),
    constraint whatsapp_sessions_per_minute_check check (per_minute between 1 and 60000)
);

select trigger_updated_at('whatsapp_sessions');
