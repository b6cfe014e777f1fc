-- Failures the owner must hear about (issue #18): a scheduled job failing twice in a row, a
-- router command still undelivered after its retries, a subscription not put on its router,
-- a payment paid at the gateway but not applied. Alerts carry their words in both languages:
-- `title`/`message` in Indonesian (the app's default), `title_en`/`message_en` in English.
insert into alert_rules (id, builtin, name, metric, comparison, threshold, duration_seconds, severity) values
    ('018f0000-0000-7000-8000-000000000006', 'job_failing', 'Tugas terjadwal gagal berturut-turut', 'job_failures_in_a_row', 'gte', 2, 0, 'critical'),
    ('018f0000-0000-7000-8000-000000000007', 'router_command_stuck', 'Perintah router tidak terkirim', 'router_commands_stuck', 'gte', 1, 0, 'critical'),
    ('018f0000-0000-7000-8000-000000000008', 'subscription_not_provisioned', 'Langganan belum terpasang di router', 'subscriptions_not_provisioned', 'gte', 1, 0, 'critical'),
    ('018f0000-0000-7000-8000-000000000009', 'payment_unapplied', 'Pembayaran lunas di gateway belum diterapkan', 'payments_unapplied', 'gte', 1, 0, 'critical');

alter table alerts
    add column title_en text not null default '',
    add column message_en text not null default '';
