import { Badge, Card, Group, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { AlertItem } from '../../api/types';
import { LoadState } from '../../components/LoadState';
import { formatDateTime } from '../../lib/dates';
import { keys } from '../../lib/queryKeys';
import { tDynamic } from '../../lib/tDynamic';

export const SEVERITY_COLORS: Record<string, string> = { info: 'blue', warning: 'orange', critical: 'red' };

type State = 'active' | 'all';

/** Alerts raised by the rules: the active ones first, then the history; live via the event stream. */
export function AlertsPanel() {
  const { t } = useTranslation();
  const [state, setState] = useState<State>('active');
  // Alert events invalidate keys.monitoring.alerts (lib/eventKeys.ts).
  const query = { state, limit: 100 };
  const alerts = useQuery({
    queryKey: keys.monitoring.alerts(query),
    queryFn: () => unwrap(api.GET('/api/monitoring/alerts', { params: { query } })),
  });

  return (
    <Card withBorder padding="md" radius="md" component="section" data-testid="alerts-panel">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h5">
          {t('alerts.title')}
        </Title>
        <SegmentedControl
          size="xs"
          value={state}
          onChange={(v) => setState(v as State)}
          data={[
            { value: 'active', label: t('alerts.active') },
            { value: 'all', label: t('alerts.all') },
          ]}
        />
      </Group>
      <LoadState state={alerts}>{(data) => <AlertsTable items={data.items} />}</LoadState>
    </Card>
  );
}

function AlertsTable({ items }: { items: AlertItem[] }) {
  const { t, i18n } = useTranslation();
  if (items.length === 0) {
    return (
      <Text c="dimmed" size="sm" data-testid="alerts-empty">
        {t('alerts.none')}
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table aria-label={t('alerts.title')} verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={140}>{t('alerts.severity')}</Table.Th>
            <Table.Th>{t('alerts.what')}</Table.Th>
            <Table.Th w={170}>{t('alerts.raised_at')}</Table.Th>
            <Table.Th w={170}>{t('alerts.cleared_at')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((a) => (
            <Table.Tr key={a.id} data-testid="alert-row" data-active={a.cleared_at ? 'false' : 'true'}>
              <Table.Td>
                <Badge color={SEVERITY_COLORS[a.severity] ?? 'gray'} variant="light">
                  {tDynamic(t, `alerts.severities.${a.severity}`, { defaultValue: a.severity })}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Stack gap={2}>
                  <Text fw={500} size="sm">
                    {i18n.language.startsWith('en') && a.title_en ? a.title_en : a.title}
                  </Text>
                  <Text size="sm" c="dimmed">
                    {i18n.language.startsWith('en') && a.message_en ? a.message_en : a.message}
                  </Text>
                </Stack>
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(a.raised_at)}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                {a.cleared_at ? formatDateTime(a.cleared_at) : <Badge color="red">{t('alerts.ongoing')}</Badge>}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
