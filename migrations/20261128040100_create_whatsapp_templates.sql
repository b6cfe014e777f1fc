-- Editable message templates (the Indonesian defaults are used until one is edited).
create table whatsapp_templates (
    key text primary key,
    body text not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

select trigger_updated_at('whatsapp_templates');
