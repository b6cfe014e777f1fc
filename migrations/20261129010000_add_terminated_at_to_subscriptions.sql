-- When a subscription was terminated (the "subscribers lost" report counts these per month).
-- Subscriptions terminated before this column existed take their last update as the best guess;
-- the report does the same for any row written without it.
alter table subscriptions add column terminated_at timestamptz;

update subscriptions set terminated_at = updated_at where status = 'terminated';
