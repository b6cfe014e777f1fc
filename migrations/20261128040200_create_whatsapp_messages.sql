-- The persistent outgoing queue and delivery log. `idempotency_key` comes from the event
-- (e.g. `payment:<id>:received`), so an event never produces two messages.
create table whatsapp_messages (
    id bigint generated always as identity primary key,
    idempotency_key text not null,
    customer_id uuid references customers (id),
    to_phone text not null,
    template_key text,
    body text not null,
    priority smallint not null default 1,
    status text not null default 'queued',
    attempts integer not null default 0,
    next_attempt_at timestamptz not null,
    session_id uuid references whatsapp_sessions (id),
    provider_message_id text,
    last_error text,
    queued_at timestamptz not null,
    sent_at timestamptz,
    delivered_at timestamptz,
    read_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint whatsapp_messages_idempotency_key_key unique (idempotency_key),
    constraint whatsapp_messages_priority_check check (priority between 0 and 2),
    constraint whatsapp_messages_status_check check (status in
        ('queued', 'sending', 'sent', 'delivered', 'read', 'failed', 'unknown', 'cancelled')),
    constraint whatsapp_messages_to_phone_check check (to_phone ~ '^62[0-9]{8,13}$')
);

create index whatsapp_messages_due_idx on whatsapp_messages (priority, next_attempt_at, id)
    where status = 'queued';
create index whatsapp_messages_provider_id_idx on whatsapp_messages (provider_message_id);

select trigger_updated_at('whatsapp_messages');
