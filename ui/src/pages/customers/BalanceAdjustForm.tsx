import { Button, Card, Group, NativeSelect, Stack, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { asApiError, unwrap } from '../../api/errors';
import type { ApiError } from '../../api/errors';
import type { BalanceEntryRequest, Subscription } from '../../api/types';
import { FormError } from '../../components/FormError';
import { RupiahInput } from '../../components/RupiahInput';
import { fieldError } from '../../lib/fieldError';

interface Props {
  customerId: string;
  subscriptions: Subscription[];
  onSaved: () => void;
}

/** "Penyesuaian saldo": adjustment (±) or refund (> 0) on a wallet, with a mandatory reason. */
export function BalanceAdjustForm({ customerId, subscriptions, onSaved }: Props) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<BalanceEntryRequest['kind']>('adjustment');
  const [account, setAccount] = useState('');
  const [amount, setAmount] = useState<number | null>(null);
  const [reason, setReason] = useState('');
  const [local, setLocal] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (amount === null || amount === 0) problems.amount = t('balance.amount_nonzero');
    else if (kind === 'refund' && amount < 0) problems.amount = t('balance.refund_positive');
    if (!reason.trim()) problems.reason = t('validation.required');
    setLocal(problems);
    setError(null);
    if (Object.keys(problems).length > 0 || amount === null) return;
    setBusy(true);
    try {
      await unwrap(
        api.POST('/api/customers/{id}/balance', {
          params: { path: { id: customerId } },
          body: { kind, amount, reason: reason.trim(), subscription_id: account || undefined },
        }),
      );
      setAmount(null);
      setReason('');
      onSaved();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  const err = (field: string) => local[field] ?? fieldError(error, field);

  return (
    <Card withBorder>
      <form onSubmit={(e) => void onSubmit(e)} noValidate>
        <Stack gap="sm">
          <Title order={3} size="h4">
            {t('balance.adjust_title')}
          </Title>
          <Group grow align="flex-start" wrap="wrap">
            <NativeSelect
              label={t('balance.kind')}
              value={kind}
              onChange={(e) => setKind(e.currentTarget.value as BalanceEntryRequest['kind'])}
              data={[
                { value: 'adjustment', label: t('ledger.adjustment') },
                { value: 'refund', label: t('ledger.refund') },
              ]}
            />
            <NativeSelect
              label={t('balance.account')}
              value={account}
              onChange={(e) => setAccount(e.currentTarget.value)}
              data={[
                { value: '', label: t('balance.customer_wallet') },
                ...subscriptions.map((s) => ({ value: s.id, label: s.login })),
              ]}
            />
            <RupiahInput
              label={t('balance.amount')}
              description={kind === 'adjustment' ? t('balance.amount_hint') : undefined}
              allowNegative={kind === 'adjustment'}
              value={amount}
              onChange={setAmount}
              error={err('amount')}
            />
          </Group>
          <TextInput
            label={t('balance.reason_input')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={err('reason')}
          />
          <FormError error={error} />
          <Group justify="flex-end">
            <Button type="submit" loading={busy}>
              {t('balance.adjust_submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
