import { Alert, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { asApiError, unwrap } from '../../api/errors';
import type { ApiError } from '../../api/errors';
import { FormError } from '../../components/FormError';
import { LoadState } from '../../components/LoadState';
import { formatDateTime } from '../../lib/dates';
import { useApi } from '../../lib/useApi';

/** Profiles as last read from the router(s); "Sinkronkan profil" reads them again. */
export function ProfilesSection({ routerId }: { routerId: string | null }) {
  const { t } = useTranslation();
  const profiles = useApi(
    () => unwrap(api.GET('/api/pppoe/profiles', { params: { query: routerId ? { router_id: routerId } : {} } })),
    [routerId],
  );
  const [busy, setBusy] = useState(false);
  const [synced, setSynced] = useState<number | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const sync = async () => {
    setBusy(true);
    setError(null);
    setSynced(null);
    try {
      const result = await unwrap(api.POST('/api/pppoe/profiles/sync', { body: routerId ? { router_id: routerId } : {} }));
      setSynced(result.items.filter((p) => p.active).length);
      profiles.reload();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card withBorder>
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h4">
            {t('pppoe.profiles')}
          </Title>
          <Button loading={busy} onClick={() => void sync()}>
            {t('pppoe.sync')}
          </Button>
        </Group>
        {synced !== null && (
          <Alert color="green" variant="light" role="status" data-testid="profiles-synced">
            {t('pppoe.synced', { count: synced })}
          </Alert>
        )}
        <FormError error={error} />
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
                          {p.marked && (
                            <Text size="xs" c="blue">
                              {t('pppoe.marked')}
                            </Text>
                          )}
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
