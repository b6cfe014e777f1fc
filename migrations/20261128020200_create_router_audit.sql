-- Every write to a router: who asked, what, the state before and after, and the result.
create table router_audit (
    id bigint generated always as identity primary key,
    router_id uuid references routers (id) on delete set null,
    command_id bigint references router_commands (id),
    actor text not null,
    action text not null,
    target text not null,
    reason text,
    before jsonb,
    after jsonb,
    result text not null,
    error text,
    at timestamptz not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint router_audit_result_check check (result in ('ok', 'failed'))
);

create index router_audit_router_at_idx on router_audit (router_id, at desc);

select trigger_updated_at('router_audit');
