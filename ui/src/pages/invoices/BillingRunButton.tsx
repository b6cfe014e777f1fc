import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { BillingRunResult } from '../../api/types';
import { FormError } from '../../components/FormError';
import { useInvalidate } from '../../lib/queryClient';
import { BILLING_KEYS } from '../../lib/queryKeys';
import { InvoiceTable } from './InvoiceTable';

/** "Jalankan penagihan": a dry-run preview of what would be issued, then the real run. */
export function BillingRunButton() {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const [open, setOpen] = useState(false);
  const [preview, setPreview] = useState<BillingRunResult | null>(null);
  const [done, setDone] = useState<BillingRunResult | null>(null);
  const billing = useMutation({
    mutationFn: (dryRun: boolean) => unwrap(api.POST('/api/billing/run', { body: { dry_run: dryRun } })),
    onSuccess: (result, dryRun) => {
      if (dryRun) setPreview(result);
      else {
        setDone(result);
        void invalidate(...BILLING_KEYS);
      }
    },
  });
  const busy = billing.isPending;
  const run = (dryRun: boolean) => billing.mutate(dryRun);

  const start = () => {
    setOpen(true);
    setPreview(null);
    setDone(null);
    run(true);
  };

  const shown = done ?? preview;
  return (
    <>
      <Button variant="light" onClick={start}>
        {t('billing.run')}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('billing.run')} size="xl" centered>
        <Stack>
          <FormError error={billing.error} />
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
              <Button loading={busy} disabled={!preview || preview.issued === 0} onClick={() => run(false)}>
                {t('billing.confirm')}
              </Button>
            )}
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
