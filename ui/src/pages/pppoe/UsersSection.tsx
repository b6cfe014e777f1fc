import { Alert, Anchor, Badge, Button, Card, Group, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { PppoeUser, Router } from '../../api/types';
import { ConfirmButton } from '../../components/ConfirmButton';
import { LoadState } from '../../components/LoadState';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDateTime } from '../../lib/dates';
import { useInvalidate } from '../../lib/queryClient';
import { keys } from '../../lib/queryKeys';
import { UserActionModal } from './UserDialogs';
import type { UserAction } from './UserDialogs';

/** The PPPoE secrets of the subscriptions: isolate/restore, password, router, delete. */
export function UsersSection({ routerId, routers }: { routerId: string | null; routers: Router[] }) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const users = useQuery({
    queryKey: keys.pppoe.users(routerId),
    queryFn: () => unwrap(api.GET('/api/pppoe/users', { params: { query: routerId ? { router_id: routerId } : {} } })),
  });
  // Isolating, restoring, moving or deleting a secret changes the subscription too.
  const changed = () => void invalidate(keys.pppoe.all, keys.subscriptions.all, ...keys.routers.status());
  const [acting, setActing] = useState<{ action: UserAction; user: PppoeUser } | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const open = (action: UserAction, user: PppoeUser) => {
    setDone(null);
    setActing({ action, user });
  };

  return (
    <Card withBorder>
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h4">
            {t('pppoe.users')}
          </Title>
          <Button variant="default" size="xs" loading={users.isFetching} onClick={() => void users.refetch()}>
            {t('routers.reload')}
          </Button>
        </Group>
        {done && (
          <Alert color="green" variant="light" role="status" withCloseButton onClose={() => setDone(null)}>
            {done}
          </Alert>
        )}
        <LoadState state={users}>
          {(data) =>
            data.items.length === 0 ? (
              <Text c="dimmed" size="sm">
                {t('pppoe.users_empty')}
              </Text>
            ) : (
              <Table.ScrollContainer minWidth={860}>
                <Table striped aria-label={t('pppoe.users')}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('pppoe.login')}</Table.Th>
                      <Table.Th>
                        {t('pppoe.customer')} · {t('pppoe.plan')}
                      </Table.Th>
                      <Table.Th>
                        {t('pppoe.router')} · {t('pppoe.profile')}
                      </Table.Th>
                      <Table.Th>{t('common.status')}</Table.Th>
                      <Table.Th>{t('pppoe.queue')}</Table.Th>
                      <Table.Th>{t('common.actions')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.items.map((u) => (
                      <Table.Tr key={u.subscription_id}>
                        <Table.Td>
                          <Anchor component={Link} to={`/subscriptions/${u.subscription_id}`}>
                            {u.login}
                          </Anchor>
                          <Presence user={u} />
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm">{u.customer_name}</Text>
                          <Text size="xs" c="dimmed">
                            {u.plan_name}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm">{u.router_name || t('routers.no_router')}</Text>
                          <Text size="xs" c="dimmed">
                            {u.router_profile}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <StatusBadge kind="subscription" status={u.status} />
                        </Table.Td>
                        <Table.Td maw={260}>
                          {u.pending_commands > 0 ? (
                            <Tooltip label={u.last_error || t('pppoe.queue_count', { count: u.pending_commands })} multiline w={300}>
                              <Badge color={u.last_error ? 'red' : 'yellow'} variant="light">
                                {t('pppoe.queue_count', { count: u.pending_commands })}
                              </Badge>
                            </Tooltip>
                          ) : (
                            '—'
                          )}
                          {u.last_error && (
                            <Text size="xs" c="red">
                              {u.last_error}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td style={{ minWidth: 240 }}>
                          <Group gap={6} wrap="wrap">
                            {u.status === 'active' && (
                              <Button size="xs" variant="light" color="orange" onClick={() => open('isolate', u)} aria-label={`${t('pppoe.isolate')} ${u.login}`}>
                                {t('pppoe.isolate')}
                              </Button>
                            )}
                            {u.status === 'isolated' && (
                              <Button size="xs" variant="light" color="green" onClick={() => open('restore', u)} aria-label={`${t('pppoe.restore')} ${u.login}`}>
                                {t('pppoe.restore')}
                              </Button>
                            )}
                            <Button size="xs" variant="default" onClick={() => open('password', u)} aria-label={`${t('pppoe.change_password')} ${u.login}`}>
                              {t('pppoe.change_password')}
                            </Button>
                            <Button size="xs" variant="default" onClick={() => open('assign', u)} aria-label={`${t('pppoe.assign')} ${u.login}`} disabled={routers.length === 0}>
                              {t('pppoe.assign')}
                            </Button>
                            <ConfirmButton
                              size="xs"
                              variant="light"
                              color="red"
                              label={t('common.delete')}
                              aria-label={`${t('common.delete')} ${u.login}`}
                              disabled={!u.router_id}
                              title={t('pppoe.delete_title')}
                              message={t('pppoe.delete_confirm', { login: u.login, router: u.router_name ?? '—' })}
                              confirmLabel={t('common.delete')}
                              onConfirm={async () => {
                                await unwrap(api.DELETE('/api/pppoe/users/{id}', { params: { path: { id: u.subscription_id } } }));
                                changed();
                              }}
                            />
                          </Group>
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
      <UserActionModal
        action={acting?.action ?? null}
        user={acting?.user ?? null}
        routers={routers}
        onClose={() => setActing(null)}
        onDone={(message) => {
          setActing(null);
          setDone(message);
          changed();
        }}
      />
    </Card>
  );
}

/** Online now, last seen, or never: what the router monitor saw (each minute). */
function Presence({ user: u }: { user: PppoeUser }) {
  const { t } = useTranslation();
  const text = u.online
    ? t('pppoe.online_since', { when: formatDateTime(u.connected_since) })
    : u.last_seen_at
      ? t('pppoe.last_seen', { when: formatDateTime(u.last_seen_at) })
      : t('pppoe.never_seen');
  const details = [
    u.address && t('pppoe.presence_address', { address: u.address }),
    u.caller_id && t('pppoe.presence_caller', { caller: u.caller_id }),
    u.first_login_at && t('pppoe.first_login', { when: formatDateTime(u.first_login_at) }),
  ].filter(Boolean);
  const line = (
    <Text size="xs" c={u.online ? 'teal' : 'dimmed'} data-testid={`presence-${u.login}`}>
      {u.online ? '● ' : ''}
      {text}
    </Text>
  );
  return details.length > 0 ? (
    <Tooltip label={details.join(' · ')} multiline w={280}>
      {line}
    </Tooltip>
  ) : (
    line
  );
}
