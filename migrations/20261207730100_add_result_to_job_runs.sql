-- A job run's result as a code and its values (`{"code": "billing", "params": {"issued": 3}}`),
-- which the dashboard words in the owner's language; `summary` stays the English line for the
-- log.
alter table job_runs add column result jsonb;
