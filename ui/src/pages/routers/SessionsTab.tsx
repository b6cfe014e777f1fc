import { Alert, Button, Group, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { ConfirmButton } from '../../components/ConfirmButton';
import { LoadState } from '../../components/LoadState';
import { formatDuration } from '../../lib/routerFormat';
import { keys } from '../../lib/queryKeys';

/** "Sesi aktif": the router's live /ppp/active, with "Putuskan" per login. */
export function SessionsTab({ routerId }: { routerId: string }) {
  const { t } = useTranslation();
  const sessions = useQuery({
    queryKey: keys.routers.sessions(routerId),
    queryFn: () => unwrap(api.GET('/api/routers/{id}/sessions', { params: { path: { id: routerId } } })),
  });
  const [kicked, setKicked] = useState<string | null>(null);

  return (
    <Stack gap="sm">
      <Group justify="flex-end">
        <Button variant="default" size="xs" loading={sessions.isFetching} onClick={() => void sessions.refetch()}>
          {t('routers.reload')}
        </Button>
      </Group>
      {kicked && (
        <Alert color="green" variant="light" role="status" withCloseButton onClose={() => setKicked(null)}>
          {kicked}
        </Alert>
      )}
      <LoadState state={sessions}>
        {(data) =>
          data.items.length === 0 ? (
            <Text c="dimmed" size="sm" data-testid="sessions-empty">
              {t('routers.sessions_empty')}
            </Text>
          ) : (
            <Table.ScrollContainer minWidth={640}>
              <Table striped aria-label={t('routers.tab_sessions')}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('routers.session_login')}</Table.Th>
                    <Table.Th>{t('routers.session_address')}</Table.Th>
                    <Table.Th>{t('routers.session_caller')}</Table.Th>
                    <Table.Th>{t('routers.session_service')}</Table.Th>
                    <Table.Th>{t('routers.uptime')}</Table.Th>
                    <Table.Th>{t('common.actions')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.items.map((s) => (
                    <Table.Tr key={s.id}>
                      <Table.Td>{s.name}</Table.Td>
                      <Table.Td>{s.address || '—'}</Table.Td>
                      <Table.Td>{s.caller_id || '—'}</Table.Td>
                      <Table.Td>{s.service || '—'}</Table.Td>
                      <Table.Td>{formatDuration(s.uptime_secs)}</Table.Td>
                      <Table.Td>
                        <ConfirmButton
                          size="xs"
                          variant="light"
                          color="orange"
                          label={t('routers.kick')}
                          aria-label={`${t('routers.kick')} ${s.name}`}
                          title={t('routers.kick_title')}
                          message={t('routers.kick_confirm', { login: s.name })}
                          confirmLabel={t('routers.kick')}
                          onConfirm={async () => {
                            const result = await unwrap(
                              api.POST('/api/routers/{id}/sessions/kick', {
                                params: { path: { id: routerId } },
                                body: { login: s.name },
                              }),
                            );
                            setKicked(t('routers.kicked', { count: result.sessions_ended }));
                            void sessions.refetch();
                          }}
                        />
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
