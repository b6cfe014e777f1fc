import { Badge, CloseButton, Group, NativeSelect, Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { CustomerPicker } from '../../components/CustomerPicker';
import { LoadState } from '../../components/LoadState';
import { PageHeader } from '../../components/PageHeader';
import { Pager } from '../../components/Pager';
import { pageQuery } from '../../lib/paging';
import { keys } from '../../lib/queryKeys';
import { BillingRunButton } from './BillingRunButton';
import { InvoiceTable } from './InvoiceTable';

const STATUSES = ['open', 'unpaid', 'partial', 'paid', 'carried_over', 'void'] as const;

/** Tagihan: status/customer filters, list, and "Jalankan penagihan". */
export function InvoicesPage() {
  const { t } = useTranslation();
  // Filters may arrive in the address (the home screen links here with ?due=overdue etc.).
  const [params, setParams] = useSearchParams();
  const [status, setStatus] = useState(params.get('status') ?? '');
  const due = params.get('due') ?? '';
  const [customerId, setCustomerId] = useState<string | null>(params.get('customer_id'));
  const [page, setPage] = useState(1);
  const query = {
    status: status || undefined,
    due: due || undefined,
    customer_id: customerId ?? undefined,
    ...pageQuery(page),
  };
  // Paid elsewhere (a gateway, the daily job): the server's events invalidate keys.invoices.
  const list = useQuery({
    queryKey: keys.invoices.list(query),
    queryFn: () => unwrap(api.GET('/api/invoices', { params: { query } })),
  });

  return (
    <Stack gap="md">
      <PageHeader title={t('nav.invoices')} actions={<BillingRunButton />} />
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
            ...STATUSES.map((s) => ({ value: s, label: s === 'open' ? t('invoices.open') : t(`status.invoice.${s}`) })),
          ]}
        />
        {due && (
          <Badge
            size="lg"
            variant="light"
            data-testid="invoices-due-filter"
            rightSection={
              <CloseButton
                size="xs"
                aria-label={t('common.clear_filter')}
                onClick={() => {
                  const next = new URLSearchParams(params);
                  next.delete('due');
                  setParams(next);
                  setPage(1);
                }}
              />
            }
          >
            {t(`invoices.due_${due === 'soon' ? 'soon' : 'overdue'}`)}
          </Badge>
        )}
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
