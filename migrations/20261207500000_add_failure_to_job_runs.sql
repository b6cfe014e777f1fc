-- A failed run says what kind of failure it was (billing_app::failure): a stable code and
-- its category (critical, high, medium, low); the words for the owner are made from the code.
alter table job_runs
    add column error_code text,
    add column error_category text,
    add constraint job_runs_error_category_check
        check (error_category in ('critical', 'high', 'medium', 'low'));
