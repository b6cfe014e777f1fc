import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { Invoice } from '../../api/types';
import { ConfirmButton } from '../../components/ConfirmButton';
import { formatRupiah } from '../../lib/money';
import { useInvalidate } from '../../lib/queryClient';
import { BILLING_KEYS, keys } from '../../lib/queryKeys';

/**
 * "Pakai saldo": the customer's credit (the subscription's wallet first, then the customer's
 * own) pays what the invoice still owes, after a confirmation naming both amounts. Shown only
 * while the customer has credit.
 */
export function ApplyBalanceButton({ invoice }: { invoice: Invoice }) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const balance = useQuery({
    queryKey: keys.customers.balance(invoice.customer_id),
    queryFn: () => unwrap(api.GET('/api/customers/{id}/balance', { params: { path: { id: invoice.customer_id } } })),
  });
  // What this invoice can use: its subscription's wallet and the customer's own (another
  // subscription's wallet pays only that subscription's invoices).
  const own = balance.data?.subscription_balances.find((b) => b.subscription_id === invoice.subscription_id);
  const credit = balance.data ? balance.data.customer_balance + (own?.balance ?? 0) : 0;
  if (credit <= 0) return null;
  const apply = async () => {
    const done = await unwrap(api.POST('/api/invoices/{id}/apply-balance', { params: { path: { id: invoice.id } } }));
    notifications.show({
      color: 'green',
      message: t('invoices.apply_balance_done', {
        amount: formatRupiah(done.from_subscription + done.from_customer),
        number: invoice.number,
      }),
    });
    await invalidate(...BILLING_KEYS);
  };
  return (
    <ConfirmButton
      variant="light"
      color="teal"
      label={t('invoices.apply_balance', { amount: formatRupiah(credit) })}
      title={t('invoices.apply_balance_title')}
      message={t('invoices.apply_balance_text', {
        amount: formatRupiah(Math.min(credit, invoice.owed)),
        number: invoice.number,
        owed: formatRupiah(invoice.owed),
      })}
      confirmLabel={t('invoices.apply_balance_confirm')}
      onConfirm={apply}
    />
  );
}
