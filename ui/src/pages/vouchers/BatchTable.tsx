import { Anchor, Group, Progress, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { VoucherBatch } from '../../api/types';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDateTime } from '../../lib/dates';
import { formatRupiah } from '../../lib/money';
import { batchLabel } from '../../lib/voucherFormat';
import { PrintButton } from './PrintModal';

export const VOUCHER_STATUSES = ['unused', 'active', 'disabled', 'expired', 'removed'] as const;

/** `status_counts` is a free-form JSON object in the schema: `{ "unused": 18, "active": 2 }`. */
export function statusCounts(batch: VoucherBatch): Record<string, number> {
  const raw = batch.status_counts;
  if (!raw || typeof raw !== 'object') return {};
  return Object.fromEntries(Object.entries(raw as Record<string, unknown>).filter(([, n]) => typeof n === 'number')) as Record<
    string,
    number
  >;
}

/** "18 belum dipakai · 2 aktif". */
export function StatusCounts({ batch }: { batch: VoucherBatch }) {
  const { t } = useTranslation();
  const counts = statusCounts(batch);
  const parts = VOUCHER_STATUSES.filter((s) => counts[s]).map((s) => `${counts[s]} ${t(`status.voucher.${s}`).toLowerCase()}`);
  return <Text size="sm">{parts.length > 0 ? parts.join(' · ') : '—'}</Text>;
}

interface Props {
  batches: VoucherBatch[];
  /** `staff` shows router, reseller and who made it, and links into the staff voucher list. */
  view: 'staff' | 'reseller';
}

/** Recent batches with their state and the vouchers left; ready ones can be printed. */
export function BatchTable({ batches, view }: Props) {
  const { t } = useTranslation();
  const staff = view === 'staff';
  const listPath = staff ? '/vouchers/list' : '/reseller/vouchers';
  const columns = staff ? 9 : 6;
  return (
    <Table.ScrollContainer minWidth={staff ? 900 : 720}>
      <Table striped highlightOnHover aria-label={t('vouchers.batches.list_title')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('vouchers.batches.batch')}</Table.Th>
            <Table.Th>{t('common.created_at')}</Table.Th>
            <Table.Th>{t('vouchers.batches.profile')}</Table.Th>
            {staff && <Table.Th>{t('vouchers.batches.router')}</Table.Th>}
            {staff && <Table.Th>{t('vouchers.batches.reseller')}</Table.Th>}
            <Table.Th ta="right">{t('vouchers.batches.count')}</Table.Th>
            <Table.Th>{t('common.status')}</Table.Th>
            <Table.Th>{t('vouchers.batches.vouchers_state')}</Table.Th>
            <Table.Th>{t('common.actions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {batches.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={columns}>{t('vouchers.batches.empty')}</Table.Td>
            </Table.Tr>
          )}
          {batches.map((b) => {
            const label = batchLabel(b.number);
            return (
              <Table.Tr key={b.id} data-testid="batch-row" data-batch={label}>
                <Table.Td fw={600}>{label}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  {formatDateTime(b.created_at)}
                  {staff && (
                    <Text size="xs" c="dimmed">
                      {b.created_by_name}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {b.profile_name}
                  <Text size="xs" c="dimmed">
                    {formatRupiah(b.price)}
                  </Text>
                </Table.Td>
                {staff && <Table.Td>{b.router_name}</Table.Td>}
                {staff && <Table.Td>{b.reseller_name ?? t('vouchers.batches.shop')}</Table.Td>}
                <Table.Td ta="right">{b.count.toLocaleString('id-ID')}</Table.Td>
                <Table.Td>
                  <StatusBadge kind="batch" status={b.status} />
                  {b.status === 'creating' && (
                    <Progress mt={4} size="sm" value={b.count ? ((b.progress ?? 0) / b.count) * 100 : 0} animated />
                  )}
                  {b.status === 'failed' && b.error && (
                    <Text size="xs" c="red" maw={260}>
                      {b.error}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td data-testid="batch-status-counts">
                  <StatusCounts batch={b} />
                </Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap" preventGrowOverflow={false}>
                    <PrintButton batch={b} />
                    {b.status === 'ready' && (
                      <Anchor component={Link} to={`${listPath}?batch_id=${b.id}`} size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {t('vouchers.batches.show_vouchers')}
                      </Anchor>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
