-- Optional second factor (TOTP, RFC 6238) for owners and admins. The shared secret is
-- sealed with the data key from the OS keyring; it is enabled once a code has been confirmed.
alter table users add column totp_secret bytea;
alter table users add column totp_enabled_at timestamptz;
