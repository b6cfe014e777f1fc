import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { asApiError, unwrap } from '../../api/errors';
import type { ApiError } from '../../api/errors';
import type { Payment } from '../../api/types';
import { FormError } from '../../components/FormError';
import { formatRupiah } from '../../lib/money';

export type ReviewAction = 'accept' | 'reject';

interface Props {
  payment: Payment | null;
  action: ReviewAction;
  onClose: () => void;
  /** Called after the server took the decision, or said it was already taken (409). */
  onDone: () => void;
}

/**
 * Confirms "Terima Rp X" (the invoice is credited with the amount the gateway reported) or
 * "Tolak" (the payment fails, the invoice stays unpaid) for a payment held for review.
 */
export function ReviewDecisionModal({ payment, action, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const id = payment?.id;

  useEffect(() => {
    setError(null);
  }, [id, action]);

  const run = async () => {
    if (!id) return;
    setBusy(true);
    setError(null);
    try {
      await unwrap(api.POST('/api/payments/{id}/review', { params: { path: { id } }, body: { action } }));
      notifications.show({
        color: action === 'accept' ? 'green' : 'orange',
        message: t(action === 'accept' ? 'payments.review.accepted' : 'payments.review.rejected'),
      });
      onDone();
      onClose();
    } catch (e) {
      const failure = asApiError(e);
      setError(failure);
      // 409: not held any more (decided elsewhere); the panel should no longer offer it.
      if (failure.status === 409) onDone();
    } finally {
      setBusy(false);
    }
  };

  const vars = {
    name: payment?.customer_name ?? '',
    invoice: payment?.invoice_number ?? '—',
    requested: payment ? formatRupiah(payment.amount) : '',
    reported: typeof payment?.review_amount === 'number' ? formatRupiah(payment.review_amount) : '—',
  };
  const accept = action === 'accept';
  return (
    <Modal
      opened={payment !== null}
      onClose={onClose}
      title={t(accept ? 'payments.review.accept_title' : 'payments.review.reject_title')}
      centered
    >
      <Stack>
        <Text size="sm">{t(accept ? 'payments.review.accept_message' : 'payments.review.reject_message', vars)}</Text>
        <FormError error={error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button color={accept ? 'green' : 'red'} loading={busy} onClick={() => void run()}>
            {t(accept ? 'payments.review.accept_submit' : 'payments.review.reject_submit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
