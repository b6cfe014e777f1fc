import { Anchor, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client';
import { asApiError, unwrap } from '../../api/errors';
import type { ApiError } from '../../api/errors';
import { FailureText } from '../../components/FailureText';
import { Field, FieldRow } from '../../components/Field';
import { FormError } from '../../components/FormError';
import { LoadState } from '../../components/LoadState';
import { PageHeader } from '../../components/PageHeader';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDate, formatDateTime } from '../../lib/dates';
import { formatRupiah } from '../../lib/money';
import { useApi } from '../../lib/useApi';
import { InvoiceTable } from '../invoices/InvoiceTable';

/** One subscription: status, terms, balance, its invoices and "Terbitkan tagihan berikutnya". */
export function SubscriptionDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const sub = useApi(() => unwrap(api.GET('/api/subscriptions/{id}', { params: { path: { id } } })), [id]);
  const invoices = useApi(
    () => unwrap(api.GET('/api/invoices', { params: { query: { subscription_id: id, limit: 200 } } })),
    [id],
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const renew = async () => {
    setBusy(true);
    setError(null);
    try {
      const invoice = await unwrap(api.POST('/api/subscriptions/{id}/renew', { params: { path: { id } } }));
      notifications.show({ color: 'green', message: t('subscriptions.renewed', { number: invoice.number }) });
      invoices.reload();
      sub.reload();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  const retry = async () => {
    setBusy(true);
    setError(null);
    try {
      await unwrap(api.POST('/api/subscriptions/{id}/retry-provisioning', { params: { path: { id } } }));
      notifications.show({ color: 'green', message: t('subscriptions.retried') });
      sub.reload();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <LoadState state={sub}>
      {(s) => (
        <Stack gap="lg">
          <PageHeader
            title={s.login}
            back={{ to: '/subscriptions', label: t('nav.subscriptions') }}
            actions={
              <Button onClick={() => void renew()} loading={busy} disabled={s.status === 'terminated'}>
                {t('subscriptions.renew')}
              </Button>
            }
          >
            <StatusBadge kind="subscription" status={s.status} testId="subscription-status" />
          </PageHeader>
          <FormError error={error} />
          <Card withBorder>
            <FieldRow>
              <Field label={t('subscriptions.customer')}>
                <Anchor component={Link} to={`/customers/${s.customer_id}`}>
                  {s.customer_name}
                </Anchor>
              </Field>
              <Field label={t('subscriptions.plan')}>
                {s.plan_name} ({formatRupiah(s.price)})
              </Field>
              <Field label={t('plans.kind')}>{s.kind === 'pppoe' ? t('plans.kind_pppoe') : t('plans.kind_hotspot')}</Field>
              <Field label={t('subscriptions.start_on')}>{formatDate(s.start_on)}</Field>
              <Field label={t('subscriptions.billing_day')}>{s.billing_day}</Field>
              <Field label={t('subscriptions.due_days')}>{s.due_days}</Field>
              <Field label={t('subscriptions.grace_days')}>{s.grace_days}</Field>
              <Field label={t('balance.balance')} testId="subscription-balance">
                {formatRupiah(s.balance)}
              </Field>
            </FieldRow>
          </Card>
          <Card withBorder data-testid="subscription-provisioning">
            <Group justify="space-between" align="flex-start" wrap="nowrap">
              <Stack gap={4} style={{ flex: 1, minWidth: 0 }}>
                <Group gap="xs">
                  <Text fw={500}>{t('subscriptions.provisioning_title')}</Text>
                  {s.router_name && <Text c="dimmed">{s.router_name}</Text>}
                  <StatusBadge kind="provisioning" status={s.provisioning.state} testId="provisioning-state" />
                </Group>
                {s.provisioning.since && (
                  <Text size="xs" c="dimmed">
                    {t('subscriptions.provisioning_since', { time: formatDateTime(s.provisioning.since) })}
                    {s.provisioning.attempts > 0 && ` · ${t('subscriptions.provisioning_attempts', { count: s.provisioning.attempts })}`}
                  </Text>
                )}
                {s.provisioning.failure && <FailureText failure={s.provisioning.failure} testId="provisioning-failure" />}
              </Stack>
              {(s.provisioning.state === 'failed' || s.provisioning.state === 'pending') && (
                <Button variant="light" onClick={() => void retry()} loading={busy} data-testid="provisioning-retry" style={{ flexShrink: 0 }}>
                  {t('subscriptions.retry')}
                </Button>
              )}
            </Group>
          </Card>
          <Stack gap="xs">
            <Title order={3} size="h4">
              {t('nav.invoices')}
            </Title>
            <LoadState state={invoices}>{(list) => <InvoiceTable items={list.items} />}</LoadState>
          </Stack>
        </Stack>
      )}
    </LoadState>
  );
}
