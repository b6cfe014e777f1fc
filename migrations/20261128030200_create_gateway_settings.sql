-- Per-gateway configuration. Keys live in the OS keyring, never here.
create table gateway_settings (
    gateway text primary key,
    enabled boolean not null default false,
    environment text not null default 'sandbox',
    merchant_code text not null default '',
    base_url text,
    show_fee boolean not null default true,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint gateway_settings_environment_check
        check (environment in ('sandbox', 'production'))
);

select trigger_updated_at('gateway_settings');

alter table business_profile add column public_base_url text;
