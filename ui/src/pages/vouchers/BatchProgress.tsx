import { Alert, Anchor, Card, Group, Progress, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { VoucherBatch } from '../../api/types';
import { errorTitle } from '../../components/FormError';
import { StatusBadge } from '../../components/StatusBadge';
import { keys } from '../../lib/queryKeys';
import { batchLabel } from '../../lib/voucherFormat';
import { PrintButton } from './PrintModal';

const POLL_MS = 500;

interface Props {
  batch: VoucherBatch;
  /** Called once with the final batch (ready or failed). */
  onFinished: (batch: VoucherBatch) => void;
}

/** A batch being written to the router: a progress bar until it is ready or failed. */
export function BatchProgress({ batch: started, onFinished }: Props) {
  const { t } = useTranslation();
  const creating = started.status === 'creating';
  // Polled every half second while it is being written (a failed poll is shown and polling goes
  // on: the server may be busy for a moment); it stops once the batch is ready or failed.
  const polled = useQuery({
    queryKey: keys.vouchers.batch(started.id),
    queryFn: () => unwrap(api.GET('/api/vouchers/batches/{id}', { params: { path: { id: started.id } } })),
    enabled: creating,
    placeholderData: undefined,
    retry: false,
    refetchInterval: (query) => (query.state.data && query.state.data.status !== 'creating' ? false : POLL_MS),
    refetchIntervalInBackground: true,
  });
  const latest = creating && polled.data?.id === started.id ? polled.data : undefined;
  const batch = latest ?? started;
  const pollError = polled.error;
  // The batch whose end was reported (onFinished is called once per batch).
  const reported = useRef<string | null>(creating ? null : started.id);

  useEffect(() => {
    if (!latest || latest.status === 'creating' || reported.current === latest.id) return;
    reported.current = latest.id;
    onFinished(latest);
  }, [latest]);

  const label = batchLabel(batch.number);
  const done = batch.status === 'ready' ? batch.count : (batch.progress ?? 0);
  const percent = batch.count > 0 ? Math.round((done / batch.count) * 100) : 0;

  return (
    <Card withBorder padding="md" data-testid="batch-progress" data-status={batch.status} aria-live="polite">
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={600}>
            {t('vouchers.batches.progress_title', { label, profile: batch.profile_name, router: batch.router_name })}
          </Text>
          <StatusBadge kind="batch" status={batch.status} testId="batch-progress-status" />
        </Group>
        <Progress
          value={batch.status === 'failed' ? 100 : percent}
          color={batch.status === 'failed' ? 'red' : batch.status === 'ready' ? 'green' : 'blue'}
          animated={batch.status === 'creating'}
          striped={batch.status === 'creating'}
          size="lg"
          aria-label={t('vouchers.batches.progress_label')}
        />
        <Text size="sm" c="dimmed" data-testid="batch-progress-count">
          {t('vouchers.batches.progress_count', { done: done.toLocaleString('id-ID'), count: batch.count.toLocaleString('id-ID') })}
        </Text>
        {pollError && batch.status === 'creating' && (
          <Text size="sm" c="orange">
            {errorTitle(pollError, t)}
          </Text>
        )}
        {batch.status === 'ready' && (
          <Alert color="green" variant="light" data-testid="batch-ready">
            <Group justify="space-between">
              <Text size="sm">
                {t('vouchers.batches.ready', { label, count: batch.count })}{' '}
                <Anchor component={Link} to={`/vouchers/list?batch_id=${batch.id}`} size="sm">
                  {t('vouchers.batches.show_vouchers')}
                </Anchor>
              </Text>
              <PrintButton batch={batch} />
            </Group>
          </Alert>
        )}
        {batch.status === 'failed' && (
          <Alert color="red" variant="light" role="alert" title={t('vouchers.batches.failed', { label })} data-testid="batch-failed">
            <Text size="sm">{batch.error ?? t('errors.internal')}</Text>
            <Text size="sm" mt={4}>
              {batch.cleanup_pending ? t('vouchers.batches.failed_cleanup') : t('vouchers.batches.failed_nothing_left')}
            </Text>
          </Alert>
        )}
      </Stack>
    </Card>
  );
}
