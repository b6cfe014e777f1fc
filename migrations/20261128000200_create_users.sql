create table users (
    id uuid primary key,
    username text not null,
    password_hash text not null,
    role text not null,
    disabled_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint users_username_key unique (username),
    constraint users_role_check check (role in ('owner'))
);

select trigger_updated_at('users');
