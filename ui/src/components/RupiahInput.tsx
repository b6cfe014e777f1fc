import { TextInput } from '@mantine/core';
import type { TextInputProps } from '@mantine/core';
import { useEffect, useState } from 'react';
import { formatRupiahInput, parseRupiahInput } from '../lib/money';

interface Props extends Omit<TextInputProps, 'value' | 'onChange'> {
  value: number | null;
  onChange: (value: number | null) => void;
  allowNegative?: boolean;
}

/** Whole-rupiah input with "Rp" prefix and thousands separators ("150.000"). */
export function RupiahInput({ value, onChange, allowNegative = false, ...rest }: Props) {
  const [text, setText] = useState(formatRupiahInput(value));

  // Follow changes from outside (prefill, reset) without fighting the user's typing.
  useEffect(() => {
    if (parseRupiahInput(text, allowNegative) !== value) setText(formatRupiahInput(value));
  }, [value]);

  return (
    <TextInput
      {...rest}
      inputMode="numeric"
      leftSection="Rp"
      value={text}
      onChange={(e) => {
        const raw = e.currentTarget.value;
        const parsed = parseRupiahInput(raw, allowNegative);
        setText(parsed === null ? raw : formatRupiahInput(parsed));
        onChange(parsed);
      }}
    />
  );
}
