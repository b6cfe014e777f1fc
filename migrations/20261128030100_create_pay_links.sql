-- Links customers open to pay an invoice. Only a SHA-256 hash of the token is stored.
create table pay_links (
    id uuid primary key,
    invoice_id uuid not null references invoices (id),
    token_hash bytea not null,
    expires_at timestamptz not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint pay_links_token_hash_key unique (token_hash)
);

create index pay_links_invoice_id_idx on pay_links (invoice_id);

select trigger_updated_at('pay_links');
