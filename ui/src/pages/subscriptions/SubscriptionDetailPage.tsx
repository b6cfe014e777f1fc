import { Anchor, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { FailureText } from '../../components/FailureText';
import { Field, FieldRow } from '../../components/Field';
import { FormError } from '../../components/FormError';
import { LoadState } from '../../components/LoadState';
import { PageHeader } from '../../components/PageHeader';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDate, formatDateTime } from '../../lib/dates';
import { formatRupiah } from '../../lib/money';
import { useInvalidate } from '../../lib/queryClient';
import { keys } from '../../lib/queryKeys';
import { InvoiceTable } from '../invoices/InvoiceTable';
import { RenewButton } from './RenewButton';

/** One subscription: status, terms, balance, its invoices and "Terbitkan tagihan berikutnya". */
export function SubscriptionDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const invalidate = useInvalidate();
  const sub = useQuery({
    queryKey: keys.subscriptions.detail(id),
    queryFn: () => unwrap(api.GET('/api/subscriptions/{id}', { params: { path: { id } } })),
  });
  const invoiceQuery = { subscription_id: id, limit: 200 };
  const invoices = useQuery({
    queryKey: keys.invoices.list(invoiceQuery),
    queryFn: () => unwrap(api.GET('/api/invoices', { params: { query: invoiceQuery } })),
  });

  const retry = useMutation({
    mutationFn: () => unwrap(api.POST('/api/subscriptions/{id}/retry-provisioning', { params: { path: { id } } })),
    onSuccess: () => {
      notifications.show({ color: 'green', message: t('subscriptions.retried') });
      void invalidate(keys.subscriptions.all, keys.pppoe.all);
    },
  });
  const busy = retry.isPending;
  const error = retry.error;

  return (
    <LoadState state={sub}>
      {(s) => (
        <Stack gap="lg">
          <PageHeader
            title={s.login}
            back={{ to: '/subscriptions', label: t('nav.subscriptions') }}
            actions={
              <RenewButton id={id} disabled={s.status === 'terminated'} onOpen={() => retry.reset()} />
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
                <Button variant="light" onClick={() => retry.mutate()} loading={busy} data-testid="provisioning-retry" style={{ flexShrink: 0 }}>
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
