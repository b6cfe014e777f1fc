import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { asApiError, unwrap } from '../../api/errors';
import type { ApiError } from '../../api/errors';
import type { Payment, PaymentResult } from '../../api/types';
import { FormError } from '../../components/FormError';
import { fieldError } from '../../lib/fieldError';
import { formatRupiah } from '../../lib/money';
import { PaymentResultView } from './PaymentResultView';

interface Props {
  payment: Payment | null;
  onClose: () => void;
  /** Called after the server accepted the decision (the lists reload). */
  onDone: () => void;
}

/** "Konfirmasi": the cashier saw the transfer arrive; then shows what was applied and credited. */
export function ConfirmProofModal({ payment, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [result, setResult] = useState<PaymentResult | null>(null);
  const id = payment?.id;

  useEffect(() => {
    setError(null);
    setResult(null);
  }, [id]);

  const run = async () => {
    if (!id) return;
    setBusy(true);
    setError(null);
    try {
      setResult(await unwrap(api.POST('/api/payments/{id}/confirm', { params: { path: { id } } })));
      onDone();
    } catch (e) {
      const failure = asApiError(e);
      setError(failure);
      // 409: someone else already decided; the panel should no longer offer it.
      if (failure.status === 409) onDone();
    } finally {
      setBusy(false);
    }
  };

  const vars = { name: payment?.customer_name ?? '', amount: payment ? formatRupiah(payment.amount) : '' };
  return (
    <Modal opened={payment !== null} onClose={onClose} title={t('payments.proofs.confirm_title')} centered>
      <Stack>
        {result ? (
          <PaymentResultView result={result} title={t('payments.proofs.confirmed')} />
        ) : (
          <Text size="sm">{t('payments.proofs.confirm_message', vars)}</Text>
        )}
        <FormError error={error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {result ? t('common.close') : t('common.cancel')}
          </Button>
          {!result && (
            <Button color="green" loading={busy} onClick={() => void run()}>
              {t('payments.proofs.confirm_submit')}
            </Button>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}

/** "Tolak": the transfer did not arrive; a reason is required and kept with the payment. */
export function RejectProofModal({ payment, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [local, setLocal] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const id = payment?.id;

  useEffect(() => {
    setReason('');
    setLocal('');
    setError(null);
  }, [id]);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!id) return;
    setError(null);
    if (!reason.trim()) {
      setLocal(t('validation.required'));
      return;
    }
    setLocal('');
    setBusy(true);
    try {
      await unwrap(api.POST('/api/payments/{id}/reject', { params: { path: { id } }, body: { reason: reason.trim() } }));
      notifications.show({ color: 'orange', message: t('payments.proofs.rejected') });
      onDone();
      onClose();
    } catch (e) {
      const failure = asApiError(e);
      setError(failure);
      if (failure.status === 409) onDone();
    } finally {
      setBusy(false);
    }
  };

  const vars = { name: payment?.customer_name ?? '', amount: payment ? formatRupiah(payment.amount) : '' };
  return (
    <Modal opened={payment !== null} onClose={onClose} title={t('payments.proofs.reject_title')} centered>
      <form onSubmit={(e) => void onSubmit(e)} noValidate>
        <Stack>
          <Text size="sm">{t('payments.proofs.reject_message', vars)}</Text>
          <Textarea
            label={t('payments.proofs.reason')}
            description={t('payments.proofs.reason_hint')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={local || fieldError(error, 'reason', { reason: t('validation.required') })}
            required
            autosize
            minRows={2}
            data-autofocus
          />
          <FormError error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="red" loading={busy}>
              {t('payments.proofs.reject_submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
