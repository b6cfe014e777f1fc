import { Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Health } from '../../api/types';
import { formatDateTime } from '../../lib/dates';
import { tDynamic } from '../../lib/tDynamic';

type Run = NonNullable<Health['retention']>;
type Part = Exclude<keyof Run['removed'], 'failed'>;
type Period = keyof Run['kept'];

/** Each kind of data the retention job cleans, and the period it keeps (days, or hours). */
const PARTS: [Part, Period][] = [
  ['notifications', 'keep_notifications_days'],
  ['access_events', 'keep_activity_days'],
  ['security_events', 'keep_activity_days'],
  ['router_audit', 'keep_activity_days'],
  ['alerts', 'keep_activity_days'],
  ['vouchers', 'keep_expired_vouchers_days'],
  ['login_attempts', 'keep_login_attempts_days'],
  ['sessions', 'keep_sessions_hours'],
  ['job_runs', 'keep_performance_days'],
  ['router_samples', 'keep_performance_days'],
  ['temp_files', 'keep_temp_files_days'],
];

/** The daily retention job's newest report (seed §9): what it removed and what it kept. */
export function RetentionReport({ run }: { run: Health['retention'] }) {
  const { t } = useTranslation();
  if (!run) {
    return (
      <Text size="sm" c="dimmed" data-testid="retention-none">
        {t('health.retention.none')}
      </Text>
    );
  }
  return (
    <Stack gap="xs" data-testid="retention-report">
      <Text size="sm" c="dimmed">
        {t('health.retention.ran_at', { at: formatDateTime(run.ran_at) })}
      </Text>
      {run.removed.failed.length > 0 && (
        <Text size="sm" c="red">
          {t('health.retention.failed', { parts: run.removed.failed.join('; ') })}
        </Text>
      )}
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('health.retention.part')}</Table.Th>
            <Table.Th ta="right">{t('health.retention.removed')}</Table.Th>
            <Table.Th>{t('health.retention.kept')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {PARTS.map(([part, period]) => (
            <Table.Tr key={part} data-testid={`retention-${part}`}>
              <Table.Td>{tDynamic(t, `health.retention.parts.${part}`)}</Table.Td>
              <Table.Td ta="right">{run.removed[part]}</Table.Td>
              <Table.Td>
                {tDynamic(t, period.endsWith('_hours') ? 'health.retention.hours' : 'health.retention.days', {
                  n: run.kept[period],
                })}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
