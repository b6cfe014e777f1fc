import { Button, Group, Modal, NativeSelect, NumberInput, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { asApiError, unwrap } from '../../api/errors';
import type { ApiError } from '../../api/errors';
import type { AlertMetric } from '../../api/types';
import { FormError } from '../../components/FormError';
import { fieldError } from '../../lib/fieldError';
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
  const [name, setName] = useState('');
  const [metric, setMetric] = useState('');
  const [comparison, setComparison] = useState<string>('gte');
  const [threshold, setThreshold] = useState<number | string>('');
  const [minutes, setMinutes] = useState<number | string>(5);
  const [severity, setSeverity] = useState<string>('warning');
  const [local, setLocal] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!opened) return;
    setName('');
    setMetric(metrics[0]?.name ?? '');
    setComparison('gte');
    setThreshold('');
    setMinutes(5);
    setSeverity('warning');
    setLocal({});
    setError(null);
  }, [opened, metrics]);

  const chosen = metrics.find((m) => m.name === metric);
  const label = (m: AlertMetric) => tDynamic(t, `alerts.metrics.${m.name}`, { defaultValue: m.description });

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!name.trim()) problems.name = t('validation.required');
    if (typeof threshold !== 'number') problems.threshold = t('validation.required');
    if (typeof minutes !== 'number' || minutes < 0) problems.duration_seconds = t('validation.required');
    setLocal(problems);
    setError(null);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    try {
      await unwrap(
        api.POST('/api/monitoring/alerts/rules', {
          body: {
            name: name.trim(),
            metric,
            comparison,
            threshold: Number(threshold),
            duration_seconds: Math.round(Number(minutes) * 60),
            severity,
            enabled: true,
          },
        }),
      );
      onSaved();
      onClose();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  const err = (field: string) => local[field] ?? fieldError(error, field);
  return (
    <Modal opened={opened} onClose={onClose} title={t('alerts.rules.add_title')} centered size="lg">
      <form onSubmit={(e) => void onSubmit(e)} noValidate>
        <Stack>
          <TextInput
            label={t('alerts.rules.name')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={err('name')}
            required
            data-autofocus
          />
          <NativeSelect
            label={t('alerts.rules.metric')}
            value={metric}
            onChange={(e) => setMetric(e.currentTarget.value)}
            data={metrics.map((m) => ({ value: m.name, label: label(m) }))}
            error={err('metric')}
            description={chosen ? tDynamic(t, `alerts.rules.per.${chosen.per}`, { defaultValue: chosen.per }) : undefined}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NativeSelect
              label={t('alerts.rules.comparison')}
              value={comparison}
              onChange={(e) => setComparison(e.currentTarget.value)}
              data={COMPARISONS.map((c) => ({ value: c, label: tDynamic(t, `alerts.comparisons.${c}`) }))}
              error={err('comparison')}
            />
            <NumberInput
              label={t('alerts.rules.threshold')}
              value={threshold}
              onChange={setThreshold}
              decimalSeparator=","
              allowDecimal
              error={err('threshold')}
              required
            />
            <NumberInput
              label={t('alerts.rules.duration_minutes')}
              description={t('alerts.rules.duration_help')}
              value={minutes}
              onChange={setMinutes}
              min={0}
              max={7 * 24 * 60}
              allowDecimal={false}
              error={err('duration_seconds')}
            />
            <NativeSelect
              label={t('alerts.severity')}
              value={severity}
              onChange={(e) => setSeverity(e.currentTarget.value)}
              data={SEVERITIES.map((s) => ({ value: s, label: tDynamic(t, `alerts.severities.${s}`) }))}
              error={err('severity')}
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
          <FormError error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
