-- The ISP profile's time zone and currency, chosen in the first-run wizard or in
-- Settings -> profile.
-- timezone: an IANA name; null means "as settings.toml says" (business.timezone). It is read
-- at start-up (the running process keeps one zone for its dates, schedules and reports).
-- currency: ISO 4217; only IDR can be billed (whole rupiah, every gateway settles in IDR).
alter table business_profile
    add column timezone text,
    add column currency text not null default 'IDR',
    add constraint business_profile_currency_check check (currency ~ '^[A-Z]{3}$');
