-- Self-hosted gateways on the same PC can take far more than 600 messages a minute.
alter table whatsapp_sessions drop constraint whatsapp_sessions_per_minute_check;
alter table whatsapp_sessions add constraint whatsapp_sessions_per_minute_check
    check (per_minute between 1 and 600000);
