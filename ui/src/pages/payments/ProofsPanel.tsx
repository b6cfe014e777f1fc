import { Anchor, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { Payment } from '../../api/types';
import { LoadState } from '../../components/LoadState';
import { formatDateTime } from '../../lib/dates';
import { formatRupiah } from '../../lib/money';
import { useInvalidate } from '../../lib/queryClient';
import { BILLING_KEYS, keys } from '../../lib/queryKeys';
import { ProofImageModal } from './ProofImageModal';
import { ConfirmProofModal, RejectProofModal } from './ProofDecisionModals';

/** Pending manual transfers are the ones a customer uploaded a proof for on the pay page. */
export function isAwaitingProof(p: Payment): boolean {
  return p.status === 'pending' && p.method === 'transfer';
}

/** Every pending payment (this panel and the held-for-review one pick theirs from it). */
export const pendingPaymentsQuery = () => {
  const query = { status: 'pending', limit: 200 };
  return queryOptions({
    queryKey: keys.payments.list(query),
    queryFn: () => unwrap(api.GET('/api/payments', { params: { query } })),
  });
};

/**
 * "Bukti transfer menunggu konfirmasi": pending `transfer` payments with the customer's proof,
 * "Lihat bukti", "Konfirmasi" and "Tolak". A decision refreshes every payment list.
 */
export function ProofsPanel() {
  const { t } = useTranslation();
  const list = useQuery(pendingPaymentsQuery());
  const [viewing, setViewing] = useState<Payment | null>(null);
  const [confirming, setConfirming] = useState<Payment | null>(null);
  const [rejecting, setRejecting] = useState<Payment | null>(null);

  const invalidate = useInvalidate();
  const changed = () => void invalidate(...BILLING_KEYS);
  const startConfirm = (p: Payment) => {
    setViewing(null);
    setConfirming(p);
  };
  const startReject = (p: Payment) => {
    setViewing(null);
    setRejecting(p);
  };

  return (
    <Card withBorder data-testid="proofs-panel">
      <Stack gap="sm">
        <Title order={3} size="h4">
          {t('payments.proofs.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('payments.proofs.intro')}
        </Text>
        <LoadState state={list}>
          {(data) => {
            const items = data.items.filter(isAwaitingProof);
            if (items.length === 0) {
              return (
                <Text size="sm" data-testid="proofs-empty">
                  {t('payments.proofs.empty')}
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
                      <Table.Th ta="right">{t('payments.amount')}</Table.Th>
                      <Table.Th>{t('payments.note')}</Table.Th>
                      <Table.Th>{t('common.actions')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {items.map((p) => (
                      <Table.Tr key={p.id} data-testid={`proof-row-${p.id}`}>
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
                        <Table.Td>{p.note || '—'}</Table.Td>
                        <Table.Td>
                          <Group gap="xs" wrap="nowrap">
                            <Button size="compact-sm" variant="light" onClick={() => setViewing(p)}>
                              {t('payments.proofs.view')}
                            </Button>
                            <Button size="compact-sm" color="green" onClick={() => startConfirm(p)}>
                              {t('payments.proofs.confirm')}
                            </Button>
                            <Button size="compact-sm" variant="light" color="red" onClick={() => startReject(p)}>
                              {t('payments.proofs.reject')}
                            </Button>
                          </Group>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            );
          }}
        </LoadState>
      </Stack>
      <ProofImageModal payment={viewing} onClose={() => setViewing(null)} onConfirm={startConfirm} onReject={startReject} />
      <ConfirmProofModal payment={confirming} onClose={() => setConfirming(null)} onDone={changed} />
      <RejectProofModal payment={rejecting} onClose={() => setRejecting(null)} onDone={changed} />
    </Card>
  );
}
