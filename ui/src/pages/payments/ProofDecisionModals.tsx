import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { Payment } from '../../api/types';
import { FormError } from '../../components/FormError';
import { useServerError } from '../../lib/formErrors';
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
  const id = payment?.id;
  const confirm = useMutation({
    mutationFn: (paymentId: string) => unwrap(api.POST('/api/payments/{id}/confirm', { params: { path: { id: paymentId } } })),
    onSuccess: () => onDone(),
    // 409: someone else already decided; the panel should no longer offer it.
    onError: (failure) => {
      if (failure.status === 409) onDone();
    },
  });
  const { reset } = confirm;
  useEffect(() => reset(), [id, reset]);
  const result = confirm.data ?? null;
  const error = confirm.error;
  const run = () => {
    if (id) confirm.mutate(id);
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
            <Button color="green" loading={confirm.isPending} onClick={run}>
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
  const id = payment?.id;
  const form = useForm({
    initialValues: { reason: '' },
    validate: { reason: (v) => (v.trim() ? null : t('validation.required')) },
  });
  const serverError = useServerError(form, { known: { reason: t('validation.required') } });
  const reject = useMutation({
    mutationFn: ({ paymentId, reason }: { paymentId: string; reason: string }) =>
      unwrap(api.POST('/api/payments/{id}/reject', { params: { path: { id: paymentId } }, body: { reason } })),
    onSuccess: () => {
      notifications.show({ color: 'orange', message: t('payments.proofs.rejected') });
      onDone();
      onClose();
    },
    onError: (failure) => {
      if (failure.status === 409) onDone();
    },
  });

  useEffect(() => {
    form.setValues({ reason: '' });
    form.clearErrors();
    serverError.clear();
  }, [id]);

  const vars = { name: payment?.customer_name ?? '', amount: payment ? formatRupiah(payment.amount) : '' };
  return (
    <Modal opened={payment !== null} onClose={onClose} title={t('payments.proofs.reject_title')} centered>
      <form
        onSubmit={serverError.onSubmit(async (values) => {
          if (id) await reject.mutateAsync({ paymentId: id, reason: values.reason.trim() });
        })}
        noValidate
      >
        <Stack>
          <Text size="sm">{t('payments.proofs.reject_message', vars)}</Text>
          <Textarea
            label={t('payments.proofs.reason')}
            description={t('payments.proofs.reason_hint')}
            {...form.getInputProps('reason')}
            required
            autosize
            minRows={2}
            data-autofocus
          />
          <FormError error={serverError.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="red" loading={reject.isPending}>
              {t('payments.proofs.reject_submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
