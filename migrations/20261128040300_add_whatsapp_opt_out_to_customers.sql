alter table customers add column whatsapp_opt_out boolean not null default false;
