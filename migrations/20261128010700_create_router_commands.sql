-- Outbox of router writes (isolate / restore a subscription). Written in the same
-- transaction as the status change, delivered afterwards, retried until done.
create table router_commands (
    id bigint generated always as identity primary key,
    subscription_id uuid not null references subscriptions (id),
    action text not null,
    status text not null default 'pending',
    attempts integer not null default 0,
    last_error text,
    next_attempt_at timestamptz not null,
    done_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint router_commands_action_check check (action in ('isolate', 'restore')),
    constraint router_commands_status_check check (status in ('pending', 'done'))
);

create index router_commands_pending_idx on router_commands (next_attempt_at)
    where status = 'pending';

select trigger_updated_at('router_commands');
