import { Button, Code, Group, Modal, Select, SimpleGrid, Stack, Table, Tabs, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { ActivityEntry } from '../../api/types';
import { LoadState } from '../../components/LoadState';
import { PageHeader } from '../../components/PageHeader';
import { Pager } from '../../components/Pager';
import { formatDateTime } from '../../lib/dates';
import { pageQuery } from '../../lib/paging';
import { keys } from '../../lib/queryKeys';
import { AccessLog } from './AccessLog';

const ENTITIES = [
  'customers',
  'plans',
  'subscriptions',
  'invoices',
  'payments',
  'ledger_entries',
  'voucher_profiles',
  'voucher_batches',
  'resellers',
  'reseller_ledger',
  'routers',
  'business_profile',
  'gateway_settings',
  'whatsapp_sessions',
  'whatsapp_settings',
  'users',
];

/**
 * Log aktivitas: every change, who made it, when, from where, before and after; and every
 * sign-in, refused sign-in, sign-out and token renewal with the address and browser.
 */
export function AuditPage() {
  const { t } = useTranslation();
  const [entity, setEntity] = useState<string | null>(null);
  const [user, setUser] = useState('');
  const [q, setQ] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<ActivityEntry | null>(null);
  const [tab, setTab] = useState<string | null>('changes');
  const range = {
    from: from ? new Date(`${from}T00:00:00`).toISOString() : undefined,
    to: to ? new Date(`${to}T23:59:59`).toISOString() : undefined,
  };
  const query = {
    entity: entity ?? undefined,
    user: user || undefined,
    q: q || undefined,
    ...range,
    ...pageQuery(page),
  };
  const log = useQuery({
    queryKey: keys.audit.list(query),
    queryFn: () => unwrap(api.GET('/api/audit', { params: { query } })),
    enabled: tab === 'changes',
  });

  return (
    <Stack gap="md">
      <PageHeader title={t('nav.audit')} />
      <Tabs value={tab} onChange={setTab}>
        <Tabs.List>
          <Tabs.Tab value="changes">{t('audit.tab_changes')}</Tabs.Tab>
          <Tabs.Tab value="access" data-testid="audit-tab-access">
            {t('audit.tab_access')}
          </Tabs.Tab>
        </Tabs.List>
      </Tabs>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 5 }}>
        {tab === 'changes' && (
          <Select
            label={t('audit.entity')}
            data={ENTITIES}
            value={entity}
            onChange={(v) => {
              setEntity(v);
              setPage(1);
            }}
            clearable
            placeholder={t('common.all')}
          />
        )}
        <TextInput
          label={t('audit.user')}
          value={user}
          onChange={(e) => setUser(e.currentTarget.value)}
          data-testid="audit-user"
        />
        {tab === 'changes' && (
          <TextInput
            label={t('audit.search')}
            value={q}
            onChange={(e) => {
              setQ(e.currentTarget.value);
              setPage(1);
            }}
            placeholder={t('common.search_placeholder')}
          />
        )}
        <TextInput type="date" label={t('audit.from')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
        <TextInput type="date" label={t('audit.to')} value={to} onChange={(e) => setTo(e.currentTarget.value)} />
      </SimpleGrid>
      {tab === 'access' ? (
        <AccessLog user={user} {...range} />
      ) : (
        <LoadState state={log}>
          {(data) => (
            <>
              <Table.ScrollContainer minWidth={860}>
                <Table striped highlightOnHover>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('audit.when')}</Table.Th>
                      <Table.Th>{t('audit.user')}</Table.Th>
                      <Table.Th>{t('audit.action')}</Table.Th>
                      <Table.Th>{t('audit.entity')}</Table.Th>
                      <Table.Th>{t('audit.request')}</Table.Th>
                      <Table.Th>{t('audit.ip')}</Table.Th>
                      <Table.Th />
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.items.length === 0 && (
                      <Table.Tr>
                        <Table.Td colSpan={7}>{t('common.empty')}</Table.Td>
                      </Table.Tr>
                    )}
                    {data.items.map((e) => (
                      <Table.Tr key={e.id}>
                        <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.occurred_at)}</Table.Td>
                        <Table.Td>{e.actor_name ?? '—'}</Table.Td>
                        <Table.Td style={{ overflowWrap: 'anywhere' }}>{e.action}</Table.Td>
                        <Table.Td>
                          <Text size="sm">{e.entity}</Text>
                          <Text size="xs" ff="monospace" c="dimmed">
                            {e.entity_id ?? '—'}
                          </Text>
                        </Table.Td>
                        <Table.Td style={{ overflowWrap: 'anywhere' }}>{e.request ?? t('audit.system')}</Table.Td>
                        <Table.Td>{e.client_ip ?? '—'}</Table.Td>
                        <Table.Td>
                          <Button size="xs" variant="default" onClick={() => setOpen(e)}>
                            {t('audit.details')}
                          </Button>
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
      )}
      <Modal opened={open !== null} onClose={() => setOpen(null)} title={open?.action} size="xl">
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <Stack gap={4}>
            <Text fw={600}>{t('audit.before')}</Text>
            <Code block>{open?.before ? JSON.stringify(open.before, null, 2) : '—'}</Code>
          </Stack>
          <Stack gap={4}>
            <Text fw={600}>{t('audit.after')}</Text>
            <Code block>{open?.after ? JSON.stringify(open.after, null, 2) : '—'}</Code>
          </Stack>
        </SimpleGrid>
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={() => setOpen(null)}>
            {t('common.close')}
          </Button>
        </Group>
      </Modal>
    </Stack>
  );
}
