import { Alert, Stack, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { VoucherBatch } from '../../api/types';
import { LoadState } from '../../components/LoadState';
import { PageHeader } from '../../components/PageHeader';
import { useApi } from '../../lib/useApi';
import { BatchForm } from './BatchForm';
import { BatchProgress } from './BatchProgress';
import { BatchTable } from './BatchTable';

/** Buat voucher: a batch form, the progress of the batch being written, and recent batches. */
export function BatchesPage() {
  const { t } = useTranslation();
  const setup = useApi(
    async () => {
      const [profiles, routers, resellers] = await Promise.all([
        unwrap(api.GET('/api/voucher-profiles')),
        unwrap(api.GET('/api/routers')),
        unwrap(api.GET('/api/resellers')),
      ]);
      return { profiles: profiles.items, routers: routers.items, resellers: resellers.items };
    },
    [],
  );
  const batches = useApi(() => unwrap(api.GET('/api/vouchers/batches')), []);
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
              batches.reload();
            }}
          />
        )}
      </LoadState>
      {current && (
        <BatchProgress
          batch={current}
          onFinished={() => {
            setRunning(false);
            batches.reload();
            setup.reload(); // reseller deposits changed
          }}
        />
      )}
      <Title order={3}>{t('vouchers.batches.list_title')}</Title>
      <LoadState state={batches}>{(data) => <BatchTable batches={data.items} view="staff" />}</LoadState>
    </Stack>
  );
}
