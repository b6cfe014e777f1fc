import { Badge, Button, Card, Group, NumberInput, SimpleGrid, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { asApiError, unwrap } from '../../api/errors';
import type { ApiError } from '../../api/errors';
import type { AlertMetric, AlertRule, MonitoringSettings } from '../../api/types';
import { FormError } from '../../components/FormError';
import { LoadState } from '../../components/LoadState';
import { fieldError } from '../../lib/fieldError';
import { tDynamic } from '../../lib/tDynamic';
import { useApi } from '../../lib/useApi';
import { AlertRuleFormModal } from './AlertRuleFormModal';
import { SEVERITY_COLORS } from './AlertsPanel';

const OPS: Record<string, string> = { gt: '>', gte: '≥', lt: '<', lte: '≤', eq: '=', ne: '≠' };

/** Alert rules (switch on/off, remove the owner's own) and the retention periods. */
export function MonitoringSettingsPanel() {
  const { t } = useTranslation();
  const rules = useApi(() => unwrap(api.GET('/api/monitoring/alerts/rules')), []);
  const settings = useApi(() => unwrap(api.GET('/api/monitoring/settings')), []);
  const [adding, setAdding] = useState(false);
  return (
    <Card withBorder padding="md" radius="md" component="section" data-testid="monitoring-settings">
      <LoadState state={rules}>
        {(data) => (
          <>
            <Group justify="space-between" mb="xs">
              <Title order={3} size="h5">
                {t('alerts.rules.title')}
              </Title>
              <Button size="xs" variant="light" onClick={() => setAdding(true)}>
                {t('alerts.rules.add')}
              </Button>
            </Group>
            <RulesTable rules={data.items} metrics={data.metrics} onChange={rules.reload} />
            <AlertRuleFormModal
              opened={adding}
              metrics={data.metrics}
              onClose={() => setAdding(false)}
              onSaved={() => {
                notifications.show({ color: 'green', message: t('alerts.rules.saved') });
                rules.reload();
              }}
            />
          </>
        )}
      </LoadState>
      <Title order={3} size="h5" mt="lg" mb="xs">
        {t('alerts.retention.title')}
      </Title>
      <LoadState state={settings}>{(data) => <RetentionForm initial={data} />}</LoadState>
    </Card>
  );
}

function RulesTable({ rules, metrics, onChange }: { rules: AlertRule[]; metrics: AlertMetric[]; onChange: () => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<ApiError | null>(null);
  const act = async (call: () => Promise<unknown>) => {
    setError(null);
    try {
      await call();
      onChange();
    } catch (e) {
      setError(asApiError(e));
    }
  };
  const toggle = (r: AlertRule, enabled: boolean) =>
    act(() =>
      unwrap(
        api.PUT('/api/monitoring/alerts/rules/{id}', {
          params: { path: { id: r.id } },
          body: { ...r, enabled },
        }),
      ),
    );
  const remove = (r: AlertRule) =>
    act(() => unwrap(api.DELETE('/api/monitoring/alerts/rules/{id}', { params: { path: { id: r.id } } })));
  return (
    <Stack gap="xs">
      <FormError error={error} />
      <Table.ScrollContainer minWidth={640}>
        <Table aria-label={t('alerts.rules.title')} verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('alerts.rules.name')}</Table.Th>
              <Table.Th>{t('alerts.rules.condition')}</Table.Th>
              <Table.Th w={140}>{t('alerts.severity')}</Table.Th>
              <Table.Th w={120}>{t('alerts.rules.enabled')}</Table.Th>
              <Table.Th w={100} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rules.map((r) => (
              <Table.Tr key={r.id} data-testid={`rule-${r.builtin ?? r.id}`}>
                <Table.Td fw={500}>
                  {r.builtin ? tDynamic(t, `alerts.rules.builtin.${r.builtin}`, { defaultValue: r.name }) : r.name}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">
                    {tDynamic(t, `alerts.metrics.${r.metric}`, {
                      defaultValue: metrics.find((m) => m.name === r.metric)?.description ?? r.metric,
                    })}{' '}
                    <Text span ff="monospace">
                      {OPS[r.comparison] ?? r.comparison} {r.threshold.toLocaleString('id-ID')}
                    </Text>
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t('alerts.rules.for_minutes', { count: Math.round(r.duration_seconds / 60) })}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge color={SEVERITY_COLORS[r.severity] ?? 'gray'} variant="light">
                    {tDynamic(t, `alerts.severities.${r.severity}`, { defaultValue: r.severity })}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Switch
                    checked={r.enabled}
                    aria-label={t('alerts.rules.enabled')}
                    onChange={(e) => void toggle(r, e.currentTarget.checked)}
                  />
                </Table.Td>
                <Table.Td>
                  {!r.builtin && (
                    <Button size="xs" variant="subtle" color="red" onClick={() => void remove(r)}>
                      {t('common.delete')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

const PERIODS = [
  'keep_notifications_days',
  'keep_activity_days',
  'keep_temp_files_days',
  'keep_expired_vouchers_days',
  'keep_sessions_hours',
  'keep_performance_days',
] as const;

function RetentionForm({ initial }: { initial: MonitoringSettings }) {
  const { t } = useTranslation();
  const [values, setValues] = useState<MonitoringSettings>(initial);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      setValues(await unwrap(api.PUT('/api/monitoring/settings', { body: values })));
      notifications.show({ color: 'green', message: t('alerts.retention.saved') });
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void onSubmit(e)} noValidate>
      <Stack gap="sm">
        <FormError error={error && !error.field ? error : null} />
        <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
          {PERIODS.map((field) => (
            <NumberInput
              key={field}
              label={t(`alerts.retention.${field}`)}
              value={values[field]}
              min={1}
              allowDecimal={false}
              onChange={(v) => setValues({ ...values, [field]: Number(v) })}
              error={fieldError(error, field)}
            />
          ))}
        </SimpleGrid>
        <Switch
          label={t('alerts.retention.alerts_whatsapp')}
          checked={values.alerts_whatsapp}
          onChange={(e) => setValues({ ...values, alerts_whatsapp: e.currentTarget.checked })}
        />
        <Switch
          label={t('alerts.retention.retention_report_whatsapp')}
          checked={values.retention_report_whatsapp}
          onChange={(e) => setValues({ ...values, retention_report_whatsapp: e.currentTarget.checked })}
        />
        <Text size="xs" c="dimmed">
          {t('alerts.retention.note')}
        </Text>
        <Group>
          <Button type="submit" loading={busy}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
