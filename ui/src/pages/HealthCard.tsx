import { Alert, Anchor, Badge, Button, Card, Group, Loader, Stack, Table, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Health } from '../api/types';
import { errorTitle } from '../components/FormError';
import { healthQuery } from './monitoring/HealthPage';
import { HealthBadge, healthText } from './monitoring/HealthParts';

/** The database, the overall status and the app version from GET /api/monitoring/health, with a
 * link to the full health page. */
export function HealthCard() {
  const { t } = useTranslation();
  const health = useQuery(healthQuery());
  const refresh = () => health.refetch();

  return (
    <Card withBorder padding="lg" radius="md" component="section" aria-labelledby="health-title">
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h4" id="health-title">
          {t('health.title')}
        </Title>
        <Button size="xs" variant="default" onClick={() => void refresh()}>
          {t('health.refresh')}
        </Button>
      </Group>
      {health.isFetching && <Loader size="sm" aria-label={t('common.loading')} />}
      {health.error && !health.isFetching && (
        <Alert color="red" variant="light" title={t('health.load_error')}>
          {errorTitle(health.error, t)}
        </Alert>
      )}
      {health.data && !health.error && <HealthDetails health={health.data} />}
    </Card>
  );
}

function HealthDetails({ health }: { health: Health }) {
  const { t } = useTranslation();
  const up = health.database.status !== 'down';
  const unknown = t('health.unknown');
  const latency = health.database.latency_ms;
  return (
    <Stack gap="sm">
      <Group gap="sm">
        <Badge
          color={up ? 'green' : 'red'}
          size="lg"
          variant="light"
          data-testid="db-status"
          data-status={health.database.status}
        >
          {up ? t('health.db_up') : t('health.db_down')}
        </Badge>
        <HealthBadge status={health.status} testId="health-overall" />
        <Anchor component={Link} to="/monitoring" size="sm">
          {t('health.details')}
        </Anchor>
      </Group>
      {health.database.status !== 'ok' && <Alert color={up ? 'yellow' : 'red'} variant="light">{healthText(t, health.database)}</Alert>}
      <Table variant="vertical" withTableBorder={false} layout="fixed">
        <Table.Tbody>
          <Table.Tr>
            <Table.Th w={220}>{t('health.server_version')}</Table.Th>
            <Table.Td data-testid="db-version">{health.database.server_version ?? unknown}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('health.latency')}</Table.Th>
            <Table.Td>
              {latency === null || latency === undefined
                ? unknown
                : t('health.latency_value', { ms: latency })}
            </Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('health.app_version')}</Table.Th>
            <Table.Td data-testid="app-version">{health.app_version}</Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
