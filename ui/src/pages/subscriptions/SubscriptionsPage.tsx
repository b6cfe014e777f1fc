import { Button, Group, NativeSelect, Stack, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { LoadState } from '../../components/LoadState';
import { PageHeader } from '../../components/PageHeader';
import { Pager } from '../../components/Pager';
import { pageQuery } from '../../lib/paging';
import { keys } from '../../lib/queryKeys';
import { IsolationPanel } from './IsolationPanel';
import { SubscriptionTable } from './SubscriptionTable';

/** Langganan: filters, list, "Tambah langganan", and the isolation panel. */
export function SubscriptionsPage() {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [debouncedQ] = useDebouncedValue(q.trim(), 300);
  const [params] = useSearchParams();
  const [status, setStatus] = useState(params.get('status') ?? '');
  const [provisioning, setProvisioning] = useState(params.get('provisioning') ?? '');
  const [page, setPage] = useState(1);
  const query = {
    q: debouncedQ || undefined,
    status: status || undefined,
    provisioning: provisioning || undefined,
    ...pageQuery(page),
  };
  // Isolated, restored or paid elsewhere (a gateway, the daily job): the server's events
  // invalidate keys.subscriptions (lib/eventKeys.ts).
  const list = useQuery({
    queryKey: keys.subscriptions.list(query),
    queryFn: () => unwrap(api.GET('/api/subscriptions', { params: { query } })),
  });

  return (
    <Stack gap="md">
      <PageHeader
        title={t('nav.subscriptions')}
        actions={
          <Button component={Link} to="/subscriptions/new">
            {t('subscriptions.add')}
          </Button>
        }
      />
      <Group align="flex-end">
        <TextInput
          label={t('subscriptions.search')}
          value={q}
          onChange={(e) => {
            setQ(e.currentTarget.value);
            setPage(1);
          }}
          w={320}
        />
        <NativeSelect
          label={t('common.status')}
          value={status}
          onChange={(e) => {
            setStatus(e.currentTarget.value);
            setPage(1);
          }}
          data={[
            { value: '', label: t('common.all') },
            ...(['active', 'isolated', 'terminated'] as const).map((s) => ({
              value: s,
              label: t(`status.subscription.${s}`),
            })),
          ]}
        />
        <NativeSelect
          label={t('subscriptions.on_router')}
          value={provisioning}
          data-testid="filter-provisioning"
          onChange={(e) => {
            setProvisioning(e.currentTarget.value);
            setPage(1);
          }}
          data={[
            { value: '', label: t('common.all') },
            ...(['failed', 'pending'] as const).map((s) => ({
              value: s,
              label: t(`status.provisioning.${s}`),
            })),
          ]}
        />
      </Group>
      <LoadState state={list}>
        {(data) => (
          <>
            <SubscriptionTable items={data.items} />
            <Pager page={page} total={data.total} onChange={setPage} />
          </>
        )}
      </LoadState>
      <IsolationPanel />
    </Stack>
  );
}
