-- Security log: rejected webhooks (bad signatures), held payments, and the like.
create table security_events (
    id bigint generated always as identity primary key,
    kind text not null,
    detail text not null,
    remote_addr text,
    occurred_at timestamptz not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

create index security_events_occurred_at_idx on security_events (occurred_at desc);

select trigger_updated_at('security_events');
