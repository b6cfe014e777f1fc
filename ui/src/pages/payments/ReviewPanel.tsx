import { Anchor, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Payment } from '../../api/types';
import { LoadState } from '../../components/LoadState';
import { formatDateTime } from '../../lib/dates';
import { formatRupiah } from '../../lib/money';
import { useInvalidate } from '../../lib/queryClient';
import { BILLING_KEYS } from '../../lib/queryKeys';
import { pendingPaymentsQuery } from './ProofsPanel';
import { ReviewDecisionModal } from './ReviewDecisionModal';
import type { ReviewAction } from './ReviewDecisionModal';

/** A gateway reported a different amount: the payment stays `pending` with a `review_reason`. */
export function isHeldForReview(p: Payment): boolean {
  return p.status === 'pending' && p.review_reason != null && p.review_reason !== '';
}

/** The amount the gateway reported, when it is one the server can settle for. */
export function reportedAmount(p: Payment): number | null {
  return typeof p.review_amount === 'number' && p.review_amount > 0 ? p.review_amount : null;
}

/**
 * "Pembayaran ditahan untuk ditinjau": pending gateway payments whose reported amount differs
 * from the requested one, with "Terima Rp X" (settle for the gateway's amount) and "Tolak".
 * It shares the pending payments with the transfer-proof panel (one request, `pendingPaymentsQuery`).
 */
export function ReviewPanel() {
  const { t } = useTranslation();
  const list = useQuery(pendingPaymentsQuery());
  const [deciding, setDeciding] = useState<{ payment: Payment; action: ReviewAction } | null>(null);

  const invalidate = useInvalidate();
  const changed = () => void invalidate(...BILLING_KEYS);

  return (
    <Card withBorder data-testid="review-panel">
      <Stack gap="sm">
        <Title order={3} size="h4">
          {t('payments.review.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('payments.review.intro')}
        </Text>
        <LoadState state={list}>
          {(data) => {
            const items = data.items.filter(isHeldForReview);
            if (items.length === 0) {
              return (
                <Text size="sm" data-testid="review-empty">
                  {t('payments.review.empty')}
                </Text>
              );
            }
            return (
              <Table.ScrollContainer minWidth={900}>
                <Table striped highlightOnHover>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('payments.paid_at')}</Table.Th>
                      <Table.Th>{t('subscriptions.customer')}</Table.Th>
                      <Table.Th>{t('payments.invoice')}</Table.Th>
                      <Table.Th ta="right">{t('payments.review.requested')}</Table.Th>
                      <Table.Th ta="right">{t('payments.review.reported')}</Table.Th>
                      <Table.Th>{t('payments.review.reason')}</Table.Th>
                      <Table.Th>{t('common.actions')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {items.map((p) => {
                      const reported = reportedAmount(p);
                      return (
                        <Table.Tr key={p.id} data-testid={`review-row-${p.id}`}>
                          <Table.Td>{formatDateTime(p.created_at)}</Table.Td>
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
                          <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                            {formatRupiah(p.amount)}
                          </Table.Td>
                          <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                            {reported === null ? '—' : formatRupiah(reported)}
                          </Table.Td>
                          <Table.Td>
                            <Text size="sm">{p.review_reason}</Text>
                          </Table.Td>
                          <Table.Td>
                            <Group gap="xs" wrap="nowrap">
                              {reported === null ? (
                                <Text size="xs" c="dimmed">
                                  {t('payments.review.no_amount')}
                                </Text>
                              ) : (
                                <Button
                                  size="compact-sm"
                                  color="green"
                                  onClick={() => setDeciding({ payment: p, action: 'accept' })}
                                >
                                  {t('payments.review.accept', { amount: formatRupiah(reported) })}
                                </Button>
                              )}
                              <Button
                                size="compact-sm"
                                variant="light"
                                color="red"
                                onClick={() => setDeciding({ payment: p, action: 'reject' })}
                              >
                                {t('payments.review.reject')}
                              </Button>
                            </Group>
                          </Table.Td>
                        </Table.Tr>
                      );
                    })}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            );
          }}
        </LoadState>
      </Stack>
      <ReviewDecisionModal
        payment={deciding?.payment ?? null}
        action={deciding?.action ?? 'accept'}
        onClose={() => setDeciding(null)}
        onDone={changed}
      />
    </Card>
  );
}
