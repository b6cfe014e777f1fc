-- The values a message was rendered with, so that outside Meta's 24-hour window the same
-- message can go out as an approved template with these parameters.
alter table whatsapp_messages add column vars jsonb;
