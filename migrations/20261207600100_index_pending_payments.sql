-- Two lookups that scanned whole tables, each slower as the shop's history grows:
-- * a payment's confirmation message looks up the allocations of that payment (every payment
--   confirmed scanned every allocation ever made);
-- * the home screen and the tray count pending payments (proofs to review, payments held for
--   review) — now a small partial index instead of a scan of every payment ever received.
create index allocations_payment_id_idx on allocations (payment_id);
create index payments_pending_idx on payments (created_at) where status = 'pending';
