import { Alert, Badge, Button, Code, Group, Stack, Switch, Table, Text } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { FormError } from '../../components/FormError';
import { LoadState } from '../../components/LoadState';
import { formatDateTime } from '../../lib/dates';
import { useInvalidate } from '../../lib/queryClient';
import { keys } from '../../lib/queryKeys';

const COLORS: Record<string, string> = { pending: 'yellow', done: 'green', failed: 'red' };

/**
 * "Antrean perintah": this router's outbox (and commands that have no router yet), with the last
 * error; "Kirim ulang sekarang" delivers every due command at once.
 */
export function CommandsTab({ routerId }: { routerId: string }) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const [pendingOnly, setPendingOnly] = useState(true);
  const query = { pending: pendingOnly, limit: 200 };
  const commands = useQuery({
    queryKey: keys.routers.commands(query),
    queryFn: () => unwrap(api.GET('/api/routers/commands', { params: { query } })),
  });
  const deliver = useMutation({
    mutationFn: () => unwrap(api.POST('/api/routers/commands/deliver')),
    // The queue, the routers' pending counts, and the PPPoE users' queue column.
    onSuccess: () => void invalidate(keys.routers.commandsAll(), ...keys.routers.status(), keys.pppoe.all),
  });
  const delivered = deliver.data?.delivered ?? null;

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Switch label={t('routers.only_pending')} checked={pendingOnly} onChange={(e) => setPendingOnly(e.currentTarget.checked)} />
        <Group gap="xs">
          <Button variant="default" size="xs" loading={commands.isFetching} onClick={() => void commands.refetch()}>
            {t('routers.reload')}
          </Button>
          <Button size="xs" loading={deliver.isPending} onClick={() => deliver.mutate()}>
            {t('routers.deliver')}
          </Button>
        </Group>
      </Group>
      {delivered !== null && (
        <Alert color="green" variant="light" role="status" data-testid="commands-delivered">
          {t('routers.delivered', { count: delivered })}
        </Alert>
      )}
      <FormError error={deliver.error} />
      <LoadState state={commands}>
        {(data) => {
          const items = data.items.filter((c) => !c.router_id || c.router_id === routerId);
          if (items.length === 0) {
            return (
              <Text c="dimmed" size="sm" data-testid="commands-empty">
                {pendingOnly ? t('routers.commands_empty') : t('routers.commands_empty_all')}
              </Text>
            );
          }
          return (
            <Table.ScrollContainer minWidth={820}>
              <Table striped aria-label={t('routers.tab_commands')}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('common.created_at')}</Table.Th>
                    <Table.Th>{t('routers.cmd_action')}</Table.Th>
                    <Table.Th>{t('routers.cmd_target')}</Table.Th>
                    <Table.Th>{t('common.status')}</Table.Th>
                    <Table.Th ta="right">{t('routers.cmd_attempts')}</Table.Th>
                    <Table.Th>{t('routers.cmd_next')}</Table.Th>
                    <Table.Th>{t('routers.cmd_error')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((c) => (
                    <Table.Tr key={c.id}>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(c.created_at)}</Table.Td>
                      <Table.Td>
                        <Code>{c.action}</Code>
                        {!c.router_id && (
                          <Text size="xs" c="dimmed">
                            {t('routers.no_router')}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>{c.login || '—'}</Table.Td>
                      <Table.Td>
                        <Badge color={COLORS[c.status] ?? 'gray'} variant="light" data-status={c.status}>
                          {t(`routers.cmd_status.${c.status}` as 'routers.cmd_status.pending', { defaultValue: c.status })}
                        </Badge>
                      </Table.Td>
                      <Table.Td ta="right">{c.attempts}</Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        {c.status === 'pending' ? formatDateTime(c.next_attempt_at) : formatDateTime(c.done_at)}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" c={c.last_error ? 'red' : 'dimmed'}>
                          {c.last_error || '—'}
                        </Text>
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
  );
}
