import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
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
  const id = payment?.id;
  const decide = useMutation({
    mutationFn: (paymentId: string) =>
      unwrap(api.POST('/api/payments/{id}/review', { params: { path: { id: paymentId } }, body: { action } })),
    onSuccess: () => {
      notifications.show({
        color: action === 'accept' ? 'green' : 'orange',
        message: t(action === 'accept' ? 'payments.review.accepted' : 'payments.review.rejected'),
      });
      onDone();
      onClose();
    },
    // 409: not held any more (decided elsewhere); the panel should no longer offer it.
    onError: (failure) => {
      if (failure.status === 409) onDone();
    },
  });
  const { reset } = decide;
  useEffect(() => reset(), [id, action, reset]);
  const run = () => {
    if (id) decide.mutate(id);
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
        <FormError error={decide.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button color={accept ? 'green' : 'red'} loading={decide.isPending} onClick={run}>
            {t(accept ? 'payments.review.accept_submit' : 'payments.review.reject_submit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
