import { Button, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { InvoiceSummary, NewPayment, PaymentResult } from '../../api/types';
import { FormError } from '../../components/FormError';
import { RupiahInput } from '../../components/RupiahInput';
import { useServerError } from '../../lib/formErrors';
import { formatRupiah } from '../../lib/money';
import { useInvalidate } from '../../lib/queryClient';
import { BILLING_KEYS } from '../../lib/queryKeys';
import { InvoicePicker } from './InvoicePicker';
import { PaymentResultView } from './PaymentResultView';

interface Props {
  /** A fixed invoice (from its detail page); otherwise the form shows an invoice picker. */
  invoice?: InvoiceSummary;
  onRecorded?: (result: PaymentResult) => void;
  onCancel?: () => void;
}

/** Manual payment by a cashier; the amount starts at what is owed, over-payment becomes credit. */
export function PaymentForm({ invoice: fixed, onRecorded, onCancel }: Props) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const form = useForm({
    initialValues: {
      invoice: null as InvoiceSummary | null,
      amount: fixed?.owed ?? (null as number | null),
      method: 'cash' as NewPayment['method'],
      reference: '',
      note: '',
    },
    validate: {
      invoice: (v) => (fixed || v ? null : t('validation.required')),
      amount: (v) => (v === null || v <= 0 ? t('payments.amount_invalid') : null),
    },
  });
  const serverError = useServerError(form, { fields: { invoice_id: 'invoice' } });
  const record = useMutation({
    mutationFn: (v: typeof form.values) =>
      unwrap(
        api.POST('/api/payments', {
          body: {
            invoice_id: (fixed ?? v.invoice)?.id ?? '',
            amount: v.amount ?? 0,
            method: v.method,
            reference: v.reference.trim() || undefined,
            note: v.note.trim() || undefined,
          },
        }),
      ),
    onSuccess: (res) => {
      void invalidate(...BILLING_KEYS);
      onRecorded?.(res);
    },
  });
  const result = record.data ?? null;
  const invoice = fixed ?? form.values.invoice;

  if (result) {
    return (
      <Stack>
        <PaymentResultView result={result} invoiceLink={!fixed} />
        <Group justify="flex-end">
          {!fixed && (
            <Button
              variant="default"
              onClick={() => {
                record.reset();
                form.setValues({ invoice: null, amount: null, reference: '', note: '' });
              }}
            >
              {t('payments.record_another')}
            </Button>
          )}
          {onCancel && <Button onClick={onCancel}>{t('common.close')}</Button>}
        </Group>
      </Stack>
    );
  }

  return (
    <form onSubmit={serverError.onSubmit((values) => record.mutateAsync(values))} noValidate>
      <Stack gap="sm">
        {fixed ? (
          <Text size="sm">
            {t('payments.for_invoice', { number: fixed.number, customer: fixed.customer_name })}
          </Text>
        ) : (
          <InvoicePicker
            autoFocus
            label={t('payments.invoice')}
            value={form.values.invoice?.id ?? null}
            onChange={(inv) => {
              form.setFieldValue('invoice', inv);
              form.setFieldValue('amount', inv?.owed ?? null);
            }}
            error={form.errors.invoice}
          />
        )}
        {invoice && (
          <Text size="sm" c="dimmed">
            {t('invoices.owed')}: {formatRupiah(invoice.owed)}
          </Text>
        )}
        <RupiahInput
          label={t('payments.amount')}
          data-autofocus={fixed ? true : undefined}
          {...form.getInputProps('amount')}
          value={form.values.amount}
        />
        <NativeSelect
          label={t('payments.method')}
          {...form.getInputProps('method')}
          data={[
            { value: 'cash', label: t('payments.method_cash') },
            { value: 'transfer', label: t('payments.method_transfer') },
          ]}
        />
        <TextInput
          label={t('payments.reference')}
          description={t('payments.reference_hint')}
          {...form.getInputProps('reference')}
        />
        <TextInput label={t('payments.note')} {...form.getInputProps('note')} />
        <FormError error={serverError.error} />
        <Group justify="flex-end">
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              {t('common.cancel')}
            </Button>
          )}
          <Button type="submit" loading={record.isPending}>
            {t('payments.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
