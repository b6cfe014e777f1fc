import { Badge, Button, Card, Group, NumberInput, SimpleGrid, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { AlertMetric, AlertRule, MonitoringSettings } from '../../api/types';
import { FormError } from '../../components/FormError';
import { LoadState } from '../../components/LoadState';
import { useServerError } from '../../lib/formErrors';
import { useInvalidate } from '../../lib/queryClient';
import { keys } from '../../lib/queryKeys';
import { tDynamic } from '../../lib/tDynamic';
import { AlertRuleFormModal } from './AlertRuleFormModal';
import { SEVERITY_COLORS } from './AlertsPanel';

const OPS: Record<string, string> = { gt: '>', gte: '≥', lt: '<', lte: '≤', eq: '=', ne: '≠' };

/** Alert rules (switch on/off, remove the owner's own) and the retention periods. */
export function MonitoringSettingsPanel() {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const rules = useQuery({ queryKey: keys.monitoring.rules(), queryFn: () => unwrap(api.GET('/api/monitoring/alerts/rules')) });
  const settings = useQuery({ queryKey: keys.monitoring.settings(), queryFn: () => unwrap(api.GET('/api/monitoring/settings')) });
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
            <RulesTable rules={data.items} metrics={data.metrics} />
            <AlertRuleFormModal
              opened={adding}
              metrics={data.metrics}
              onClose={() => setAdding(false)}
              onSaved={() => {
                notifications.show({ color: 'green', message: t('alerts.rules.saved') });
                void invalidate(keys.monitoring.rules());
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

function RulesTable({ rules, metrics }: { rules: AlertRule[]; metrics: AlertMetric[] }) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const change = useMutation({
    mutationFn: ({ rule, enabled }: { rule: AlertRule; enabled?: boolean }) =>
      enabled === undefined
        ? unwrap(api.DELETE('/api/monitoring/alerts/rules/{id}', { params: { path: { id: rule.id } } }))
        : unwrap(api.PUT('/api/monitoring/alerts/rules/{id}', { params: { path: { id: rule.id } }, body: { ...rule, enabled } })),
    onSuccess: () => void invalidate(keys.monitoring.rules()),
  });
  const toggle = (rule: AlertRule, enabled: boolean) => change.mutate({ rule, enabled });
  const remove = (rule: AlertRule) => change.mutate({ rule });
  return (
    <Stack gap="xs">
      <FormError error={change.error} />
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
                    onChange={(e) => toggle(r, e.currentTarget.checked)}
                  />
                </Table.Td>
                <Table.Td>
                  {!r.builtin && (
                    <Button size="xs" variant="subtle" color="red" onClick={() => remove(r)}>
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
  const queryClient = useQueryClient();
  const form = useForm<MonitoringSettings>({ initialValues: initial });
  const serverError = useServerError(form);
  const save = useMutation({
    mutationFn: (body: MonitoringSettings) => unwrap(api.PUT('/api/monitoring/settings', { body })),
    onSuccess: (saved) => {
      form.setValues(saved);
      queryClient.setQueryData(keys.monitoring.settings(), saved);
      notifications.show({ color: 'green', message: t('alerts.retention.saved') });
    },
  });
  const error = serverError.error;
  return (
    <form onSubmit={serverError.onSubmit((values) => save.mutateAsync(values))} noValidate>
      <Stack gap="sm">
        <FormError error={error && !error.field ? error : null} />
        <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
          {PERIODS.map((field) => (
            <NumberInput
              key={field}
              label={t(`alerts.retention.${field}`)}
              min={1}
              allowDecimal={false}
              {...form.getInputProps(field)}
              onChange={(v) => form.setFieldValue(field, Number(v))}
            />
          ))}
        </SimpleGrid>
        <Switch label={t('alerts.retention.alerts_whatsapp')} {...form.getInputProps('alerts_whatsapp', { type: 'checkbox' })} />
        <Switch
          label={t('alerts.retention.retention_report_whatsapp')}
          {...form.getInputProps('retention_report_whatsapp', { type: 'checkbox' })}
        />
        <Text size="xs" c="dimmed">
          {t('alerts.retention.note')}
        </Text>
        <Group>
          <Button type="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
