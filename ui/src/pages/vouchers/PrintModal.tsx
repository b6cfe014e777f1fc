import { Button, Checkbox, Group, Modal, SegmentedControl, Stack, Text } from '@mantine/core';
import type { ButtonProps } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { asApiError } from '../../api/errors';
import type { ApiError } from '../../api/errors';
import type { VoucherBatch } from '../../api/types';
import { PRINT_TEMPLATES } from '../../api/voucherPrint';
import type { PrintTemplate } from '../../api/voucherPrint';
import { FormError } from '../../components/FormError';
import { downloadBatchPdf, printBatch } from '../../lib/printVouchers';
import { batchLabel } from '../../lib/voucherFormat';

/** "Cetak" on a ready batch: choose the card layout, then print (HTML) or download a PDF. */
export function PrintButton({ batch, ...buttonProps }: { batch: VoucherBatch } & ButtonProps) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [template, setTemplate] = useState<PrintTemplate>('default');
  const [onlyUnused, setOnlyUnused] = useState(true);
  const [busy, setBusy] = useState<'html' | 'pdf' | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const label = batchLabel(batch.number);

  const run = async (format: 'html' | 'pdf') => {
    setBusy(format);
    setError(null);
    try {
      if (format === 'html') await printBatch(batch.id, template, onlyUnused);
      else await downloadBatchPdf(batch.id, label, template, onlyUnused);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <Button
        size="xs"
        variant="default"
        {...buttonProps}
        disabled={batch.status !== 'ready'}
        onClick={() => setOpen(true)}
        aria-label={t('vouchers.print.open_for', { label })}
      >
        {t('vouchers.print.open')}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('vouchers.print.title', { label })} centered>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t('vouchers.print.summary', { profile: batch.profile_name, count: batch.count })}
          </Text>
          <Stack gap={4}>
            <Text size="sm" fw={500} id={`print-template-${batch.id}`}>
              {t('vouchers.print.template')}
            </Text>
            <SegmentedControl
              aria-labelledby={`print-template-${batch.id}`}
              value={template}
              onChange={(v) => setTemplate(v as PrintTemplate)}
              data={PRINT_TEMPLATES.map((k) => ({ value: k, label: t(`vouchers.templates.kind_${k}`) }))}
            />
            <Text size="xs" c="dimmed">
              {t(`vouchers.templates.kind_${template}_hint`)}
            </Text>
          </Stack>
          <Checkbox
            label={t('vouchers.print.only_unused')}
            checked={onlyUnused}
            onChange={(e) => setOnlyUnused(e.currentTarget.checked)}
          />
          <FormError error={error} />
          <Group justify="flex-end">
            <Button variant="default" loading={busy === 'pdf'} disabled={busy !== null} onClick={() => void run('pdf')}>
              {t('vouchers.print.pdf')}
            </Button>
            <Button loading={busy === 'html'} disabled={busy !== null} onClick={() => void run('html')}>
              {t('vouchers.print.print')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
