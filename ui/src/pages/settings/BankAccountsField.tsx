import { ActionIcon, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { BankAccount } from '../../api/types';

interface Props {
  value: BankAccount[];
  onChange: (value: BankAccount[]) => void;
}

/** Bank accounts printed on invoices: bank, account number, holder; rows can be added/removed. */
export function BankAccountsField({ value, onChange }: Props) {
  const { t } = useTranslation();
  const set = (i: number, patch: Partial<BankAccount>) =>
    onChange(value.map((row, j) => (j === i ? { ...row, ...patch } : row)));
  return (
    <Stack gap="xs">
      <Text fw={500} size="sm">
        {t('business.bank_accounts')}
      </Text>
      {value.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('business.no_bank_accounts')}
        </Text>
      )}
      {value.map((row, i) => (
        <Group key={i} align="flex-end" wrap="wrap" gap="xs">
          <TextInput label={t('business.bank')} value={row.bank} onChange={(e) => set(i, { bank: e.currentTarget.value })} />
          <TextInput
            label={t('business.account_number')}
            value={row.number}
            onChange={(e) => set(i, { number: e.currentTarget.value })}
          />
          <TextInput
            label={t('business.account_holder')}
            value={row.holder}
            onChange={(e) => set(i, { holder: e.currentTarget.value })}
          />
          <ActionIcon
            variant="light"
            color="red"
            size="lg"
            aria-label={t('business.remove_bank', { n: i + 1 })}
            onClick={() => onChange(value.filter((_, j) => j !== i))}
          >
            ×
          </ActionIcon>
        </Group>
      ))}
      <Button variant="light" size="xs" w="fit-content" onClick={() => onChange([...value, { bank: '', number: '', holder: '' }])}>
        {t('business.add_bank')}
      </Button>
    </Stack>
  );
}
