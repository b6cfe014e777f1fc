-- The amount a gateway reported when it differed from the payment (held for review).
alter table payments add column review_amount bigint;
