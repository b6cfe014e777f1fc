import { Anchor, Button, Group, NativeSelect, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { LoadState } from '../../components/LoadState';
import { PageHeader } from '../../components/PageHeader';
import { Pager } from '../../components/Pager';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDateTime } from '../../lib/dates';
import { formatRupiah } from '../../lib/money';
import { pageQuery } from '../../lib/paging';
import { keys } from '../../lib/queryKeys';
import { CustomerFormModal } from './CustomerFormModal';

/** Pelanggan: search (debounced), status filter, pages, and "Tambah pelanggan". */
export function CustomersPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const [debouncedQ] = useDebouncedValue(q.trim(), 300);
  const [status, setStatus] = useState('');
  const [page, setPage] = useState(1);
  const [adding, setAdding] = useState(false);

  const query = { q: debouncedQ || undefined, status: status || undefined, ...pageQuery(page) };
  const list = useQuery({
    queryKey: keys.customers.list(query),
    queryFn: () => unwrap(api.GET('/api/customers', { params: { query } })),
  });

  return (
    <Stack gap="md">
      <PageHeader
        title={t('nav.customers')}
        actions={<Button onClick={() => setAdding(true)}>{t('customers.add')}</Button>}
      />
      <Group align="flex-end">
        <TextInput
          label={t('customers.search')}
          placeholder={t('customers.search_hint')}
          value={q}
          onChange={(e) => {
            setQ(e.currentTarget.value);
            setPage(1);
          }}
          w={320}
        />
        <NativeSelect
          label={t('common.status')}
          value={status}
          onChange={(e) => {
            setStatus(e.currentTarget.value);
            setPage(1);
          }}
          data={[
            { value: '', label: t('common.all') },
            { value: 'active', label: t('status.customer.active') },
            { value: 'inactive', label: t('status.customer.inactive') },
          ]}
        />
      </Group>
      <LoadState state={list}>
        {(data) => (
          <>
            <Table.ScrollContainer minWidth={760}>
              <Table striped highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('customers.name')}</Table.Th>
                    <Table.Th>{t('customers.phone')}</Table.Th>
                    <Table.Th>{t('common.status')}</Table.Th>
                    <Table.Th ta="right">{t('customers.owed')}</Table.Th>
                    <Table.Th ta="right">{t('balance.total_credit')}</Table.Th>
                    <Table.Th>{t('common.created_at')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.items.length === 0 && (
                    <Table.Tr>
                      <Table.Td colSpan={6}>{t('common.empty')}</Table.Td>
                    </Table.Tr>
                  )}
                  {data.items.map((c) => (
                    <Table.Tr key={c.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/customers/${c.id}`}>
                          {c.name}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{c.phone}</Table.Td>
                      <Table.Td>
                        <StatusBadge kind="customer" status={c.status} />
                      </Table.Td>
                      <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }} data-testid={`customer-owed-${c.id}`}>
                        <Text span size="sm" c={c.owed > 0 ? 'red.8' : undefined} fw={c.owed > 0 ? 600 : undefined}>
                          {formatRupiah(c.owed)}
                        </Text>
                      </Table.Td>
                      <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }} data-testid={`customer-credit-${c.id}`}>
                        {formatRupiah(c.total_credit)}
                      </Table.Td>
                      <Table.Td>{formatDateTime(c.created_at)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Pager page={page} total={data.total} onChange={setPage} />
          </>
        )}
      </LoadState>
      <CustomerFormModal
        opened={adding}
        onClose={() => setAdding(false)}
        onSaved={(c) => {
          setAdding(false);
          void navigate(`/customers/${c.id}`);
        }}
      />
    </Stack>
  );
}
