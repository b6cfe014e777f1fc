-- The client's user agent on security events (seed §8), where the request had one.
alter table security_events add column user_agent text,
    add constraint security_events_user_agent_length check (char_length(user_agent) <= 200);
