import { Button, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { asApiError, unwrap } from '../../api/errors';
import type { ApiError } from '../../api/errors';
import type { InvoiceSummary, NewPayment, PaymentResult } from '../../api/types';
import { FormError } from '../../components/FormError';
import { RupiahInput } from '../../components/RupiahInput';
import { fieldError } from '../../lib/fieldError';
import { formatRupiah } from '../../lib/money';
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
  const [picked, setPicked] = useState<InvoiceSummary | null>(null);
  const invoice = fixed ?? picked;
  const [amount, setAmount] = useState<number | null>(fixed?.owed ?? null);
  const [method, setMethod] = useState<NewPayment['method']>('cash');
  const [reference, setReference] = useState('');
  const [note, setNote] = useState('');
  const [local, setLocal] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<PaymentResult | null>(null);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!invoice) problems.invoice_id = t('validation.required');
    if (amount === null || amount <= 0) problems.amount = t('payments.amount_invalid');
    setLocal(problems);
    setError(null);
    if (Object.keys(problems).length > 0 || !invoice || amount === null) return;
    setBusy(true);
    try {
      const body = {
        invoice_id: invoice.id,
        amount,
        method,
        reference: reference.trim() || undefined,
        note: note.trim() || undefined,
      };
      const res = await unwrap(api.POST('/api/payments', { body }));
      setResult(res);
      onRecorded?.(res);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  const err = (field: string) => local[field] ?? fieldError(error, field);

  if (result) {
    return (
      <Stack>
        <PaymentResultView result={result} invoiceLink={!fixed} />
        <Group justify="flex-end">
          {!fixed && (
            <Button
              variant="default"
              onClick={() => {
                setResult(null);
                setPicked(null);
                setAmount(null);
                setReference('');
                setNote('');
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
    <form onSubmit={(e) => void onSubmit(e)} noValidate>
      <Stack gap="sm">
        {fixed ? (
          <Text size="sm">
            {t('payments.for_invoice', { number: fixed.number, customer: fixed.customer_name })}
          </Text>
        ) : (
          <InvoicePicker
            label={t('payments.invoice')}
            value={picked?.id ?? null}
            onChange={(inv) => {
              setPicked(inv);
              setAmount(inv?.owed ?? null);
            }}
            error={err('invoice_id')}
          />
        )}
        {invoice && (
          <Text size="sm" c="dimmed">
            {t('invoices.owed')}: {formatRupiah(invoice.owed)}
          </Text>
        )}
        <RupiahInput label={t('payments.amount')} value={amount} onChange={setAmount} error={err('amount')} />
        <NativeSelect
          label={t('payments.method')}
          value={method}
          onChange={(e) => setMethod(e.currentTarget.value as NewPayment['method'])}
          data={[
            { value: 'cash', label: t('payments.method_cash') },
            { value: 'transfer', label: t('payments.method_transfer') },
          ]}
        />
        <TextInput
          label={t('payments.reference')}
          description={t('payments.reference_hint')}
          value={reference}
          onChange={(e) => setReference(e.currentTarget.value)}
          error={err('reference')}
        />
        <TextInput label={t('payments.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} error={err('note')} />
        <FormError error={error} />
        <Group justify="flex-end">
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              {t('common.cancel')}
            </Button>
          )}
          <Button type="submit" loading={busy}>
            {t('payments.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
