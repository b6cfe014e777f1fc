-- Local copy of the PPP and hotspot profiles read from each router (profile sync).
create table router_profiles (
    id bigint generated always as identity primary key,
    router_id uuid not null references routers (id) on delete cascade,
    kind text not null,
    name text not null,
    rate_limit text,
    comment text,
    marked boolean not null default false,
    active boolean not null default true,
    synced_at timestamptz not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint router_profiles_router_kind_name_key unique (router_id, kind, name),
    constraint router_profiles_kind_check check (kind in ('ppp', 'hotspot'))
);

select trigger_updated_at('router_profiles');
