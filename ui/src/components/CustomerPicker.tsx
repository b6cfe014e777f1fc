import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import { customerQuery } from '../api/queries';
import { keys } from '../lib/queryKeys';

interface Props {
  label: string;
  /** Focus this field when it appears (the first field of its form). */
  autoFocus?: boolean;
  value: string | null;
  onChange: (id: string | null) => void;
  error?: string;
}

/** Searchable customer select: the server searches name, phone and login (GET /api/customers?q=). */
export function CustomerPicker({ label, value, onChange, error, autoFocus }: Props) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const [selected, setSelected] = useState<{ value: string; label: string } | null>(null);

  // The preselected customer (e.g. from ?customer_id=) needs its name for the label.
  const preselected = useQuery({ ...customerQuery(value ?? ''), enabled: !!value && selected?.value !== value });
  const query = { q: debounced || undefined, status: 'active', limit: 20 };
  const list = useQuery({
    queryKey: keys.customers.list(query),
    queryFn: () => unwrap(api.GET('/api/customers', { params: { query } })),
  });

  const data = useMemo(() => {
    const options = (list.data?.items ?? []).map((c) => ({ value: c.id, label: `${c.name} (${c.phone})` }));
    const c = preselected.data;
    const current =
      selected?.value === value ? selected : c && c.id === value ? { value: c.id, label: `${c.name} (${c.phone})` } : null;
    if (!current || options.some((o) => o.value === current.value)) return options;
    return [current, ...options];
  }, [list.data, preselected.data, selected, value]);

  return (
    <Select
      label={label}
      autoFocus={autoFocus}
      data-autofocus={autoFocus || undefined}
      placeholder={t('common.search_placeholder')}
      searchable
      clearable
      data={data}
      value={value}
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: all }) => all}
      nothingFoundMessage={t('common.empty')}
      onChange={(id, option) => {
        setSelected(id ? { value: id, label: option.label } : null);
        onChange(id);
      }}
      error={error}
    />
  );
}
