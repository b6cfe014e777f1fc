-- Every login attempt, failed or not (the security log of a later issue reads from here).
create table login_attempts (
    id bigint generated always as identity primary key,
    username text not null,
    user_id uuid references users (id) on delete set null,
    succeeded boolean not null,
    reason text,
    remote_addr text,
    attempted_at timestamptz not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

create index login_attempts_username_idx on login_attempts (username, attempted_at desc);

select trigger_updated_at('login_attempts');
