import { Badge, Button, Card, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { JobStatus } from '../../api/types';
import { FailureText } from '../../components/FailureText';
import { FormError } from '../../components/FormError';
import { LoadState } from '../../components/LoadState';
import { formatDateTime } from '../../lib/dates';
import { useInvalidate } from '../../lib/queryClient';
import { keys } from '../../lib/queryKeys';
import { tDynamic } from '../../lib/tDynamic';
import type { TFunction } from 'i18next';

type Schedule = JobStatus['schedule'];
type JobRun = NonNullable<JobStatus['last_run']>;

/** "setiap 5 menit", "setiap hari 02.00", … from the server's schedule in words. */
export function scheduleText(t: TFunction, s: Schedule): string {
  switch (s.kind) {
    case 'every_seconds':
      return tDynamic(t, 'jobs.schedule.every_seconds', { count: s.every ?? 0 });
    case 'every_minutes':
      return (s.every ?? 1) === 1
        ? tDynamic(t, 'jobs.schedule.every_minute')
        : tDynamic(t, 'jobs.schedule.every_minutes', { count: s.every });
    case 'hourly':
      return tDynamic(t, 'jobs.schedule.hourly', { minute: String(s.minute ?? 0).padStart(2, '0') });
    case 'daily':
      return tDynamic(t, 'jobs.schedule.daily', { time: s.time ?? '' });
    default:
      return tDynamic(t, 'jobs.schedule.cron', { pattern: s.pattern ?? '' });
  }
}

/** What a successful run did, in the UI language (runs recorded before results had codes: the English line). */
export function jobResultText(t: TFunction, run: JobRun): string {
  if (!run.result) return run.summary;
  return tDynamic(t, `jobs.result.${run.result.code}`, {
    ...(run.result.params as Record<string, unknown>),
    defaultValue: run.summary,
    interpolation: { escapeValue: false },
  });
}

/** "Tugas terjadwal": every scheduled job with its last and next run, and "Jalankan sekarang". */
export function JobsPanel() {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const jobs = useQuery({ queryKey: keys.jobs.list(), queryFn: () => unwrap(api.GET('/api/jobs')) });
  const run = useMutation({
    mutationFn: (name: string) => unwrap(api.POST('/api/jobs/{name}/run', { params: { path: { name } } })),
    // A run may change anything (invoices, reminders, isolation, backups…): the job list at least.
    onSuccess: () => void invalidate(keys.jobs.all, keys.monitoring.health()),
  });
  const running = run.isPending ? (run.variables ?? null) : null;

  return (
    <Card withBorder padding="md" radius="md" component="section">
      <Title order={3} size="h5" mb="xs">
        {t('jobs.title')}
      </Title>
      <FormError error={run.error} />
      <LoadState state={jobs}>
        {(data) => (
          <Table.ScrollContainer minWidth={720}>
            <Table striped aria-label={t('jobs.title')} data-testid="jobs-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('jobs.col_job')}</Table.Th>
                  <Table.Th>{t('jobs.col_last')}</Table.Th>
                  <Table.Th>{t('jobs.col_result')}</Table.Th>
                  <Table.Th>{t('jobs.col_next')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.map((job: JobStatus) => (
                  <Table.Tr key={job.name} data-testid={`job-${job.name}`}>
                    <Table.Td>
                      <Text fw={500}>{tDynamic(t, `jobs.name_${job.name}`)}</Text>
                      <Text size="xs" c="dimmed">
                        {scheduleText(t, job.schedule)}
                        {job.schedule.kind === 'daily' || job.schedule.kind === 'hourly' ? ` (${job.time_zone})` : ''}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {job.last_run ? (
                        <>
                          {formatDateTime(job.last_run.started_at)}
                          <Text size="xs" c="dimmed">
                            {t('jobs.took', { ms: job.last_run.duration_ms })} ·{' '}
                            {tDynamic(t, `jobs.trigger_${job.last_run.trigger}`)}
                          </Text>
                        </>
                      ) : (
                        <Text c="dimmed">{t('jobs.never')}</Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {job.last_run && (
                        <>
                          <Badge color={job.last_run.ok ? 'green' : 'red'} variant="light">
                            {job.last_run.ok ? t('jobs.ok') : t('jobs.failed')}
                          </Badge>
                          {job.last_run.ok || !job.last_run.failure ? (
                            <Text size="xs" c={job.last_run.ok ? 'dimmed' : 'red'} data-testid={`job-result-${job.name}`}>
                              {job.last_run.ok ? jobResultText(t, job.last_run) : job.last_run.error}
                            </Text>
                          ) : (
                            <FailureText failure={job.last_run.failure} testId={`job-failure-${job.name}`} />
                          )}
                        </>
                      )}
                      {job.failures_24h > 0 && (
                        <Text size="xs" c="red">
                          {t('jobs.failures', { count: job.failures_24h })}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{job.next_run ? formatDateTime(job.next_run) : '—'}</Table.Td>
                    <Table.Td>
                      <Button
                        size="xs"
                        variant="default"
                        loading={running === job.name}
                        disabled={running !== null && running !== job.name}
                        onClick={() => run.mutate(job.name)}
                      >
                        {t('jobs.run_now')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </LoadState>
    </Card>
  );
}
