import { Alert, Anchor, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { PaymentResult } from '../../api/types';
import { StatusBadge } from '../../components/StatusBadge';
import { formatRupiah } from '../../lib/money';
import { ReceiptButtons } from '../invoices/ReceiptButtons';

/** What a recorded payment did: applied to the invoice, credit left, the invoice's new status. */
export function PaymentResultView({
  result,
  invoiceLink = true,
  title,
}: {
  result: PaymentResult;
  invoiceLink?: boolean;
  title?: string;
}) {
  const { t } = useTranslation();
  const p = result.payment;
  return (
    <Alert color="green" variant="light" role="status" title={title ?? t('payments.recorded')} data-testid="payment-result">
      <Stack gap={6}>
        <Text size="sm">
          {t('payments.amount')}: <b>{formatRupiah(p.amount)}</b>
        </Text>
        <Text size="sm" data-testid="payment-applied">
          {t('payments.applied')}: <b>{formatRupiah(result.applied)}</b>
        </Text>
        <Text size="sm" data-testid="payment-credit">
          {t('payments.credit')}: <b>{formatRupiah(result.credit)}</b>
        </Text>
        {result.invoice_status && (
          <Group gap="xs">
            <Text size="sm">{t('payments.invoice_status')}:</Text>
            <StatusBadge kind="invoice" status={result.invoice_status} testId="payment-invoice-status" />
          </Group>
        )}
        {p.invoice_id && (
          <Group gap="md">
            {invoiceLink && (
              <Anchor component={Link} to={`/invoices/${p.invoice_id}`} size="sm">
                {t('payments.open_invoice', { number: p.invoice_number ?? '' })}
              </Anchor>
            )}
            <ReceiptButtons id={p.invoice_id} number={p.invoice_number ?? p.invoice_id} size="xs" />
          </Group>
        )}
      </Stack>
    </Alert>
  );
}
