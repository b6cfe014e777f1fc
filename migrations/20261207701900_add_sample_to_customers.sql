-- Customers of the sample data set (demo mode, the wizard's "fill in sample data"). Their
-- phone numbers look real and may be someone's: no WhatsApp message is ever queued to them.
alter table customers add column sample boolean not null default false;
