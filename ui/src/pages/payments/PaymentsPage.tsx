import { Anchor, Badge, Button, CloseButton, Group, Modal, NativeSelect, Stack, Table, Tooltip } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { CustomerPicker } from '../../components/CustomerPicker';
import { LoadState } from '../../components/LoadState';
import { PageHeader } from '../../components/PageHeader';
import { Pager } from '../../components/Pager';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDate, formatDateTime } from '../../lib/dates';
import { formatRupiah } from '../../lib/money';
import { pageQuery } from '../../lib/paging';
import { keys } from '../../lib/queryKeys';
import { CheckNowButton, CheckPendingButton, MANUAL_METHODS } from './PaymentChecks';
import { PaymentForm } from './PaymentForm';
import { ProofsPanel } from './ProofsPanel';
import { ReviewPanel, isHeldForReview } from './ReviewPanel';

const STATUSES = ['pending', 'paid', 'failed', 'expired'] as const;

/** Pembayaran: transfer proofs awaiting confirmation, payments held for review, filters, list, and "Catat pembayaran" (manual entry). */
export function PaymentsPage() {
  const { t } = useTranslation();
  // Filters may arrive in the address (the home screen links here with ?method=cash&paid_from=…).
  const [params, setParams] = useSearchParams();
  const [status, setStatus] = useState(params.get('status') ?? '');
  const method = params.get('method') ?? '';
  const paidFrom = params.get('paid_from') ?? '';
  const paidTo = params.get('paid_to') ?? '';
  const [customerId, setCustomerId] = useState<string | null>(params.get('customer_id'));
  const [page, setPage] = useState(1);
  const [recording, setRecording] = useState(false);
  const query = {
    status: status || undefined,
    customer_id: customerId ?? undefined,
    method: method || undefined,
    paid_from: paidFrom || undefined,
    paid_to: paidTo || undefined,
    ...pageQuery(page),
  };
  // A payment settled or changed elsewhere (gateway callback, another cashier): the server's
  // events invalidate keys.payments (this list and the two panels above it).
  const list = useQuery({
    queryKey: keys.payments.list(query),
    queryFn: () => unwrap(api.GET('/api/payments', { params: { query } })),
  });

  return (
    <Stack gap="md">
      <PageHeader
        title={t('nav.payments')}
        actions={
          <>
            <CheckPendingButton />
            <Button onClick={() => setRecording(true)}>{t('payments.record')}</Button>
          </>
        }
      />
      <ProofsPanel />
      <ReviewPanel />
      <Group align="flex-end">
        <NativeSelect
          label={t('common.status')}
          value={status}
          onChange={(e) => {
            setStatus(e.currentTarget.value);
            setPage(1);
          }}
          data={[
            { value: '', label: t('common.all') },
            ...STATUSES.map((s) => ({ value: s, label: t(`status.payment.${s}`) })),
          ]}
        />
        {(method || paidFrom || paidTo) && (
          <Badge
            size="lg"
            variant="light"
            data-testid="payments-url-filter"
            rightSection={
              <CloseButton
                size="xs"
                aria-label={t('common.clear_filter')}
                onClick={() => {
                  const next = new URLSearchParams(params);
                  ['method', 'paid_from', 'paid_to'].forEach((k) => next.delete(k));
                  setParams(next);
                  setPage(1);
                }}
              />
            }
          >
            {[method && t('payments.filter_method', { method }), (paidFrom || paidTo) && t('payments.filter_paid', { from: formatDate(paidFrom), to: formatDate(paidTo) })]
              .filter(Boolean)
              .join(' · ')}
          </Badge>
        )}
        <div style={{ width: 320 }}>
          <CustomerPicker
            label={t('subscriptions.customer')}
            value={customerId}
            onChange={(id) => {
              setCustomerId(id);
              setPage(1);
            }}
          />
        </div>
      </Group>
      <LoadState state={list}>
        {(data) => (
          <>
            <Table.ScrollContainer minWidth={900}>
              <Table striped highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('payments.paid_at')}</Table.Th>
                    <Table.Th>{t('subscriptions.customer')}</Table.Th>
                    <Table.Th>{t('payments.invoice')}</Table.Th>
                    <Table.Th>{t('payments.method')}</Table.Th>
                    <Table.Th>{t('payments.reference')}</Table.Th>
                    <Table.Th ta="right">{t('payments.amount')}</Table.Th>
                    <Table.Th miw={130}>{t('common.status')}</Table.Th>
                    <Table.Th>{t('payments.recorded_by')}</Table.Th>
                    <Table.Th>{t('common.actions')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.items.length === 0 && (
                    <Table.Tr>
                      <Table.Td colSpan={9}>{t('common.empty')}</Table.Td>
                    </Table.Tr>
                  )}
                  {data.items.map((p) => (
                    <Table.Tr key={p.id}>
                      <Table.Td>{formatDateTime(p.paid_at ?? p.created_at)}</Table.Td>
                      <Table.Td>
                        <Anchor component={Link} to={`/customers/${p.customer_id}`}>
                          {p.customer_name}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        {p.invoice_id ? (
                          <Anchor component={Link} to={`/invoices/${p.invoice_id}`}>
                            {p.invoice_number ?? p.invoice_id}
                          </Anchor>
                        ) : (
                          '—'
                        )}
                      </Table.Td>
                      <Table.Td>{t(`payments.method_${p.method}` as 'payments.method_cash', { defaultValue: p.method })}</Table.Td>
                      <Table.Td>{p.reference || '—'}</Table.Td>
                      <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>{formatRupiah(p.amount)}</Table.Td>
                      <Table.Td>
                        {/* A column, so neither badge is squeezed (a row would shrink them). */}
                        <Stack gap={4} align="flex-start">
                          <StatusBadge kind="payment" status={p.status} testId={`payment-status-${p.id}`} />
                          {isHeldForReview(p) && (
                            <Tooltip label={p.review_reason} multiline maw={320} withArrow>
                              <Badge color="orange" variant="outline" data-testid={`payment-review-${p.id}`}>
                                {t('payments.review.badge')}
                              </Badge>
                            </Tooltip>
                          )}
                        </Stack>
                      </Table.Td>
                      <Table.Td data-testid="payment-cashier">{p.recorded_by_name ?? '—'}</Table.Td>
                      <Table.Td>
                        {p.status === 'pending' && !MANUAL_METHODS.includes(p.method) && !isHeldForReview(p) && (
                          <CheckNowButton id={p.id} />
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Pager page={page} total={data.total} onChange={setPage} />
          </>
        )}
      </LoadState>
      <Modal opened={recording} onClose={() => setRecording(false)} title={t('payments.record')} size="lg" centered>
        <PaymentForm onCancel={() => setRecording(false)} />
      </Modal>
    </Stack>
  );
}
