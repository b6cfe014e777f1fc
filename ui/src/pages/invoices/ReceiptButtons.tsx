import { Button, Group } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { asApiError } from '../../api/errors';
import { errorTitle } from '../../components/FormError';
import { downloadReceipt, printReceipt } from '../../lib/receipt';

/** "Cetak / Unduh PDF" and "Cetak" (printable HTML), both fetched with the bearer token. */
export function ReceiptButtons({ id, number, size = 'sm' }: { id: string; number: string; size?: string }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState<'pdf' | 'html' | null>(null);

  const run = async (which: 'pdf' | 'html') => {
    setBusy(which);
    try {
      if (which === 'pdf') await downloadReceipt(id, number);
      else await printReceipt(id);
    } catch (e) {
      notifications.show({ color: 'red', title: t('invoices.receipt_failed'), message: errorTitle(asApiError(e), t) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <Group gap="xs">
      <Button size={size} variant="default" loading={busy === 'pdf'} onClick={() => void run('pdf')}>
        {t('invoices.download_pdf')}
      </Button>
      <Button size={size} variant="default" loading={busy === 'html'} onClick={() => void run('html')}>
        {t('invoices.print')}
      </Button>
    </Group>
  );
}
