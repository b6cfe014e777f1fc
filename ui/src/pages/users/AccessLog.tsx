import { Select, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { AccessEvent } from '../../api/types';
import { LoadState } from '../../components/LoadState';
import { Pager } from '../../components/Pager';
import { formatDateTime } from '../../lib/dates';
import { pageQuery } from '../../lib/paging';
import { keys } from '../../lib/queryKeys';
import { tDynamic } from '../../lib/tDynamic';

const KINDS = ['login_succeeded', 'login_failed', 'login_new_address', 'logout', 'token_refreshed'];

/** "Masuk ditolak: kata sandi salah", "Keluar", "Masuk dari alamat baru", … */
export function accessText(t: Parameters<typeof tDynamic>[0], e: AccessEvent): string {
  if (e.reason && (e.kind === 'login_failed' || e.kind === 'logout')) {
    return tDynamic(t, `audit.reason.${e.reason}`, { defaultValue: `${tDynamic(t, `audit.access.${e.kind}`)} (${e.reason})` });
  }
  return tDynamic(t, `audit.access.${e.kind}`, { defaultValue: e.kind });
}

/** Sign-ins (succeeded or refused), sign-outs, token renewals and sign-ins from a new address. */
export function AccessLog({ user, from, to }: { user: string; from?: string; to?: string }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const query = { user: user || undefined, kind: kind ?? undefined, from, to, ...pageQuery(page) };
  const log = useQuery({
    queryKey: keys.audit.access(query),
    queryFn: () => unwrap(api.GET('/api/audit/access', { params: { query } })),
  });

  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, sm: 2, md: 5 }}>
        <Select
          label={t('audit.event')}
          data={KINDS.map((k) => ({ value: k, label: tDynamic(t, `audit.access.${k}`) }))}
          value={kind}
          onChange={(v) => {
            setKind(v);
            setPage(1);
          }}
          clearable
          placeholder={t('common.all')}
          data-testid="access-kind"
        />
      </SimpleGrid>
      <LoadState state={log}>
        {(data) => (
          <>
            <Table.ScrollContainer minWidth={760}>
              <Table striped highlightOnHover data-testid="access-log">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('audit.when')}</Table.Th>
                    <Table.Th>{t('audit.user')}</Table.Th>
                    <Table.Th>{t('audit.event')}</Table.Th>
                    <Table.Th>{t('audit.ip')}</Table.Th>
                    <Table.Th>{t('audit.user_agent')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.items.length === 0 && (
                    <Table.Tr>
                      <Table.Td colSpan={5}>{t('common.empty')}</Table.Td>
                    </Table.Tr>
                  )}
                  {data.items.map((e) => (
                    <Table.Tr key={e.id}>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.occurred_at)}</Table.Td>
                      <Table.Td>{e.username}</Table.Td>
                      <Table.Td>
                        <Text size="sm" c={e.kind === 'login_failed' ? 'red' : e.kind === 'login_new_address' ? 'orange' : undefined}>
                          {accessText(t, e)}
                        </Text>
                      </Table.Td>
                      <Table.Td>{e.remote_addr ?? '—'}</Table.Td>
                      <Table.Td>
                        <Text size="xs" c="dimmed" lineClamp={2}>
                          {e.user_agent ?? '—'}
                        </Text>
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
    </Stack>
  );
}
