-- Proofs of manual bank transfers uploaded by customers on the pay page, for a cashier to
-- confirm or reject.
create table payment_proofs (
    payment_id uuid primary key references payments (id),
    content_type text not null,
    image bytea not null,
    payer_name text not null,
    reviewed_by uuid references users (id),
    reviewed_at timestamptz,
    rejected_reason text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint payment_proofs_content_type_check
        check (content_type in ('image/png', 'image/jpeg', 'image/webp')),
    constraint payment_proofs_size_check check (octet_length(image) <= 3145728)
);

select trigger_updated_at('payment_proofs');
