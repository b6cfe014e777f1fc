import { Alert, Anchor, Button, Card, Group, Modal, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { Invoice } from '../../api/types';
import { Field, FieldRow } from '../../components/Field';
import { LoadState } from '../../components/LoadState';
import { PageHeader } from '../../components/PageHeader';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDate, formatDateTime } from '../../lib/dates';
import { formatRupiah } from '../../lib/money';
import { keys } from '../../lib/queryKeys';
import { PaymentForm } from '../payments/PaymentForm';
import { ApplyBalanceButton } from './ApplyBalanceButton';
import { PayLinkButton } from './PayLinkButton';
import { ReceiptButtons } from './ReceiptButtons';
import { VoidButton } from './VoidButton';

/** One invoice: lines, total, allocations, paid/owed, carry links, and the actions on it. */
export function InvoiceDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const invoice = useQuery({
    queryKey: keys.invoices.detail(id),
    queryFn: () => unwrap(api.GET('/api/invoices/{id}', { params: { path: { id } } })),
  });
  const [paying, setPaying] = useState(false);

  return (
    <LoadState state={invoice}>
      {(inv) => {
        const open = inv.status === 'unpaid' || inv.status === 'partial';
        return (
          <Stack gap="lg">
            <PageHeader
              title={t('invoices.title', { number: inv.number })}
              back={{ to: '/invoices', label: t('nav.invoices') }}
              actions={
                <>
                  {open && <Button onClick={() => setPaying(true)}>{t('payments.record')}</Button>}
                  {open && <ApplyBalanceButton invoice={inv} />}
                  {open && <PayLinkButton invoice={inv} />}
                  <ReceiptButtons id={inv.id} number={inv.number} />
                  {inv.status !== 'void' && inv.status !== 'carried_over' && (
                    <VoidButton id={inv.id} number={inv.number} />
                  )}
                </>
              }
            >
              <StatusBadge kind="invoice" status={inv.status} testId="invoice-status" />
            </PageHeader>
            {inv.void_reason && (
              <Alert color="gray" variant="light" title={t('invoices.voided')}>
                {inv.void_reason}
              </Alert>
            )}
            <Card withBorder>
              <FieldRow>
                <Field label={t('subscriptions.customer')}>
                  <Anchor component={Link} to={`/customers/${inv.customer_id}`}>
                    {inv.customer_name}
                  </Anchor>
                </Field>
                <Field label={t('subscriptions.login')}>
                  <Anchor component={Link} to={`/subscriptions/${inv.subscription_id}`}>
                    {inv.login}
                  </Anchor>
                </Field>
                <Field label={t('invoices.period')}>
                  {formatDate(inv.period_start)} – {formatDate(inv.period_end)}
                </Field>
                <Field label={t('invoices.issued_on')}>{formatDate(inv.issued_on)}</Field>
                <Field label={t('invoices.due_on')}>{formatDate(inv.due_on)}</Field>
              </FieldRow>
            </Card>
            <Lines inv={inv} />
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <Total label={t('invoices.total')} value={inv.total} testId="invoice-total" />
              <Total label={t('invoices.paid')} value={inv.paid} testId="invoice-paid" />
              <Total label={t('invoices.owed')} value={inv.owed} testId="invoice-owed" strong />
            </SimpleGrid>
            <Allocations inv={inv} />
            <Carry inv={inv} />
            <Modal opened={paying} onClose={() => setPaying(false)} title={t('payments.record')} size="lg" centered>
              <PaymentForm invoice={inv} onCancel={() => setPaying(false)} />
            </Modal>
          </Stack>
        );
      }}
    </LoadState>
  );
}

function Total({ label, value, testId, strong }: { label: string; value: number; testId: string; strong?: boolean }) {
  return (
    <Card withBorder padding="sm">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={strong ? 700 : 600} size={strong ? 'lg' : 'md'} data-testid={testId}>
        {formatRupiah(value)}
      </Text>
    </Card>
  );
}

function Lines({ inv }: { inv: Invoice }) {
  const { t } = useTranslation();
  return (
    <Table withTableBorder aria-label={t('invoices.lines')}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('invoices.line_kind')}</Table.Th>
          <Table.Th>{t('invoices.description')}</Table.Th>
          <Table.Th ta="right">{t('balance.amount')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {inv.lines.map((line, i) => (
          <Table.Tr key={i}>
            <Table.Td>{t(`invoices.line.${line.kind}`, { defaultValue: line.kind })}</Table.Td>
            <Table.Td>{line.description}</Table.Td>
            <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>{formatRupiah(line.amount)}</Table.Td>
          </Table.Tr>
        ))}
        <Table.Tr>
          <Table.Td colSpan={2} fw={700}>
            {t('invoices.total')}
          </Table.Td>
          <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }} fw={700}>
            {formatRupiah(inv.total)}
          </Table.Td>
        </Table.Tr>
      </Table.Tbody>
    </Table>
  );
}

function Allocations({ inv }: { inv: Invoice }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs">
      <Title order={3} size="h4">
        {t('invoices.allocations')}
      </Title>
      {inv.allocations.length === 0 ? (
        <Text c="dimmed" size="sm">
          {t('invoices.no_allocations')}
        </Text>
      ) : (
        <Table striped aria-label={t('invoices.allocations')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('balance.when')}</Table.Th>
              <Table.Th>{t('invoices.source')}</Table.Th>
              <Table.Th ta="right">{t('balance.amount')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {inv.allocations.map((a, i) => (
              <Table.Tr key={i}>
                <Table.Td>{formatDateTime(a.at)}</Table.Td>
                <Table.Td>{a.source === 'payment' ? t('invoices.source_payment') : t('invoices.source_credit')}</Table.Td>
                <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>{formatRupiah(a.amount)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

function Carry({ inv }: { inv: Invoice }) {
  const { t } = useTranslation();
  if (!inv.carried_into && inv.carried_from.length === 0) return null;
  return (
    <Group gap="xl">
      {inv.carried_into && (
        <Text size="sm">
          {t('invoices.carried_into')}{' '}
          <Anchor component={Link} to={`/invoices/${inv.carried_into.invoice_id}`}>
            {inv.carried_into.number}
          </Anchor>
        </Text>
      )}
      {inv.carried_from.map((c) => (
        <Text size="sm" key={c.invoice_id}>
          {t('invoices.carried_from')}{' '}
          <Anchor component={Link} to={`/invoices/${c.invoice_id}`}>
            {c.number}
          </Anchor>
          {c.amount != null && ` (${formatRupiah(c.amount)})`}
        </Text>
      ))}
    </Group>
  );
}
