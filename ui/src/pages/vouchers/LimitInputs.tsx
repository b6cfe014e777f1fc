import { NativeSelect, NumberInput } from '@mantine/core';
import type { ComboboxItem } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  DURATION_UNITS,
  QUOTA_UNITS,
  joinDuration,
  joinQuota,
  splitDuration,
  splitQuota,
} from '../../lib/voucherFormat';
import type { DurationUnit, QuotaUnit } from '../../lib/voucherFormat';

interface Props {
  label: string;
  description?: string;
  /** Seconds (duration) or bytes (quota); null = no limit. */
  value: number | null;
  onChange: (value: number | null) => void;
  error?: string;
}

const UNIT_WIDTH = 96;

/** The unit picker inside the number field's right edge. */
function UnitSelect({ label, value, data, onChange }: { label: string; value: string; data: ComboboxItem[]; onChange: (v: string) => void }) {
  return (
    <NativeSelect
      aria-label={label}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      data={data}
      rightSectionWidth={24}
      styles={{ input: { borderTopLeftRadius: 0, borderBottomLeftRadius: 0, width: UNIT_WIDTH, marginRight: -2 } }}
    />
  );
}

const asNumber = (v: number | string): number | null => (typeof v === 'number' ? v : v.trim() === '' ? null : Number(v));

/** A number and a unit (menit/jam/hari); empty means no limit. */
export function DurationInput({ label, description, value, onChange, error }: Props) {
  const { t } = useTranslation();
  const [amount, setAmount] = useState<number | null>(splitDuration(value)?.value ?? null);
  const [unit, setUnit] = useState<DurationUnit>(splitDuration(value)?.unit ?? 'day');

  // Follow changes from outside (opening the form for another profile).
  useEffect(() => {
    if (joinDuration(amount, unit) === value) return;
    const split = splitDuration(value);
    setAmount(split?.value ?? null);
    if (split) setUnit(split.unit);
  }, [value]);

  return (
    <NumberInput
      label={label}
      description={description}
      placeholder={t('vouchers.limits.none')}
      min={1}
      allowNegative={false}
      allowDecimal={false}
      value={amount ?? ''}
      onChange={(v) => {
        const n = asNumber(v);
        setAmount(n);
        onChange(joinDuration(n, unit));
      }}
      error={error}
      rightSectionWidth={UNIT_WIDTH}
      rightSection={
        <UnitSelect
          label={t('vouchers.limits.unit_of', { label })}
          value={unit}
          data={DURATION_UNITS.map((u) => ({ value: u, label: t(`vouchers.limits.unit_${u}`) }))}
          onChange={(v) => {
            const next = v as DurationUnit;
            setUnit(next);
            onChange(joinDuration(amount, next));
          }}
        />
      }
    />
  );
}

/** A number and MB/GB; empty means no quota. */
export function QuotaInput({ label, description, value, onChange, error }: Props) {
  const { t } = useTranslation();
  const [amount, setAmount] = useState<number | null>(splitQuota(value)?.value ?? null);
  const [unit, setUnit] = useState<QuotaUnit>(splitQuota(value)?.unit ?? 'GB');

  useEffect(() => {
    if (joinQuota(amount, unit) === value) return;
    const split = splitQuota(value);
    setAmount(split?.value ?? null);
    if (split) setUnit(split.unit);
  }, [value]);

  return (
    <NumberInput
      label={label}
      description={description}
      placeholder={t('vouchers.limits.none')}
      min={0}
      allowNegative={false}
      decimalScale={1}
      decimalSeparator=","
      value={amount ?? ''}
      onChange={(v) => {
        const n = asNumber(v);
        setAmount(n);
        onChange(joinQuota(n, unit));
      }}
      error={error}
      rightSectionWidth={UNIT_WIDTH}
      rightSection={
        <UnitSelect
          label={t('vouchers.limits.unit_of', { label })}
          value={unit}
          data={QUOTA_UNITS.map((u) => ({ value: u, label: u }))}
          onChange={(v) => {
            const next = v as QuotaUnit;
            setUnit(next);
            onChange(joinQuota(amount, next));
          }}
        />
      }
    />
  );
}
