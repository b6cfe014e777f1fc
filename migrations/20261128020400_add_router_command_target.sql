-- A command names its router and login (a secret can outlive its subscription's link to
-- the router), who asked and why. Per-subscription order is kept by id.
alter table router_commands
    alter column subscription_id drop not null,
    add column router_id uuid references routers (id) on delete cascade,
    add column login text,
    add column created_by text not null default 'system',
    add column reason text,
    add constraint router_commands_target_check
        check (subscription_id is not null or (router_id is not null and login is not null));

create index router_commands_subscription_pending_idx on router_commands (subscription_id, id)
    where status = 'pending';
