import { Button, Card, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { customerQuery } from '../../api/queries';
import { Field, FieldRow } from '../../components/Field';
import { LoadState } from '../../components/LoadState';
import { PageHeader } from '../../components/PageHeader';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDateTime } from '../../lib/dates';
import { formatRupiah } from '../../lib/money';
import { SubscriptionTable } from '../subscriptions/SubscriptionTable';
import { CustomerBalance } from './CustomerBalance';
import { CustomerFormModal } from './CustomerFormModal';

/** One customer: data (editable), subscriptions, balance and its history. */
export function CustomerDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const [editing, setEditing] = useState(false);
  const customer = useQuery(customerQuery(id));

  return (
    <LoadState state={customer}>
      {(c) => (
        <Stack gap="lg">
          <PageHeader
            title={c.name}
            back={{ to: '/customers', label: t('nav.customers') }}
            actions={
              <>
                <Button variant="default" onClick={() => setEditing(true)}>
                  {t('common.edit')}
                </Button>
                <Button component={Link} to={`/subscriptions/new?customer_id=${encodeURIComponent(c.id)}`}>
                  {t('subscriptions.add')}
                </Button>
              </>
            }
          >
            <StatusBadge kind="customer" status={c.status} />
          </PageHeader>
          <Card withBorder>
            <FieldRow>
              <Field label={t('customers.phone')} testId="customer-phone">
                {c.phone}
              </Field>
              <Field label={t('customers.whatsapp')} testId="customer-whatsapp">
                {c.whatsapp_opt_out ? t('customers.wa_off') : t('customers.wa_on')}
              </Field>
              <Field label={t('customers.owed')} testId="customer-owed">
                <Text span c={c.owed > 0 ? 'red.8' : undefined} fw={c.owed > 0 ? 600 : undefined}>
                  {formatRupiah(c.owed)}
                </Text>
              </Field>
              <Field label={t('customers.address')}>{c.address || '—'}</Field>
              <Field label={t('customers.notes')}>{c.notes || '—'}</Field>
              <Field label={t('common.created_at')}>{formatDateTime(c.created_at)}</Field>
            </FieldRow>
          </Card>
          <Stack gap="xs">
            <Title order={3} size="h4">
              {t('nav.subscriptions')}
            </Title>
            <SubscriptionTable items={c.subscriptions} showCustomer={false} />
          </Stack>
          <CustomerBalance customerId={c.id} subscriptions={c.subscriptions} />
          <CustomerFormModal
            opened={editing}
            customer={c}
            onClose={() => setEditing(false)}
            onSaved={() => setEditing(false)}
          />
        </Stack>
      )}
    </LoadState>
  );
}
