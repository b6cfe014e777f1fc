-- Gateway payments: our unique order id (merchant_ref), the gateway's reference, and what
-- the customer needs to pay (redirect URL, virtual account number or QRIS string).
alter table payments
    add column gateway_method text,
    add column merchant_ref text,
    add column gateway_ref text,
    add column payment_url text,
    add column va_number text,
    add column qr_string text,
    add column expires_at timestamptz,
    add column last_checked_at timestamptz,
    add column review_reason text,
    add constraint payments_merchant_ref_key unique (merchant_ref);

create index payments_pending_gateway_idx on payments (last_checked_at)
    where status = 'pending' and merchant_ref is not null;
