import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { asApiError, unwrap } from '../../api/errors';
import type { ApiError } from '../../api/errors';
import type { BillingRunResult } from '../../api/types';
import { FormError } from '../../components/FormError';
import { InvoiceTable } from './InvoiceTable';

/** "Jalankan penagihan": a dry-run preview of what would be issued, then the real run. */
export function BillingRunButton({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [preview, setPreview] = useState<BillingRunResult | null>(null);
  const [done, setDone] = useState<BillingRunResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (dryRun: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const result = await unwrap(api.POST('/api/billing/run', { body: { dry_run: dryRun } }));
      if (dryRun) setPreview(result);
      else {
        setDone(result);
        onDone();
      }
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  const start = () => {
    setOpen(true);
    setPreview(null);
    setDone(null);
    void run(true);
  };

  const shown = done ?? preview;
  return (
    <>
      <Button variant="light" onClick={start}>
        {t('billing.run')}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('billing.run')} size="xl" centered>
        <Stack>
          <FormError error={error} />
          {busy && !shown && <Text size="sm">{t('common.loading')}</Text>}
          {shown && (
            <Alert variant="light" color={done ? 'green' : 'blue'} role="status">
              {done
                ? t('billing.done', { count: done.issued })
                : t('billing.preview', { count: shown.issued })}
            </Alert>
          )}
          {shown && shown.invoices.length > 0 && <InvoiceTable items={shown.invoices} links={!!done} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>
              {t('common.close')}
            </Button>
            {!done && (
              <Button loading={busy} disabled={!preview || preview.issued === 0} onClick={() => void run(false)}>
                {t('billing.confirm')}
              </Button>
            )}
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
