-- The security log names the account involved (when known).
alter table security_events add column username text;
create index security_events_kind_idx on security_events (kind, occurred_at desc);
