-- The time step of the last one-time code accepted for each user: a code (or an older one)
-- is accepted once, so a code seen over someone's shoulder cannot be used again.
alter table users add column totp_last_step bigint;
