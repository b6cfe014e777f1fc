-- Indexes for the dashboard home and the reports (p95 <= 100 ms at 10,000 customers and
-- 120,000 invoices): money received by time, open invoices by due date, terminations by time.
create index payments_paid_at_idx on payments (paid_at) include (amount, method)
    where status = 'paid';

create index invoices_open_due_idx on invoices (overdue_from)
    include (due_on, total, paid, customer_id, subscription_id)
    where status in ('unpaid', 'partial');

create index subscriptions_terminated_at_idx on subscriptions (terminated_at)
    where terminated_at is not null;

create index voucher_batches_reseller_completed_idx on voucher_batches (completed_at)
    where reseller_id is not null and status = 'ready';

create index subscriptions_router_active_idx on subscriptions (router_id)
    where status = 'active';
