import { Alert, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { FormError } from '../../components/FormError';
import { LoadState } from '../../components/LoadState';
import { formatDateTime } from '../../lib/dates';
import { useInvalidate } from '../../lib/queryClient';
import { keys } from '../../lib/queryKeys';

/** Profiles as last read from the router(s); "Sinkronkan profil" reads them again. */
export function ProfilesSection({ routerId }: { routerId: string | null }) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const profiles = useQuery({
    queryKey: keys.pppoe.profiles(routerId),
    queryFn: () => unwrap(api.GET('/api/pppoe/profiles', { params: { query: routerId ? { router_id: routerId } : {} } })),
  });
  const sync = useMutation({
    mutationFn: () => unwrap(api.POST('/api/pppoe/profiles/sync', { body: routerId ? { router_id: routerId } : {} })),
    onSuccess: () => void invalidate(keys.pppoe.profilesAll()),
  });
  const synced = sync.data ? sync.data.items.filter((p) => p.active).length : null;

  return (
    <Card withBorder>
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h4">
            {t('pppoe.profiles')}
          </Title>
          <Button loading={sync.isPending} onClick={() => sync.mutate()}>
            {t('pppoe.sync')}
          </Button>
        </Group>
        {synced !== null && (
          <Alert color="green" variant="light" role="status" data-testid="profiles-synced">
            {t('pppoe.synced', { count: synced })}
          </Alert>
        )}
        {sync.data && sync.data.not_read.length > 0 && (
          <Alert color="yellow" variant="light" role="alert" data-testid="profiles-not-read">
            {t('pppoe.not_read', { routers: sync.data.not_read.join('; ') })}
          </Alert>
        )}
        <FormError error={sync.error} />
        <LoadState state={profiles}>
          {(data) =>
            data.items.length === 0 ? (
              <Text c="dimmed" size="sm">
                {t('pppoe.profiles_empty')}
              </Text>
            ) : (
              <Table.ScrollContainer minWidth={820}>
                <Table striped aria-label={t('pppoe.profiles')}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('pppoe.profile_name')}</Table.Th>
                      <Table.Th>{t('pppoe.router')}</Table.Th>
                      <Table.Th>{t('pppoe.profile_kind')}</Table.Th>
                      <Table.Th>{t('pppoe.rate_limit')}</Table.Th>
                      <Table.Th>{t('pppoe.plans')}</Table.Th>
                      <Table.Th>{t('common.status')}</Table.Th>
                      <Table.Th>{t('pppoe.synced_at')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.items.map((p) => (
                      <Table.Tr key={`${p.router_id}-${p.kind}-${p.name}`}>
                        <Table.Td>{p.name}</Table.Td>
                        <Table.Td>{p.router_name}</Table.Td>
                        <Table.Td>{p.kind === 'ppp' ? 'PPP' : 'Hotspot'}</Table.Td>
                        <Table.Td>{p.rate_limit || '—'}</Table.Td>
                        <Table.Td>{p.plans.length ? p.plans.join(', ') : '—'}</Table.Td>
                        <Table.Td>
                          <Text size="sm" c={p.active ? 'green' : 'dimmed'}>
                            {p.active ? t('pppoe.active') : t('pppoe.gone')}
                          </Text>
                          <Text size="xs" c={p.marked ? 'blue' : 'dimmed'}>
                            {p.marked ? t('pppoe.marked') : t('pppoe.router_own')}
                          </Text>
                        </Table.Td>
                        <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(p.synced_at)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )
          }
        </LoadState>
      </Stack>
    </Card>
  );
}
