import { Alert, Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { resellersQuery } from '../../api/queries';
import type { Reseller } from '../../api/types';
import { LoadState } from '../../components/LoadState';
import { PageHeader } from '../../components/PageHeader';
import { formatRupiah } from '../../lib/money';
import { formatCommission } from '../../lib/voucherFormat';
import { ResellerFormModal } from './ResellerFormModal';
import { DepositModal, LedgerModal } from './ResellerMoney';

/** Reseller: who sells vouchers for the shop, their share, deposit and unsold stock. */
export function ResellersPage() {
  const { t } = useTranslation();
  const resellers = useQuery(resellersQuery());
  const [editing, setEditing] = useState<Reseller | 'new' | null>(null);
  const [depositFor, setDepositFor] = useState<Reseller | null>(null);
  const [ledgerFor, setLedgerFor] = useState<Reseller | null>(null);

  return (
    <Stack gap="md">
      <PageHeader
        title={t('vouchers.resellers.title')}
        actions={<Button onClick={() => setEditing('new')}>{t('vouchers.resellers.add')}</Button>}
      />
      <Alert variant="light" color="blue">
        {t('vouchers.resellers.intro')}
      </Alert>
      <LoadState state={resellers}>
        {(data) => (
          <Table.ScrollContainer minWidth={900}>
            <Table striped highlightOnHover aria-label={t('vouchers.resellers.title')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('vouchers.resellers.name')}</Table.Th>
                  <Table.Th>{t('vouchers.resellers.username')}</Table.Th>
                  <Table.Th>{t('vouchers.resellers.phone')}</Table.Th>
                  <Table.Th ta="right">{t('vouchers.resellers.commission')}</Table.Th>
                  <Table.Th ta="right">{t('vouchers.resellers.balance')}</Table.Th>
                  <Table.Th ta="right">{t('vouchers.resellers.stock')}</Table.Th>
                  <Table.Th>{t('common.status')}</Table.Th>
                  <Table.Th>{t('common.actions')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={8}>{t('vouchers.resellers.empty')}</Table.Td>
                  </Table.Tr>
                )}
                {data.items.map((r) => (
                  <Table.Tr key={r.id} data-testid="reseller-row" data-username={r.username}>
                    <Table.Td fw={500}>{r.name}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{r.username}</Table.Td>
                    <Table.Td>{r.phone ?? '—'}</Table.Td>
                    <Table.Td ta="right">{formatCommission(r.commission_bp)}</Table.Td>
                    <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }} data-testid="reseller-balance">
                      {formatRupiah(r.balance)}
                    </Table.Td>
                    <Table.Td ta="right" data-testid="reseller-stock">
                      {r.stock.toLocaleString('id-ID')}
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light" miw="max-content" color={r.active ? 'green' : 'gray'}>
                        {r.active ? t('vouchers.resellers.active_yes') : t('vouchers.resellers.active_no')}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Button size="xs" onClick={() => setDepositFor(r)} aria-label={`${t('vouchers.resellers.deposit')} ${r.name}`}>
                          {t('vouchers.resellers.deposit')}
                        </Button>
                        <Button size="xs" variant="default" onClick={() => setLedgerFor(r)} aria-label={`${t('vouchers.resellers.ledger')} ${r.name}`}>
                          {t('vouchers.resellers.ledger')}
                        </Button>
                        <Button size="xs" variant="default" onClick={() => setEditing(r)} aria-label={`${t('common.edit')} ${r.name}`}>
                          {t('common.edit')}
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </LoadState>
      <Text size="sm" c="dimmed">
        {t('vouchers.resellers.how_stock_works')}
      </Text>
      <ResellerFormModal
        opened={editing !== null}
        reseller={editing === 'new' || editing === null ? undefined : editing}
        onClose={() => setEditing(null)}
        onSaved={() => setEditing(null)}
      />
      <DepositModal
        reseller={depositFor}
        onClose={() => setDepositFor(null)}
        onSaved={() => setDepositFor(null)}
      />
      <LedgerModal reseller={ledgerFor} onClose={() => setLedgerFor(null)} />
    </Stack>
  );
}
