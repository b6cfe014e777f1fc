import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { asApiError, unwrap } from '../../api/errors';
import type { ApiError } from '../../api/errors';
import { FormError } from '../../components/FormError';
import { fieldError } from '../../lib/fieldError';

/** "Batalkan tagihan": asks for a reason and a confirmation, then voids the invoice. */
export function VoidButton({ id, number, onVoided }: { id: string; number: string; onVoided: () => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    setMissing(!reason.trim());
    setError(null);
    if (!reason.trim()) return;
    setBusy(true);
    try {
      await unwrap(api.POST('/api/invoices/{id}/void', { params: { path: { id } }, body: { reason: reason.trim() } }));
      setOpen(false);
      onVoided();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button color="red" variant="light" onClick={() => setOpen(true)}>
        {t('invoices.void')}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('invoices.void_title', { number })} centered>
        <Stack>
          <Text size="sm">{t('invoices.void_text')}</Text>
          <TextInput
            label={t('invoices.void_reason')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={missing ? t('validation.required') : fieldError(error, 'reason')}
          />
          <FormError error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </Button>
            <Button color="red" loading={busy} onClick={() => void submit()}>
              {t('invoices.void_confirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
