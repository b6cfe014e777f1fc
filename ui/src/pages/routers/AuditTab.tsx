import { Badge, Button, Code, Group, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { LoadState } from '../../components/LoadState';
import { formatDateTime } from '../../lib/dates';
import { formatAuditValue } from '../../lib/routerFormat';
import { keys } from '../../lib/queryKeys';

/** "Audit": every write to this router — who, what, before, after and the result. */
export function AuditTab({ routerId }: { routerId: string }) {
  const { t } = useTranslation();
  const audit = useQuery({
    queryKey: keys.routers.audit(routerId),
    queryFn: () => unwrap(api.GET('/api/routers/audit', { params: { query: { router_id: routerId, limit: 200 } } })),
  });

  return (
    <Stack gap="sm">
      <Group justify="flex-end">
        <Button variant="default" size="xs" loading={audit.isFetching} onClick={() => void audit.refetch()}>
          {t('routers.reload')}
        </Button>
      </Group>
      <LoadState state={audit}>
        {(data) =>
          data.items.length === 0 ? (
            <Text c="dimmed" size="sm" data-testid="audit-empty">
              {t('routers.audit_empty')}
            </Text>
          ) : (
            <Table.ScrollContainer minWidth={900}>
              <Table striped aria-label={t('routers.tab_audit')}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('routers.audit_at')}</Table.Th>
                    <Table.Th>{t('routers.audit_actor')}</Table.Th>
                    <Table.Th>{t('routers.audit_action')}</Table.Th>
                    <Table.Th>{t('routers.audit_target')}</Table.Th>
                    <Table.Th>{t('routers.audit_reason')}</Table.Th>
                    <Table.Th>{t('routers.audit_before')}</Table.Th>
                    <Table.Th>{t('routers.audit_after')}</Table.Th>
                    <Table.Th>{t('routers.audit_result')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.items.map((a) => (
                    <Table.Tr key={a.id}>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(a.at)}</Table.Td>
                      <Table.Td>{a.actor}</Table.Td>
                      <Table.Td>
                        <Code>{a.action}</Code>
                      </Table.Td>
                      <Table.Td>{a.target}</Table.Td>
                      <Table.Td>{a.reason || '—'}</Table.Td>
                      <Table.Td>
                        <Text size="xs" style={{ wordBreak: 'break-word' }}>{formatAuditValue(a.before)}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="xs" style={{ wordBreak: 'break-word' }}>{formatAuditValue(a.after)}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Badge color={a.result === 'ok' ? 'green' : 'red'} variant="light">
                          {t(`routers.result.${a.result}` as 'routers.result.ok', { defaultValue: a.result })}
                        </Badge>
                        {a.error && (
                          <Text size="xs" c="red">
                            {a.error}
                          </Text>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </LoadState>
    </Stack>
  );
}
