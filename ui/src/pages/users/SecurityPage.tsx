import { Badge, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { LoadState } from '../../components/LoadState';
import { PageHeader } from '../../components/PageHeader';
import { Pager } from '../../components/Pager';
import { formatDateTime } from '../../lib/dates';
import { pageQuery } from '../../lib/paging';
import { keys } from '../../lib/queryKeys';
import { tDynamic } from '../../lib/tDynamic';
import type { TFunction } from 'i18next';

type SecurityEvent = { kind: string; detail: string; params: Record<string, unknown> };

/**
 * An event in the UI language: the kind's sentence with the event's values (a refused sign-in
 * with its reason in words). Events from before values were recorded keep their English line.
 */
export function securityDetail(t: TFunction, e: SecurityEvent): string {
  const params = { ...(e.params ?? {}) } as Record<string, unknown>;
  if (Object.keys(params).length === 0) return e.detail;
  if (typeof params.role === 'string') {
    params.role = tDynamic(t, `users.role_${params.role}`, { defaultValue: params.role });
  }
  if (typeof params.reason === 'string') {
    params.reason = tDynamic(t, `security.reasons.${params.reason}`, { defaultValue: params.reason });
  }
  return tDynamic(t, `security.details.${e.kind}`, {
    ...params,
    defaultValue: e.detail,
    interpolation: { escapeValue: false },
  });
}

const KINDS = [
  'login_failed',
  'login_locked_out',
  'token_invalid',
  'token_revoked',
  'forbidden',
  'webhook_bad_signature',
  'webhook_unknown_payment',
  'payment_amount_mismatch',
];

/** Log keamanan: refused logins and tokens, forbidden requests, bad webhook signatures. */
export function SecurityPage() {
  const { t } = useTranslation();
  const [kind, setKind] = useState<string | null>(null);
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const query = { kind: kind ?? undefined, q: q || undefined, ...pageQuery(page) };
  const log = useQuery({
    queryKey: keys.security.list(query),
    queryFn: () => unwrap(api.GET('/api/security/events', { params: { query } })),
  });

  return (
    <Stack gap="md">
      <PageHeader title={t('nav.security')} />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Select
          label={t('security.kind')}
          data={KINDS.map((k) => ({ value: k, label: t(`security.kind_${k}` as 'security.kind_forbidden') }))}
          value={kind}
          onChange={(v) => {
            setKind(v);
            setPage(1);
          }}
          clearable
          placeholder={t('common.all')}
        />
        <TextInput
          label={t('security.search')}
          value={q}
          onChange={(e) => {
            setQ(e.currentTarget.value);
            setPage(1);
          }}
          placeholder={t('common.search_placeholder')}
        />
      </SimpleGrid>
      <LoadState state={log}>
        {(data) => (
          <>
            <Table.ScrollContainer minWidth={760}>
              <Table striped highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('audit.when')}</Table.Th>
                    <Table.Th>{t('security.kind')}</Table.Th>
                    <Table.Th>{t('audit.user')}</Table.Th>
                    <Table.Th>{t('security.detail')}</Table.Th>
                    <Table.Th>{t('audit.ip')}</Table.Th>
                    <Table.Th>{t('security.user_agent')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.items.length === 0 && (
                    <Table.Tr>
                      <Table.Td colSpan={6}>{t('common.empty')}</Table.Td>
                    </Table.Tr>
                  )}
                  {data.items.map((e) => (
                    <Table.Tr key={e.id}>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.occurred_at)}</Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={e.kind === 'forbidden' ? 'orange' : 'red'}>
                          {tDynamic(t, `security.kind_${e.kind}`, { defaultValue: e.kind })}
                        </Badge>
                      </Table.Td>
                      <Table.Td>{e.username ?? '—'}</Table.Td>
                      <Table.Td data-testid="security-detail">{securityDetail(t, e as SecurityEvent)}</Table.Td>
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
