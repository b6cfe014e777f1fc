-- The customer page (`/portal`, issue #20): a subscriber signs in with their phone (or their
-- login) and a 6-digit code sent by WhatsApp or given by staff; only a SHA-256 hash of each code
-- and of each session token is stored.

create table portal_codes (
    id uuid primary key,
    -- The customer's phone (62…): the portal shows every customer with this number.
    phone text not null,
    code_hash bytea not null,
    -- `whatsapp`, or the staff member who gave it.
    issued_by text not null,
    remote_addr text,
    attempts integer not null default 0,
    expires_at timestamptz not null,
    used_at timestamptz,
    created_at timestamptz not null default now(),
    constraint portal_codes_phone_check check (phone ~ '^62[0-9]{7,13}$'),
    constraint portal_codes_attempts_check check (attempts between 0 and 100)
);

create index portal_codes_phone_idx on portal_codes (phone, created_at desc);
create index portal_codes_addr_idx on portal_codes (remote_addr, created_at desc);

create table portal_sessions (
    id uuid primary key,
    token_hash bytea not null,
    phone text not null,
    -- Sent back by every form of the page (with the SameSite=Strict cookie).
    csrf text not null,
    remote_addr text,
    expires_at timestamptz not null,
    created_at timestamptz not null default now(),
    constraint portal_sessions_token_key unique (token_hash)
);

create index portal_sessions_expires_idx on portal_sessions (expires_at);
