-- Each PPPoE user as the router monitor sees them (seed §6 trackUser): the first connection
-- ever seen, the last time seen online, and whether they are online now, with the current
-- session's address, caller id (the modem's MAC) and start. Its own table, written each
-- sampling round, so the audited subscriptions table is not rewritten every minute.
create table pppoe_presence (
    subscription_id uuid primary key references subscriptions (id) on delete cascade,
    router_id uuid references routers (id) on delete set null,
    first_login_at timestamptz not null,
    last_seen_at timestamptz not null,
    online boolean not null,
    address text,
    caller_id text,
    connected_since timestamptz
);

create index pppoe_presence_router_online on pppoe_presence (router_id) where online;
