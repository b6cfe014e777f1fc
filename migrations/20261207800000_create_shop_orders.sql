-- The online voucher shop (issue #20): buyers choose a voucher profile the owner put on sale,
-- pay through a gateway, and get one voucher per paid order.
--
-- An order is paid by one of its payment attempts (the buyer may switch methods; each attempt
-- is a gateway transaction with its own merchant reference). The voucher is made only once the
-- order is paid: as a one-voucher batch that names the order. A partial unique index allows at
-- most one batch per order that is not `failed`, so however many callbacks, polls and workers
-- deliver at once, one paid order yields one voucher; a failed delivery (the router was down)
-- leaves a failed batch and is tried again.

alter table voucher_profiles add column for_sale boolean not null default false;
select audit_table('voucher_profiles');

alter table business_profile
    add column shop_enabled boolean not null default false,
    -- The router the shop's vouchers are made on.
    add column shop_router_id uuid references routers (id) on delete set null,
    -- A paid order not delivered within this many minutes raises an alert.
    add column shop_alert_minutes integer not null default 15,
    add constraint business_profile_shop_alert_check check (shop_alert_minutes between 1 and 1440);
select audit_table('business_profile');

create table shop_orders (
    id uuid primary key,
    number bigint generated always as identity,
    profile_id uuid not null references voucher_profiles (id),
    router_id uuid not null references routers (id),
    -- The profile's price when the order was made.
    amount bigint not null,
    -- Where the code is sent by WhatsApp (62…), if the buyer gave a number.
    buyer_phone text,
    -- The buyer's link to the order page; only a SHA-256 hash of its token is stored.
    token_hash bytea not null,
    remote_addr text,
    -- open (not paid yet) or paid.
    status text not null default 'open',
    paid_at timestamptz,
    paid_payment_id uuid,
    voucher_id uuid references vouchers (id),
    delivered_at timestamptz,
    delivery_attempts integer not null default 0,
    delivery_error text,
    delivery_error_code text,
    last_delivery_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint shop_orders_number_key unique (number),
    constraint shop_orders_token_hash_key unique (token_hash),
    constraint shop_orders_voucher_key unique (voucher_id),
    constraint shop_orders_amount_check check (amount > 0),
    constraint shop_orders_status_check check (status in ('open', 'paid')),
    constraint shop_orders_paid_check check ((status = 'paid') = (paid_at is not null)),
    constraint shop_orders_delivered_check check ((voucher_id is null) = (delivered_at is null)),
    constraint shop_orders_delivered_paid_check check (voucher_id is null or status = 'paid'),
    constraint shop_orders_phone_check check (buyer_phone is null or buyer_phone ~ '^62[0-9]{7,13}$'),
    constraint shop_orders_error_length check (length(delivery_error) <= 2000)
);

create index shop_orders_undelivered_idx on shop_orders (paid_at) where status = 'paid' and voucher_id is null;
create index shop_orders_created_idx on shop_orders (created_at desc);
create index shop_orders_remote_idx on shop_orders (remote_addr, created_at) where status = 'open';

select trigger_updated_at('shop_orders');
select audit_table('shop_orders');

-- One gateway transaction for an order.
create table shop_payments (
    id uuid primary key,
    order_id uuid not null references shop_orders (id),
    gateway text not null,
    gateway_method text not null,
    merchant_ref text not null,
    gateway_ref text,
    amount bigint not null,
    status text not null default 'pending',
    payment_url text,
    va_number text,
    qr_string text,
    expires_at timestamptz,
    paid_at timestamptz,
    -- What the gateway took, when it differs from the amount (held for review).
    review_amount bigint,
    review_reason text,
    -- The owner dealt with the review (accepted the amount, refused it, or refunded a second
    -- payment), and who.
    reviewed_at timestamptz,
    reviewed_by text,
    last_checked_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint shop_payments_merchant_ref_key unique (merchant_ref),
    constraint shop_payments_amount_check check (amount > 0),
    constraint shop_payments_status_check check (status in ('pending', 'paid', 'failed', 'expired')),
    constraint shop_payments_paid_check check ((status = 'paid') = (paid_at is not null)),
    constraint shop_payments_reason_length check (length(review_reason) <= 2000)
);

create index shop_payments_order_idx on shop_payments (order_id);
create index shop_payments_pending_idx on shop_payments (last_checked_at nulls first, created_at)
    where status = 'pending';

alter table shop_orders add constraint shop_orders_paid_payment_fkey
    foreign key (paid_payment_id) references shop_payments (id);

select trigger_updated_at('shop_payments');
select audit_table('shop_payments');

-- The batch that made an order's voucher.
alter table voucher_batches add column shop_order_id uuid references shop_orders (id);
create unique index voucher_batches_shop_order_key on voucher_batches (shop_order_id)
    where shop_order_id is not null and status <> 'failed';
select audit_table('voucher_batches');

insert into alert_rules (id, builtin, name, metric, comparison, threshold, duration_seconds, severity) values
    ('018f0000-0000-7000-8000-00000000000a', 'shop_orders_undelivered',
     'Voucher online sudah dibayar tetapi belum terkirim', 'shop_orders_undelivered', 'gte', 1, 0,
     'critical');
