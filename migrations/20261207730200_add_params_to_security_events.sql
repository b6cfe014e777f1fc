-- The values of a security event (the reason a sign-in was refused, the gateway of a bad
-- signature, …), which the dashboard words in the owner's language; `detail` stays the English
-- line for the log and for rows written before this column.
alter table security_events add column params jsonb not null default '{}'::jsonb;
