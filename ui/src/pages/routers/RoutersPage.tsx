import { Alert, Anchor, Button, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { routersQuery } from '../../api/queries';
import type { Router } from '../../api/types';
import { ConfirmButton } from '../../components/ConfirmButton';
import { errorTitle } from '../../components/FormError';
import { LoadState } from '../../components/LoadState';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime } from '../../lib/dates';
import { formatCpu, formatMemory } from '../../lib/routerFormat';
import { useInvalidate } from '../../lib/queryClient';
import { keys } from '../../lib/queryKeys';
import { ConnectionTestButton } from './ConnectionTest';
import { RouterFormModal } from './RouterFormModal';
import { RouterStatusBadge } from './RouterStatusBadge';

/** Router: every MikroTik router with its last known status. */
export function RoutersPage() {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const routers = useQuery(routersQuery());
  const [editing, setEditing] = useState<Router | 'new' | null>(null);
  const refresh = useMutation({
    mutationFn: () => unwrap(api.POST('/api/routers/refresh')),
    onSuccess: () => {
      notifications.show({ color: 'green', message: t('routers.refreshed') });
      void invalidate(...keys.routers.status());
    },
    onError: (e) => notifications.show({ color: 'red', title: errorTitle(e, t), message: e.message }),
  });

  return (
    <Stack gap="md">
      <PageHeader
        title={t('nav.routers')}
        actions={
          <>
            <Button variant="default" loading={refresh.isPending} onClick={() => refresh.mutate()}>
              {t('routers.refresh')}
            </Button>
            <Button onClick={() => setEditing('new')}>{t('routers.add')}</Button>
          </>
        }
      />
      <Alert variant="light" color="blue">
        {t('routers.intro')}
      </Alert>
      <LoadState state={routers}>
        {(data) => (
          <Table.ScrollContainer minWidth={860}>
            <Table striped highlightOnHover aria-label={t('nav.routers')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('routers.name')}</Table.Th>
                  <Table.Th>{t('routers.address')}</Table.Th>
                  <Table.Th>{t('routers.col_status')}</Table.Th>
                  <Table.Th>{t('routers.load')}</Table.Th>
                  <Table.Th>{t('routers.uptime')}</Table.Th>
                  <Table.Th ta="right">{t('routers.pending')}</Table.Th>
                  <Table.Th>{t('common.actions')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={7}>{t('common.empty')}</Table.Td>
                  </Table.Tr>
                )}
                {data.items.map((r) => (
                  <Table.Tr key={r.id} data-testid={`router-row-${r.name}`}>
                    <Table.Td>
                      <Anchor component={Link} to={`/routers/${r.id}`}>
                        {r.name}
                      </Anchor>
                      {r.identity && (
                        <Text size="xs" c="dimmed">
                          {r.identity}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      {r.host}:{r.port}
                      {r.tls ? ' (TLS)' : ''}
                    </Table.Td>
                    <Table.Td>
                      {r.last_error ? (
                        <Tooltip label={r.last_error} multiline w={320}>
                          <span>
                            <RouterStatusBadge status={r.status} />
                          </span>
                        </Tooltip>
                      ) : (
                        <RouterStatusBadge status={r.status} />
                      )}
                      <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                        {formatDateTime(r.last_seen_at)}
                      </Text>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Text size="sm">{t('routers.cpu_value', { value: formatCpu(r.cpu_load) })}</Text>
                      <Text size="xs" c="dimmed">
                        {t('routers.memory_value', { value: formatMemory(r.free_memory) })}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{r.uptime || '—'}</Text>
                      {r.version && (
                        <Text size="xs" c="dimmed">
                          RouterOS {r.version}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td ta="right">{r.pending_commands}</Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <ConnectionTestButton size="xs" variant="light" router={r} />
                        <Button size="xs" variant="default" onClick={() => setEditing(r)} aria-label={`${t('common.edit')} ${r.name}`}>
                          {t('common.edit')}
                        </Button>
                        <ConfirmButton
                          size="xs"
                          variant="light"
                          color="red"
                          label={t('common.delete')}
                          aria-label={`${t('common.delete')} ${r.name}`}
                          title={t('routers.delete_title')}
                          message={t('routers.delete_confirm', { name: r.name })}
                          confirmLabel={t('common.delete')}
                          onConfirm={async () => {
                            await unwrap(api.DELETE('/api/routers/{id}', { params: { path: { id: r.id } } }));
                            void invalidate(...keys.routers.status());
                          }}
                        />
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </LoadState>
      <RouterFormModal
        opened={editing !== null}
        router={editing === 'new' || editing === null ? undefined : editing}
        onClose={() => setEditing(null)}
        onSaved={() => setEditing(null)}
      />
    </Stack>
  );
}
