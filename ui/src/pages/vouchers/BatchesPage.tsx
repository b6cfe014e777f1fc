import { Alert, Stack, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { resellersQuery, routersQuery, voucherBatchesQuery, voucherProfilesQuery } from '../../api/queries';
import type { VoucherBatch } from '../../api/types';
import { LoadState } from '../../components/LoadState';
import { PageHeader } from '../../components/PageHeader';
import { useInvalidate } from '../../lib/queryClient';
import { keys } from '../../lib/queryKeys';
import { BatchForm } from './BatchForm';
import { BatchProgress } from './BatchProgress';
import { BatchTable } from './BatchTable';

/** Buat voucher: a batch form, the progress of the batch being written, and recent batches. */
export function BatchesPage() {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const profiles = useQuery(voucherProfilesQuery());
  const routers = useQuery(routersQuery());
  const resellers = useQuery(resellersQuery());
  // What the form offers, as one state for LoadState.
  const setup = {
    data:
      profiles.data && routers.data && resellers.data
        ? { profiles: profiles.data.items, routers: routers.data.items, resellers: resellers.data.items }
        : undefined,
    error: profiles.error ?? routers.error ?? resellers.error,
    refetch: () => Promise.all([profiles.refetch(), routers.refetch(), resellers.refetch()]),
  };
  const batches = useQuery(voucherBatchesQuery());
  const [current, setCurrent] = useState<VoucherBatch | null>(null);
  const [running, setRunning] = useState(false);

  return (
    <Stack gap="md">
      <PageHeader title={t('vouchers.batches.title')} />
      <Alert variant="light" color="blue">
        {t('vouchers.batches.intro')}
      </Alert>
      <LoadState state={setup}>
        {(data) => (
          <BatchForm
            profiles={data.profiles}
            routers={data.routers}
            resellers={data.resellers}
            busy={running}
            onStarted={(batch) => {
              setCurrent(batch);
              setRunning(batch.status === 'creating');
              void invalidate(keys.vouchers.batches());
            }}
          />
        )}
      </LoadState>
      {current && (
        <BatchProgress
          batch={current}
          onFinished={() => {
            setRunning(false);
            // The batches, the vouchers, the profiles' open count and the resellers' deposits.
            void invalidate(keys.vouchers.all, keys.voucherProfiles.all, keys.resellers.all, keys.dashboard.all);
          }}
        />
      )}
      <Title order={3}>{t('vouchers.batches.list_title')}</Title>
      <LoadState state={batches}>{(data) => <BatchTable batches={data.items} view="staff" />}</LoadState>
    </Stack>
  );
}
