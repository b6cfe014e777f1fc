import { Alert, Badge, Button, Group, List, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { routersQuery, voucherProfilesQuery } from '../../api/queries';
import type { VoucherProfile } from '../../api/types';
import { ConfirmButton } from '../../components/ConfirmButton';
import { LoadState } from '../../components/LoadState';
import { PageHeader } from '../../components/PageHeader';
import { formatRupiah } from '../../lib/money';
import { useInvalidate } from '../../lib/queryClient';
import { keys } from '../../lib/queryKeys';
import { formatBytes, formatDuration } from '../../lib/voucherFormat';
import { ProfileFormModal } from './ProfileFormModal';

/** Profil voucher: price and limits of each kind of voucher, written to every router. */
export function ProfilesPage() {
  const { t, i18n } = useTranslation();
  const invalidate = useInvalidate();
  const profiles = useQuery(voucherProfilesQuery());
  const routers = useQuery(routersQuery());
  const [editing, setEditing] = useState<VoucherProfile | 'new' | null>(null);
  const routerName = (id: string) => routers.data?.items.find((r) => r.id === id)?.name ?? id;
  const lang = i18n.language;

  const unsynced = profiles.data?.items.filter((p) => p.sync_errors.length > 0) ?? [];

  return (
    <Stack gap="md">
      <PageHeader
        title={t('vouchers.profiles.title')}
        actions={<Button onClick={() => setEditing('new')}>{t('vouchers.profiles.add')}</Button>}
      />
      <Alert variant="light" color="blue">
        {t('vouchers.profiles.intro')}
      </Alert>
      {unsynced.length > 0 && (
        <Alert variant="light" color="orange" title={t('vouchers.profiles.sync_title')} data-testid="profile-sync-errors">
          <List size="sm">
            {unsynced.flatMap((p) =>
              p.sync_errors.map((e) => (
                <List.Item key={`${p.id}-${e.router_id}`}>
                  {t('vouchers.profiles.sync_error', { profile: p.name, router: routerName(e.router_id), error: e.error })}
                </List.Item>
              )),
            )}
          </List>
        </Alert>
      )}
      <LoadState state={profiles}>
        {(data) => (
          <Table.ScrollContainer minWidth={900}>
            <Table striped highlightOnHover aria-label={t('vouchers.profiles.title')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('vouchers.profiles.name')}</Table.Th>
                  <Table.Th ta="right">{t('vouchers.profiles.price')}</Table.Th>
                  <Table.Th>{t('vouchers.profiles.validity')}</Table.Th>
                  <Table.Th>{t('vouchers.profiles.uptime_limit')}</Table.Th>
                  <Table.Th>{t('vouchers.profiles.quota')}</Table.Th>
                  <Table.Th>{t('vouchers.profiles.rate_limit')}</Table.Th>
                  <Table.Th ta="right">{t('vouchers.profiles.shared_users_short')}</Table.Th>
                  <Table.Th ta="right">{t('vouchers.profiles.open_vouchers')}</Table.Th>
                  <Table.Th>{t('common.status')}</Table.Th>
                  <Table.Th>{t('common.actions')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={10}>{t('vouchers.profiles.empty')}</Table.Td>
                  </Table.Tr>
                )}
                {data.items.map((p) => (
                  <Table.Tr key={p.id}>
                    <Table.Td>
                      <Text fw={500}>{p.name}</Text>
                      <Text size="xs" c="dimmed">
                        {p.router_profile}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                      {formatRupiah(p.price)}
                    </Table.Td>
                    <Table.Td data-testid="profile-validity">{p.validity_secs ? formatDuration(p.validity_secs, lang) : t('vouchers.limits.unlimited')}</Table.Td>
                    <Table.Td>{p.uptime_limit_secs ? formatDuration(p.uptime_limit_secs, lang) : t('vouchers.limits.unlimited')}</Table.Td>
                    <Table.Td>{p.quota_bytes ? formatBytes(p.quota_bytes) : t('vouchers.limits.unlimited')}</Table.Td>
                    <Table.Td>{p.rate_limit || '—'}</Table.Td>
                    <Table.Td ta="right">{p.shared_users}</Table.Td>
                    <Table.Td ta="right">{p.open_vouchers}</Table.Td>
                    <Table.Td>
                      <Stack gap={4} align="flex-start">
                        <Badge variant="light" miw="max-content" color={p.active ? 'green' : 'gray'}>
                          {p.active ? t('vouchers.profiles.active_yes') : t('vouchers.profiles.active_no')}
                        </Badge>
                        {/* Lines that may wrap, not badges: the table must fit a 1280 px laptop. */}
                        {p.for_sale && (
                          <Text size="xs" c="teal.8" fw={500} data-testid="profile-for-sale-mark">
                            {t('vouchers.profiles.for_sale_mark')}
                          </Text>
                        )}
                        {p.sync_errors.length > 0 && (
                          <Text size="xs" c="orange.8" fw={500}>
                            {t('vouchers.profiles.not_synced', { count: p.sync_errors.length })}
                          </Text>
                        )}
                      </Stack>
                    </Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Button
                          size="xs"
                          variant="default"
                          onClick={() => setEditing(p)}
                          aria-label={`${t('common.edit')} ${p.name}`}
                        >
                          {t('common.edit')}
                        </Button>
                        <ConfirmButton
                          size="xs"
                          variant="light"
                          color="red"
                          label={t('common.delete')}
                          aria-label={`${t('common.delete')} ${p.name}`}
                          title={t('vouchers.profiles.delete_title')}
                          message={t('vouchers.profiles.delete_confirm', { name: p.name })}
                          confirmLabel={t('common.delete')}
                          onConfirm={async () => {
                            await unwrap(api.DELETE('/api/voucher-profiles/{id}', { params: { path: { id: p.id } } }));
                            void invalidate(keys.voucherProfiles.all, keys.shop.settings());
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
      <ProfileFormModal
        opened={editing !== null}
        profile={editing === 'new' || editing === null ? undefined : editing}
        onClose={() => setEditing(null)}
        onSaved={() => setEditing(null)}
      />
    </Stack>
  );
}
