import { Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { Health } from '../../api/types';
import { LoadState } from '../../components/LoadState';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime } from '../../lib/dates';
import { keys } from '../../lib/queryKeys';
import { tDynamic } from '../../lib/tDynamic';
import { HealthBadge, HealthTable, healthText } from './HealthParts';
import { AlertsPanel } from './AlertsPanel';
import { JobsPanel } from './JobsPanel';
import { MonitoringSettingsPanel } from './MonitoringSettingsPanel';
import { RetentionReport } from './RetentionReport';
import { HealthProblems } from './HealthProblems';
import { useAuth } from '../../auth/AuthContext';
import { can } from '../../layout/areas';

/** Refreshed this often while the page is open (routers are probed in the background). */
const REFRESH_MS = 10_000;

/** GET /api/monitoring/health (also the home screen's card). */
export const healthQuery = () =>
  queryOptions({ queryKey: keys.monitoring.health(), queryFn: () => unwrap(api.GET('/api/monitoring/health')) });

/**
 * "Kesehatan sistem": every part of the app with its status, in plain words. Refreshed every
 * 10 s, and at once when an alert or a failed WhatsApp session is reported (lib/eventKeys.ts).
 */
export function HealthPage() {
  const { t } = useTranslation();
  const { user } = useAuth();
  const health = useQuery({ ...healthQuery(), refetchInterval: REFRESH_MS, refetchIntervalInBackground: true });
  const reload = () => void health.refetch();

  return (
    <Stack gap="md">
      <PageHeader
        title={t('health.title')}
        actions={
          <Button variant="default" loading={health.isFetching} onClick={reload}>
            {t('health.refresh')}
          </Button>
        }
      >
        {health.data && <HealthBadge status={health.data.status} size="lg" testId="health-overall" />}
      </PageHeader>
      {health.data && <HealthProblems health={health.data} />}
      {can(user, 'monitoring_read') && <AlertsPanel />}
      <LoadState state={health}>{(data) => <HealthSections health={data} />}</LoadState>
      {can(user, 'monitoring_read') && <JobsPanel />}
      {can(user, 'monitoring_manage') && <MonitoringSettingsPanel />}
    </Stack>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card withBorder padding="md" radius="md" component="section">
      <Title order={3} size="h5" mb="xs">
        {title}
      </Title>
      {children}
    </Card>
  );
}

function HealthSections({ health }: { health: Health }) {
  const { t } = useTranslation();
  const db = health.database;
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        {t('health.checked_at', { at: formatDateTime(health.checked_at) })} · {t('health.app_version')}{' '}
        <span data-testid="app-version">{health.app_version}</span>
      </Text>
      <Section title={t('health.database')}>
        <Table variant="vertical" layout="fixed" withTableBorder={false}>
          <Table.Tbody>
            <Table.Tr>
              <Table.Th w={220}>{t('common.status')}</Table.Th>
              <Table.Td>
                <Group gap="sm">
                  <HealthBadge status={db.status} testId="health-database" />
                  <Text size="sm">{healthText(t, db)}</Text>
                </Group>
              </Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('health.server_version')}</Table.Th>
              <Table.Td>{db.server_version ?? t('health.unknown')}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('health.db_mode')}</Table.Th>
              <Table.Td>
                {tDynamic(t, `health.mode.${db.mode}`, { defaultValue: db.mode })}
                {db.name ? ` · ${db.name}` : ''}
              </Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      </Section>
      <Section title={t('health.routers')}>
        <HealthTable checks={health.routers} empty={t('health.no_routers')} label={t('health.routers')} />
      </Section>
      <Section title={t('health.whatsapp')}>
        <HealthTable checks={health.whatsapp} empty={t('health.no_sessions')} label={t('health.whatsapp')} />
      </Section>
      <Section title={t('health.gateways')}>
        <HealthTable checks={health.gateways} empty={t('health.no_gateways')} label={t('health.gateways')} />
      </Section>
      <Section title={t('health.jobs')}>
        <HealthTable checks={health.jobs} empty={t('common.empty')} label={t('health.jobs')} />
      </Section>
      <Section title={t('health.disk')}>
        <HealthTable checks={health.disk} empty={t('common.empty')} label={t('health.disk')} />
      </Section>
      <Section title={t('health.secrets')}>
        <HealthTable checks={[health.secrets]} empty={t('common.empty')} label={t('health.secrets')} />
      </Section>
      <Section title={t('health.retention.title')}>
        <RetentionReport run={health.retention} />
      </Section>
    </Stack>
  );
}
