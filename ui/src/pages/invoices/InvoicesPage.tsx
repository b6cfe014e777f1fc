import { Group, NativeSelect, Stack } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { CustomerPicker } from '../../components/CustomerPicker';
import { LoadState } from '../../components/LoadState';
import { PageHeader } from '../../components/PageHeader';
import { Pager } from '../../components/Pager';
import { useServerEvents } from '../../lib/serverEvents';
import { pageQuery, useApi } from '../../lib/useApi';
import { BillingRunButton } from './BillingRunButton';
import { InvoiceTable } from './InvoiceTable';

const STATUSES = ['unpaid', 'partial', 'paid', 'carried_over', 'void'] as const;

/** Tagihan: status/customer filters, list, and "Jalankan penagihan". */
export function InvoicesPage() {
  const { t } = useTranslation();
  const [status, setStatus] = useState('');
  const [customerId, setCustomerId] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const list = useApi(
    () =>
      unwrap(
        api.GET('/api/invoices', {
          params: {
            query: { status: status || undefined, customer_id: customerId ?? undefined, ...pageQuery(page) },
          },
        }),
      ),
    [status, customerId, page],
  );
  // Isolated, restored or paid elsewhere (a gateway, the daily job): refresh.
  useServerEvents(['payment_settled', 'payment_changed'], list.reload);

  return (
    <Stack gap="md">
      <PageHeader title={t('nav.invoices')} actions={<BillingRunButton onDone={list.reload} />} />
      <Group align="flex-end">
        <NativeSelect
          label={t('common.status')}
          value={status}
          onChange={(e) => {
            setStatus(e.currentTarget.value);
            setPage(1);
          }}
          data={[
            { value: '', label: t('common.all') },
            ...STATUSES.map((s) => ({ value: s, label: t(`status.invoice.${s}`) })),
          ]}
        />
        <div style={{ width: 320 }}>
          <CustomerPicker
            label={t('subscriptions.customer')}
            value={customerId}
            onChange={(id) => {
              setCustomerId(id);
              setPage(1);
            }}
          />
        </div>
      </Group>
      <LoadState state={list}>
        {(data) => (
          <>
            <InvoiceTable items={data.items} />
            <Pager page={page} total={data.total} onChange={setPage} />
          </>
        )}
      </LoadState>
    </Stack>
  );
}
