import { Button, Group } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { asApiError } from '../../api/errors';
import { errorTitle } from '../../components/FormError';
import { downloadReceipt, printReceipt } from '../../lib/receipt';

/**
 * Two clearly named actions: "Cetak" prints (A4, or a 58 mm receipt printer) and "Unduh PDF"
 * saves the A4 PDF. Each is fetched with the bearer token.
 */
export function ReceiptButtons({ id, number, size = 'sm' }: { id: string; number: string; size?: string }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState<'pdf' | 'a4' | '58mm' | null>(null);

  const run = async (which: 'pdf' | 'a4' | '58mm') => {
    setBusy(which);
    try {
      if (which === 'pdf') await downloadReceipt(id, number);
      else await printReceipt(id, which);
    } catch (e) {
      notifications.show({ color: 'red', title: t('invoices.receipt_failed'), message: errorTitle(asApiError(e), t) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <Group gap="xs">
      <Button size={size} variant="default" loading={busy === 'a4'} onClick={() => void run('a4')} data-testid="receipt-print">
        {t('invoices.print')}
      </Button>
      <Button size={size} variant="default" loading={busy === '58mm'} onClick={() => void run('58mm')} data-testid="receipt-print-58mm">
        {t('invoices.print_58mm')}
      </Button>
      <Button size={size} variant="default" loading={busy === 'pdf'} onClick={() => void run('pdf')} data-testid="receipt-pdf">
        {t('invoices.download_pdf')}
      </Button>
    </Group>
  );
}
