create table plans (
    id uuid primary key,
    name text not null,
    price bigint not null,
    kind text not null,
    router_profile text not null,
    speed_label text not null default '',
    active boolean not null default true,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint plans_name_key unique (name),
    constraint plans_price_check check (price > 0),
    constraint plans_kind_check check (kind in ('pppoe', 'hotspot'))
);

select trigger_updated_at('plans');
