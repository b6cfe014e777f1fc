import { Group, NativeSelect, Table, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { Voucher, VoucherBatch, VoucherFilter } from '../../api/types';
import { LoadState } from '../../components/LoadState';
import { Pager } from '../../components/Pager';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDateTime } from '../../lib/dates';
import { PAGE_SIZE } from '../../lib/paging';
import { keys } from '../../lib/queryKeys';
import { batchLabel, formatBytes, formatDuration } from '../../lib/voucherFormat';
import { VOUCHER_STATUSES } from './BatchTable';
import { UsageModal } from './UsageModal';

interface Option {
  value: string;
  label: string;
}

interface Props {
  view: 'staff' | 'reseller';
  batches: VoucherBatch[];
  /** Staff only: filter by profile and reseller. */
  profiles?: Option[];
  resellers?: Option[];
}

const FILTERS = ['batch_id', 'status', 'profile_id', 'reseller_id', 'q'] as const;

/** Vouchers with filters kept in the address (`?batch_id=…&status=unused`); a row opens its use. */
export function VoucherList({ view, batches, profiles, resellers }: Props) {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [debounced] = useDebouncedValue(search.trim(), 300);
  const [open, setOpen] = useState<Voucher | null>(null);
  const page = Math.max(1, Number(params.get('page') ?? 1) || 1);
  const filter = Object.fromEntries(FILTERS.map((k) => [k, params.get(k) ?? ''])) as Record<(typeof FILTERS)[number], string>;

  const update = (changes: Partial<Record<(typeof FILTERS)[number] | 'page', string>>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next, { replace: true });
  };

  useEffect(() => {
    if (debounced !== filter.q) update({ q: debounced });
  }, [debounced]);

  const query: VoucherFilter = {
    batch_id: filter.batch_id || undefined,
    status: filter.status || undefined,
    profile_id: filter.profile_id || undefined,
    reseller_id: filter.reseller_id || undefined,
    q: filter.q || undefined,
    page,
    per_page: PAGE_SIZE,
  };
  const vouchers = useQuery({
    queryKey: keys.vouchers.list(view, query),
    queryFn: () =>
      view === 'staff'
        ? unwrap(api.GET('/api/vouchers', { params: { query } }))
        : unwrap(api.GET('/api/reseller/vouchers', { params: { query } })),
  });

  const all = { value: '', label: t('common.all') };
  const staff = view === 'staff';
  const columns = staff ? 9 : 8;

  return (
    <>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <TextInput
          label={t('vouchers.list.search')}
          placeholder={t('vouchers.list.search_placeholder')}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={200}
        />
        <NativeSelect
          label={t('common.status')}
          value={filter.status}
          onChange={(e) => update({ status: e.currentTarget.value })}
          data={[all, ...VOUCHER_STATUSES.map((s) => ({ value: s, label: t(`status.voucher.${s}`) }))]}
        />
        <NativeSelect
          label={t('vouchers.batches.batch')}
          value={filter.batch_id}
          onChange={(e) => update({ batch_id: e.currentTarget.value })}
          data={[
            all,
            ...batches
              .filter((b) => b.status === 'ready' || b.id === filter.batch_id)
              .map((b) => ({ value: b.id, label: `${batchLabel(b.number)} · ${b.profile_name}` })),
          ]}
        />
        {profiles && (
          <NativeSelect
            label={t('vouchers.batches.profile')}
            value={filter.profile_id}
            onChange={(e) => update({ profile_id: e.currentTarget.value })}
            data={[all, ...profiles]}
          />
        )}
        {resellers && (
          <NativeSelect
            label={t('vouchers.batches.reseller')}
            value={filter.reseller_id}
            onChange={(e) => update({ reseller_id: e.currentTarget.value })}
            data={[all, ...resellers]}
          />
        )}
      </Group>
      <LoadState state={vouchers}>
        {(data) => (
          <>
            <Table.ScrollContainer minWidth={900}>
              <Table striped highlightOnHover aria-label={t('vouchers.list.title')}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('vouchers.list.code')}</Table.Th>
                    <Table.Th>{t('vouchers.list.serial')}</Table.Th>
                    <Table.Th>{t('vouchers.batches.profile')}</Table.Th>
                    {staff && <Table.Th>{t('vouchers.batches.reseller')}</Table.Th>}
                    <Table.Th>{t('common.status')}</Table.Th>
                    <Table.Th>{t('vouchers.usage.first_login')}</Table.Th>
                    <Table.Th>{t('vouchers.usage.expires')}</Table.Th>
                    <Table.Th>{t('vouchers.usage.online_time')}</Table.Th>
                    <Table.Th>{t('vouchers.usage.data')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.items.length === 0 && (
                    <Table.Tr>
                      <Table.Td colSpan={columns}>{t('vouchers.list.empty')}</Table.Td>
                    </Table.Tr>
                  )}
                  {data.items.map((v) => (
                    <Table.Tr key={v.id} data-testid="voucher-row" data-status={v.status}>
                      <Table.Td>
                        <UnstyledButton
                          onClick={() => setOpen(v)}
                          aria-label={t('vouchers.list.open_usage', { code: v.code })}
                          ff="monospace"
                          fw={700}
                          c="blue"
                        >
                          {v.code}
                        </UnstyledButton>
                        {v.separate_password && (
                          <Text size="xs" c="dimmed">
                            {t('vouchers.list.has_password')}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>{batchLabel(v.batch_number, v.seq)}</Table.Td>
                      <Table.Td>{v.profile_name}</Table.Td>
                      {staff && <Table.Td>{v.reseller_name ?? t('vouchers.batches.shop')}</Table.Td>}
                      <Table.Td>
                        <StatusBadge kind="voucher" status={v.status} />
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(v.first_login_at)}</Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(v.expires_at)}</Table.Td>
                      <Table.Td>{v.uptime_secs > 0 ? formatDuration(v.uptime_secs, i18n.language) : '—'}</Table.Td>
                      <Table.Td>{v.bytes_in + v.bytes_out > 0 ? formatBytes(v.bytes_in + v.bytes_out) : '—'}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Pager page={page} total={data.total} onChange={(p) => update({ page: String(p) })} />
          </>
        )}
      </LoadState>
      <UsageModal voucher={open} view={view} onClose={() => setOpen(null)} />
    </>
  );
}
