-- Refresh tokens are stored only as SHA-256 hashes. Rotation links a token to its successor;
-- presenting an already-rotated token revokes its whole family (token theft detection).
create table refresh_tokens (
    id uuid primary key,
    user_id uuid not null references users (id) on delete cascade,
    family_id uuid not null,
    token_hash bytea not null,
    expires_at timestamptz not null,
    revoked_at timestamptz,
    replaced_by uuid references refresh_tokens (id),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint refresh_tokens_token_hash_key unique (token_hash)
);

create index refresh_tokens_family_id_idx on refresh_tokens (family_id);
create index refresh_tokens_user_id_idx on refresh_tokens (user_id);

select trigger_updated_at('refresh_tokens');
