import { Group, SegmentedControl, Stack, Table, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { SalesReport, SalesRow } from '../../api/types';
import { LoadState } from '../../components/LoadState';
import { formatDate, todayIso } from '../../lib/dates';
import { formatRupiah } from '../../lib/money';
import { keys } from '../../lib/queryKeys';

export type SalesGroup = 'day' | 'month' | 'profile' | 'reseller';

const MONTHS = new Intl.DateTimeFormat('id-ID', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** The first day of this month, as YYYY-MM-DD. */
function monthStart(today: string): string {
  return `${today.slice(0, 8)}01`;
}

/** A row key as people read it: a date, a month, a profile, a reseller or the shop itself. */
function rowLabel(row: SalesRow, group: SalesGroup, shop: string, online: string): string {
  if (group === 'day') return formatDate(row.key);
  if (group === 'month') {
    const m = /^(\d{4})-(\d{2})$/.exec(row.key);
    return m ? MONTHS.format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1))) : row.key;
  }
  if (group === 'reseller' && row.key === '') return row.channel === 'online' ? online : shop;
  return row.key;
}

/**
 * Sales per day, month, profile (and reseller for staff) between two dates: vouchers sold,
 * their price, what the shop keeps and the resellers' commission, with a total line.
 */
export function SalesReportView({ view }: { view: 'staff' | 'reseller' }) {
  const { t } = useTranslation();
  const groups: SalesGroup[] = view === 'staff' ? ['day', 'month', 'profile', 'reseller'] : ['day', 'month', 'profile'];
  const [group, setGroup] = useState<SalesGroup>('day');
  const [from, setFrom] = useState(monthStart(todayIso()));
  const [to, setTo] = useState(todayIso());
  const query = { group, from: from || undefined, to: to || undefined };
  const report = useQuery<SalesReport>({
    queryKey: keys.vouchers.sales(view, query),
    queryFn: () =>
      view === 'staff'
        ? unwrap(api.GET('/api/vouchers/sales', { params: { query } }))
        : unwrap(api.GET('/api/reseller/sales', { params: { query } })),
  });
  const shop = t('reports.channel.counter');
  const online = t('reports.channel.online');
  const keyHeader = t(`vouchers.sales.group_${group}`);

  return (
    <Stack gap="md">
      <Group align="flex-end" gap="sm" wrap="wrap">
        <Stack gap={4}>
          <Text size="sm" fw={500} id="sales-group-label">
            {t('vouchers.sales.group')}
          </Text>
          <SegmentedControl
            aria-labelledby="sales-group-label"
            value={group}
            onChange={(v) => setGroup(v as SalesGroup)}
            data={groups.map((g) => ({ value: g, label: t(`vouchers.sales.by_${g}`) }))}
          />
        </Stack>
        <TextInput type="date" label={t('vouchers.sales.from')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
        <TextInput type="date" label={t('vouchers.sales.to')} value={to} onChange={(e) => setTo(e.currentTarget.value)} />
      </Group>
      <Text size="sm" c="dimmed">
        {view === 'staff' ? t('vouchers.sales.when_sold') : t('vouchers.sales.when_sold_reseller')}
      </Text>
      <LoadState state={report}>
        {(data) => (
          <Table.ScrollContainer minWidth={720}>
            <Table striped highlightOnHover aria-label={t('vouchers.sales.title')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{keyHeader}</Table.Th>
                  <Table.Th ta="right">{t('vouchers.sales.count')}</Table.Th>
                  <Table.Th ta="right">{t('vouchers.sales.gross')}</Table.Th>
                  <Table.Th ta="right">{view === 'staff' ? t('vouchers.sales.revenue') : t('vouchers.sales.paid_to_shop')}</Table.Th>
                  <Table.Th ta="right">{view === 'staff' ? t('vouchers.sales.commission') : t('vouchers.sales.my_commission')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.rows.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={5}>{t('vouchers.sales.empty')}</Table.Td>
                  </Table.Tr>
                )}
                {data.rows.map((r) => (
                  <Table.Tr key={`${r.key}|${r.channel ?? ''}`}>
                    <Table.Td>{rowLabel(r, group, shop, online)}</Table.Td>
                    <Table.Td ta="right">{r.count.toLocaleString('id-ID')}</Table.Td>
                    <Table.Td ta="right">{formatRupiah(r.gross)}</Table.Td>
                    <Table.Td ta="right">{formatRupiah(r.revenue)}</Table.Td>
                    <Table.Td ta="right">{formatRupiah(r.commission)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
              {data.rows.length > 0 && (
                <Table.Tfoot>
                  <Table.Tr data-testid="sales-total" fw={700}>
                    <Table.Td>{t('vouchers.sales.total')}</Table.Td>
                    <Table.Td ta="right">{data.total.count.toLocaleString('id-ID')}</Table.Td>
                    <Table.Td ta="right">{formatRupiah(data.total.gross)}</Table.Td>
                    <Table.Td ta="right">{formatRupiah(data.total.revenue)}</Table.Td>
                    <Table.Td ta="right">{formatRupiah(data.total.commission)}</Table.Td>
                  </Table.Tr>
                </Table.Tfoot>
              )}
            </Table>
          </Table.ScrollContainer>
        )}
      </LoadState>
    </Stack>
  );
}
