import { Button, Group, Modal, NativeSelect, NumberInput, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { AlertMetric } from '../../api/types';
import { FormError } from '../../components/FormError';
import { useServerError } from '../../lib/formErrors';
import { tDynamic } from '../../lib/tDynamic';

export const COMPARISONS = ['gt', 'gte', 'lt', 'lte', 'eq', 'ne'] as const;
const SEVERITIES = ['info', 'warning', 'critical'] as const;

interface Props {
  opened: boolean;
  metrics: AlertMetric[];
  onClose: () => void;
  onSaved: () => void;
}

/**
 * "Tambah aturan": the owner's own alert rule — what to watch (each router, each WhatsApp
 * session or the whole shop), when it raises ("metric ≥ 90"), for how long, and how urgent.
 */
export function AlertRuleFormModal({ opened, metrics, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const form = useForm({
    initialValues: {
      name: '',
      metric: '',
      comparison: 'gte',
      threshold: '' as number | string,
      duration_seconds: 5 as number | string, // minutes in the form, seconds on the wire
      severity: 'warning',
    },
    validate: {
      name: (v) => (v.trim() ? null : t('validation.required')),
      threshold: (v) => (typeof v === 'number' ? null : t('validation.required')),
      duration_seconds: (v) => (typeof v === 'number' && v >= 0 ? null : t('validation.required')),
    },
  });
  const serverError = useServerError(form);
  const save = useMutation({
    mutationFn: (v: typeof form.values) =>
      unwrap(
        api.POST('/api/monitoring/alerts/rules', {
          body: {
            name: v.name.trim(),
            metric: v.metric,
            comparison: v.comparison,
            threshold: Number(v.threshold),
            duration_seconds: Math.round(Number(v.duration_seconds) * 60),
            severity: v.severity,
            enabled: true,
          },
        }),
      ),
  });

  useEffect(() => {
    if (!opened) return;
    form.setValues({ name: '', metric: metrics[0]?.name ?? '', comparison: 'gte', threshold: '', duration_seconds: 5, severity: 'warning' });
    form.clearErrors();
    serverError.clear();
  }, [opened, metrics]);

  const { metric, comparison, threshold, duration_seconds: minutes } = form.values;
  const chosen = metrics.find((m) => m.name === metric);
  const label = (m: AlertMetric) => tDynamic(t, `alerts.metrics.${m.name}`, { defaultValue: m.description });

  const onSubmit = serverError.onSubmit(async (values) => {
    await save.mutateAsync(values);
    onSaved();
    onClose();
  });

  return (
    <Modal opened={opened} onClose={onClose} title={t('alerts.rules.add_title')} centered size="lg">
      <form onSubmit={onSubmit} noValidate>
        <Stack>
          <TextInput
            label={t('alerts.rules.name')}
            {...form.getInputProps('name')}
            required
            data-autofocus
          />
          <NativeSelect
            label={t('alerts.rules.metric')}
            {...form.getInputProps('metric')}
            data={metrics.map((m) => ({ value: m.name, label: label(m) }))}
            description={chosen ? tDynamic(t, `alerts.rules.per.${chosen.per}`, { defaultValue: chosen.per }) : undefined}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NativeSelect
              label={t('alerts.rules.comparison')}
              {...form.getInputProps('comparison')}
              data={COMPARISONS.map((c) => ({ value: c, label: tDynamic(t, `alerts.comparisons.${c}`) }))}
            />
            <NumberInput
              label={t('alerts.rules.threshold')}
              {...form.getInputProps('threshold')}
              decimalSeparator=","
              allowDecimal
              required
            />
            <NumberInput
              label={t('alerts.rules.duration_minutes')}
              description={t('alerts.rules.duration_help')}
              {...form.getInputProps('duration_seconds')}
              min={0}
              max={7 * 24 * 60}
              allowDecimal={false}
            />
            <NativeSelect
              label={t('alerts.severity')}
              {...form.getInputProps('severity')}
              data={SEVERITIES.map((s) => ({ value: s, label: tDynamic(t, `alerts.severities.${s}`) }))}
            />
          </SimpleGrid>
          {chosen && typeof threshold === 'number' && (
            <Text size="sm" c="dimmed" data-testid="rule-preview">
              {t('alerts.rules.preview', {
                metric: label(chosen),
                comparison: tDynamic(t, `alerts.comparisons.${comparison}`),
                threshold: threshold.toLocaleString('id-ID'),
                count: typeof minutes === 'number' ? minutes : 0,
              })}
            </Text>
          )}
          <FormError error={serverError.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
