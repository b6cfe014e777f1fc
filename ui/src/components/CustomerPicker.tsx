import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { unwrap } from '../api/errors';

interface Props {
  label: string;
  value: string | null;
  onChange: (id: string | null) => void;
  error?: string;
}

/** Searchable customer select: the server searches name, phone and login (GET /api/customers?q=). */
export function CustomerPicker({ label, value, onChange, error }: Props) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  const [selected, setSelected] = useState<{ value: string; label: string } | null>(null);

  // The preselected customer (e.g. from ?customer_id=) needs its name for the label.
  useEffect(() => {
    if (!value || selected?.value === value) return;
    let cancelled = false;
    unwrap(api.GET('/api/customers/{id}', { params: { path: { id: value } } }))
      .then((c) => {
        if (!cancelled) setSelected({ value: c.id, label: `${c.name} (${c.phone})` });
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [value, selected]);

  useEffect(() => {
    let cancelled = false;
    unwrap(api.GET('/api/customers', { params: { query: { q: debounced || undefined, status: 'active', limit: 20 } } }))
      .then((list) => {
        if (!cancelled) setOptions(list.items.map((c) => ({ value: c.id, label: `${c.name} (${c.phone})` })));
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [debounced]);

  const data = useMemo(() => {
    if (!selected || options.some((o) => o.value === selected.value)) return options;
    return [selected, ...options];
  }, [options, selected]);

  return (
    <Select
      label={label}
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
