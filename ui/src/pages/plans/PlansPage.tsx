import { Alert, Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { plansQuery } from '../../api/queries';
import type { Plan } from '../../api/types';
import { ConfirmButton } from '../../components/ConfirmButton';
import { LoadState } from '../../components/LoadState';
import { PageHeader } from '../../components/PageHeader';
import { formatRupiah } from '../../lib/money';
import { useInvalidate } from '../../lib/queryClient';
import { keys } from '../../lib/queryKeys';
import { PlanFormModal } from './PlanFormModal';

/** Paket: the plans customers subscribe to (price, PPPoE/hotspot, router profile). */
export function PlansPage() {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const plans = useQuery(plansQuery());
  const [editing, setEditing] = useState<Plan | 'new' | null>(null);

  return (
    <Stack gap="md">
      <PageHeader title={t('nav.plans')} actions={<Button onClick={() => setEditing('new')}>{t('plans.add')}</Button>} />
      <Alert variant="light" color="blue">
        {t('plans.intro')}
      </Alert>
      <LoadState state={plans}>
        {(data) => (
          <Table.ScrollContainer minWidth={760}>
            <Table striped highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('plans.name')}</Table.Th>
                  <Table.Th ta="right">{t('plans.price')}</Table.Th>
                  <Table.Th>{t('plans.kind')}</Table.Th>
                  <Table.Th>{t('plans.router_profile')}</Table.Th>
                  <Table.Th>{t('plans.speed_label')}</Table.Th>
                  <Table.Th>{t('common.status')}</Table.Th>
                  <Table.Th ta="right">{t('plans.subscription_count')}</Table.Th>
                  <Table.Th>{t('common.actions')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={8}>{t('common.empty')}</Table.Td>
                  </Table.Tr>
                )}
                {data.items.map((p) => (
                  <Table.Tr key={p.id}>
                    <Table.Td>{p.name}</Table.Td>
                    <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>{formatRupiah(p.price)}</Table.Td>
                    <Table.Td>{p.kind === 'pppoe' ? t('plans.kind_pppoe') : t('plans.kind_hotspot')}</Table.Td>
                    <Table.Td>
                      {p.router_profile}
                      {p.profile_missing_on.length > 0 && (
                        <Text size="xs" c="orange" data-testid="plan-profile-missing">
                          {t('plans.profile_missing_short', { routers: p.profile_missing_on.join(', ') })}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{p.speed_label || '—'}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={p.active ? 'green' : 'gray'}>
                        {p.active ? t('plans.active_yes') : t('plans.active_no')}
                      </Badge>
                    </Table.Td>
                    <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>{p.subscription_count}</Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Button size="xs" variant="default" onClick={() => setEditing(p)} aria-label={`${t('common.edit')} ${p.name}`}>
                          {t('common.edit')}
                        </Button>
                        <ConfirmButton
                          size="xs"
                          variant="light"
                          color="red"
                          label={t('common.delete')}
                          aria-label={`${t('common.delete')} ${p.name}`}
                          title={t('plans.delete_title')}
                          message={p.subscription_count > 0 ? t('plans.delete_in_use') : t('plans.delete_confirm', { name: p.name })}
                          confirmLabel={t('common.delete')}
                          onConfirm={async () => {
                            await unwrap(api.DELETE('/api/plans/{id}', { params: { path: { id: p.id } } }));
                            void invalidate(keys.plans.all);
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
      <PlanFormModal
        opened={editing !== null}
        plan={editing === 'new' || editing === null ? undefined : editing}
        onClose={() => setEditing(null)}
        onSaved={() => setEditing(null)}
      />
    </Stack>
  );
}
