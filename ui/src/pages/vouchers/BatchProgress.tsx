import { Alert, Anchor, Card, Group, Progress, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { asApiError, unwrap } from '../../api/errors';
import type { ApiError } from '../../api/errors';
import type { VoucherBatch } from '../../api/types';
import { errorTitle } from '../../components/FormError';
import { StatusBadge } from '../../components/StatusBadge';
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
  const [batch, setBatch] = useState(started);
  const [pollError, setPollError] = useState<ApiError | null>(null);
  const finished = useRef(false);

  useEffect(() => {
    setBatch(started);
    finished.current = started.status !== 'creating';
    if (finished.current) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout>;
    const poll = async () => {
      try {
        const next = await unwrap(api.GET('/api/vouchers/batches/{id}', { params: { path: { id: started.id } } }));
        if (cancelled) return;
        setBatch(next);
        setPollError(null);
        if (next.status !== 'creating') {
          finished.current = true;
          onFinished(next);
          return;
        }
      } catch (e) {
        if (cancelled) return;
        setPollError(asApiError(e)); // keep polling: the server may be busy for a moment
      }
      timer = setTimeout(() => void poll(), POLL_MS);
    };
    timer = setTimeout(() => void poll(), POLL_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [started.id]);

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
