import { Alert, Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { Drift, DriftKind } from '../../api/types';
import { ConfirmButton } from '../../components/ConfirmButton';
import { LoadState } from '../../components/LoadState';
import { formatDateTime } from '../../lib/dates';
import { useInvalidate } from '../../lib/queryClient';
import { keys } from '../../lib/queryKeys';

const KINDS: DriftKind[] = ['missing', 'extra', 'profile', 'disabled', 'password'];
const COLORS: Record<DriftKind, string> = { missing: 'red', extra: 'grape', profile: 'orange', disabled: 'yellow', password: 'blue' };

function DriftTable({ kind, drifts }: { kind: DriftKind; drifts: Drift[] }) {
  const { t } = useTranslation();
  const label = t(`routers.drift_kind.${kind}`);
  return (
    <Stack gap={4} data-testid={`drift-${kind}`}>
      <Group gap="xs">
        <Title order={4} size="h5">
          {label}
        </Title>
        <Badge color={COLORS[kind]} variant="light">
          {drifts.length}
        </Badge>
      </Group>
      <Table.ScrollContainer minWidth={560}>
        <Table striped aria-label={label}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('pppoe.login')}</Table.Th>
              <Table.Th>{t('routers.expected')}</Table.Th>
              <Table.Th>{t('routers.actual')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {drifts.map((d) => (
              <Table.Tr key={`${d.kind}-${d.login}`}>
                <Table.Td>{d.login}</Table.Td>
                <Table.Td>{d.expected || '—'}</Table.Td>
                <Table.Td>{d.actual || '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

/** "Rekonsiliasi": differences between the router's secrets and the database, and "Perbaiki semua". */
export function ReconcileTab({ routerId }: { routerId: string }) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const report = useQuery({
    queryKey: keys.routers.reconcile(routerId),
    queryFn: () => unwrap(api.GET('/api/reconcile/{router_id}', { params: { path: { router_id: routerId } } })),
  });
  const [repaired, setRepaired] = useState<number | null>(null);
  const count = report.data?.drifts.length ?? 0;

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-start">
        <Text size="sm" c="dimmed" maw={560}>
          {t('routers.reconcile_intro')}
        </Text>
        <Group gap="xs">
          <Button variant="default" size="xs" loading={report.isFetching} onClick={() => void report.refetch()}>
            {t('routers.reconcile_check')}
          </Button>
          <ConfirmButton
            size="xs"
            color="orange"
            label={t('routers.repair_all')}
            title={t('routers.repair_title')}
            message={t('routers.repair_confirm', { count })}
            confirmLabel={t('routers.repair_all')}
            disabled={count === 0}
            onConfirm={async () => {
              const result = await unwrap(
                api.POST('/api/reconcile/{router_id}/repair', { params: { path: { router_id: routerId } } }),
              );
              setRepaired(result.queued);
              void invalidate(keys.routers.reconcile(routerId), keys.routers.detail(routerId), keys.pppoe.all);
            }}
          />
        </Group>
      </Group>
      {repaired !== null && (
        <Alert color="green" variant="light" role="status">
          {t('routers.repaired', { count: repaired })}
        </Alert>
      )}
      <LoadState state={report}>
        {(r) => (
          <Stack gap="md">
            <Text size="sm" data-testid="reconcile-summary">
              {t('routers.reconcile_summary', {
                secrets: r.router_secrets,
                subscriptions: r.subscriptions,
                at: formatDateTime(r.checked_at),
              })}
            </Text>
            {!r.passwords_compared && (
              <Text size="sm" c="dimmed">
                {t('routers.reconcile_no_passwords')}
              </Text>
            )}
            {r.pending_skipped > 0 && (
              <Text size="sm" c="orange">
                {t('routers.reconcile_skipped', { count: r.pending_skipped })}
              </Text>
            )}
            {r.drifts.length === 0 ? (
              <Alert color="green" variant="light" data-testid="reconcile-ok">
                {t('routers.reconcile_ok')}
              </Alert>
            ) : (
              KINDS.map((kind) => {
                const drifts = r.drifts.filter((d) => d.kind === kind);
                return drifts.length > 0 ? <DriftTable key={kind} kind={kind} drifts={drifts} /> : null;
              })
            )}
          </Stack>
        )}
      </LoadState>
    </Stack>
  );
}
