import { Select } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { InvoiceSummary } from '../../api/types';
import { formatRupiah } from '../../lib/money';
import { keys } from '../../lib/queryKeys';

interface Props {
  label: string;
  /** Focus this field when it appears (the first field of its form). */
  autoFocus?: boolean;
  value: string | null;
  onChange: (invoice: InvoiceSummary | null) => void;
  error?: ReactNode;
}

/** Searchable select of open invoices (unpaid and partial), by number, customer or login. */
export function InvoicePicker({ label, value, onChange, error, autoFocus }: Props) {
  const { t } = useTranslation();
  const open = useQuery({
    queryKey: keys.invoices.open(),
    queryFn: async () => {
      const [unpaid, partial] = await Promise.all(
        (['unpaid', 'partial'] as const).map((status) =>
          unwrap(api.GET('/api/invoices', { params: { query: { status, limit: 200 } } })),
        ),
      );
      return [...(unpaid?.items ?? []), ...(partial?.items ?? [])];
    },
  });
  const items = open.data ?? [];
  return (
    <Select
      label={label}
      autoFocus={autoFocus}
      data-autofocus={autoFocus || undefined}
      placeholder={t('common.search_placeholder')}
      searchable
      clearable
      value={value}
      error={error}
      nothingFoundMessage={open.isFetching ? t('common.loading') : t('common.empty')}
      data={items.map((inv) => ({
        value: inv.id,
        label: `${inv.number} — ${inv.customer_name} (${inv.login}) — ${formatRupiah(inv.owed)}`,
      }))}
      onChange={(id) => onChange(items.find((inv) => inv.id === id) ?? null)}
    />
  );
}
