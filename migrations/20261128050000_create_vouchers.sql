-- Hotspot vouchers: profiles (kept on every router as hotspot user profiles), resellers with
-- an append-only deposit ledger, batches (who made them, how, with what result) and the
-- vouchers themselves (one hotspot user each).

alter table users drop constraint users_role_check;
alter table users add constraint users_role_check check (role in ('owner', 'reseller'));

create table voucher_profiles (
    id uuid primary key,
    name text not null,
    -- The hotspot user profile on the routers (`/ip/hotspot/user/profile`).
    router_profile text not null,
    price bigint not null,
    -- Calendar validity counted from the first login (enforced on the router by a scheduler).
    validity_secs bigint,
    -- Online time allowed (`limit-uptime`).
    uptime_limit_secs bigint,
    -- Data allowed, upload plus download (`limit-bytes-total`).
    quota_bytes bigint,
    rate_limit text not null default '',
    shared_users integer not null default 1,
    active boolean not null default true,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint voucher_profiles_name_key unique (name),
    constraint voucher_profiles_router_profile_key unique (router_profile),
    constraint voucher_profiles_price_check check (price >= 0),
    constraint voucher_profiles_validity_check check (validity_secs is null or validity_secs > 0),
    constraint voucher_profiles_uptime_check check (uptime_limit_secs is null or uptime_limit_secs > 0),
    constraint voucher_profiles_quota_check check (quota_bytes is null or quota_bytes > 0),
    constraint voucher_profiles_shared_check check (shared_users between 1 and 100)
);

select trigger_updated_at('voucher_profiles');

-- When each profile was last written to each router, and what went wrong.
create table voucher_profile_routers (
    profile_id uuid not null references voucher_profiles (id) on delete cascade,
    router_id uuid not null references routers (id) on delete cascade,
    synced_at timestamptz,
    error text,
    primary key (profile_id, router_id)
);

create table resellers (
    id uuid primary key,
    user_id uuid not null references users (id),
    name text not null,
    phone text,
    -- The reseller's share of the voucher price, in basis points (1000 = 10 %).
    commission_bp integer not null default 0,
    active boolean not null default true,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint resellers_user_key unique (user_id),
    constraint resellers_name_key unique (name),
    constraint resellers_commission_check check (commission_bp between 0 and 10000)
);

select trigger_updated_at('resellers');

-- The deposit of each reseller: append-only; each row carries the balance after it.
create table reseller_ledger (
    id bigint generated always as identity primary key,
    reseller_id uuid not null references resellers (id),
    kind text not null,
    amount bigint not null,
    balance_after bigint not null,
    batch_id uuid,
    note text not null default '',
    created_by text not null,
    created_at timestamptz not null default now(),
    constraint reseller_ledger_kind_check check (kind in ('deposit', 'withdrawal', 'stock', 'refund')),
    constraint reseller_ledger_amount_check check (amount <> 0),
    constraint reseller_ledger_balance_check check (balance_after >= 0)
);

create index reseller_ledger_reseller_idx on reseller_ledger (reseller_id, id);

create function reseller_ledger_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'reseller_ledger is append-only';
end $$;

create trigger reseller_ledger_no_update before update or delete on reseller_ledger
    for each row execute function reseller_ledger_append_only();

create table voucher_batches (
    id uuid primary key,
    number bigint generated always as identity,
    profile_id uuid not null references voucher_profiles (id),
    router_id uuid not null references routers (id),
    reseller_id uuid references resellers (id),
    count integer not null,
    code_length integer not null,
    charset text not null,
    prefix text not null default '',
    separate_password boolean not null default false,
    -- What one voucher sells for, and what the shop receives for it (less for resellers).
    price bigint not null,
    base_price bigint not null,
    status text not null default 'creating',
    error text,
    -- The voucher (1-based) that failed, when the batch failed on the router.
    failed_at integer,
    -- Users may still be on the router after a failed batch (removal pending).
    cleanup_pending boolean not null default false,
    created_by uuid references users (id),
    created_by_name text not null,
    created_at timestamptz not null default now(),
    completed_at timestamptz,
    constraint voucher_batches_number_key unique (number),
    constraint voucher_batches_count_check check (count between 1 and 10000),
    constraint voucher_batches_length_check check (code_length between 4 and 16),
    constraint voucher_batches_charset_check check (charset in ('digits', 'letters', 'mixed', 'mixed_case')),
    constraint voucher_batches_status_check check (status in ('creating', 'ready', 'failed')),
    constraint voucher_batches_price_check check (price >= 0 and base_price >= 0 and base_price <= price)
);

create index voucher_batches_created_idx on voucher_batches (created_at desc);

create table vouchers (
    id uuid primary key,
    batch_id uuid not null references voucher_batches (id),
    seq integer not null,
    code text not null,
    -- Sealed with the data key when the password differs from the code.
    password bytea,
    profile_id uuid not null references voucher_profiles (id),
    router_id uuid not null references routers (id),
    reseller_id uuid references resellers (id),
    status text not null default 'unused',
    router_user_id text,
    first_login_at timestamptz,
    expires_at timestamptz,
    uptime_secs bigint not null default 0,
    bytes_in bigint not null default 0,
    bytes_out bigint not null default 0,
    last_seen_at timestamptz,
    ended_at timestamptz,
    end_reason text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint vouchers_code_key unique (code),
    constraint vouchers_batch_seq_key unique (batch_id, seq),
    constraint vouchers_status_check check (status in ('unused', 'active', 'disabled', 'expired', 'removed'))
);

create index vouchers_router_open_idx on vouchers (router_id) where status in ('unused', 'active', 'disabled');
create index vouchers_status_idx on vouchers (status);
create index vouchers_profile_idx on vouchers (profile_id);
create index vouchers_reseller_idx on vouchers (reseller_id) where reseller_id is not null;
create index vouchers_first_login_idx on vouchers (first_login_at) where first_login_at is not null;

select trigger_updated_at('vouchers');

-- Print templates the owner edited (the built-in ones live in the binary).
create table voucher_print_templates (
    kind text primary key,
    html text not null,
    updated_at timestamptz not null default now(),
    constraint voucher_print_templates_kind_check check (kind in ('default', 'small', 'thermal58'))
);

-- The hotspot login address the QR codes carry (e.g. http://hotspot.lan/login).
alter table business_profile add column hotspot_login_url text not null default 'http://hotspot.lan/login';
