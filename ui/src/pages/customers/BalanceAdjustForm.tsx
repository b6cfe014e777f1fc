import { Button, Card, Group, NativeSelect, Stack, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { BalanceEntryRequest, Subscription } from '../../api/types';
import { FormError } from '../../components/FormError';
import { RupiahInput } from '../../components/RupiahInput';
import { useServerError } from '../../lib/formErrors';
import { useInvalidate } from '../../lib/queryClient';
import { BILLING_KEYS } from '../../lib/queryKeys';

interface Props {
  customerId: string;
  subscriptions: Subscription[];
}

/** "Penyesuaian saldo": adjustment (±) or refund (> 0) on a wallet, with a mandatory reason. */
export function BalanceAdjustForm({ customerId, subscriptions }: Props) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const form = useForm({
    initialValues: {
      kind: 'adjustment' as BalanceEntryRequest['kind'],
      account: '',
      amount: null as number | null,
      reason: '',
    },
    validate: {
      amount: (amount, values) =>
        amount === null || amount === 0
          ? t('balance.amount_nonzero')
          : values.kind === 'refund' && amount < 0
            ? t('balance.refund_positive')
            : null,
      reason: (reason) => (reason.trim() ? null : t('validation.required')),
    },
  });
  const serverError = useServerError(form, { fields: { subscription_id: 'account' } });
  const save = useMutation({
    mutationFn: (v: typeof form.values) =>
      unwrap(
        api.POST('/api/customers/{id}/balance', {
          params: { path: { id: customerId } },
          body: { kind: v.kind, amount: v.amount ?? 0, reason: v.reason.trim(), subscription_id: v.account || undefined },
        }),
      ),
    onSuccess: () => {
      form.setValues({ amount: null, reason: '' });
      void invalidate(...BILLING_KEYS);
    },
  });
  const kind = form.values.kind;

  return (
    <Card withBorder>
      <form onSubmit={serverError.onSubmit((values) => save.mutateAsync(values))} noValidate>
        <Stack gap="sm">
          <Title order={3} size="h4">
            {t('balance.adjust_title')}
          </Title>
          <Group grow align="flex-start" wrap="wrap">
            <NativeSelect
              label={t('balance.kind')}
              {...form.getInputProps('kind')}
              data={[
                { value: 'adjustment', label: t('ledger.adjustment') },
                { value: 'refund', label: t('ledger.refund') },
              ]}
            />
            <NativeSelect
              label={t('balance.account')}
              {...form.getInputProps('account')}
              data={[
                { value: '', label: t('balance.customer_wallet') },
                ...subscriptions.map((s) => ({ value: s.id, label: s.login })),
              ]}
            />
            <RupiahInput
              label={t('balance.amount')}
              description={kind === 'adjustment' ? t('balance.amount_hint') : undefined}
              allowNegative={kind === 'adjustment'}
              {...form.getInputProps('amount')}
              value={form.values.amount}
            />
          </Group>
          <TextInput label={t('balance.reason_input')} {...form.getInputProps('reason')} />
          <FormError error={serverError.error} />
          <Group justify="flex-end">
            <Button type="submit" loading={save.isPending}>
              {t('balance.adjust_submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
