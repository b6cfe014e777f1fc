import { Button, Center, Group, Image, Loader, Modal, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { asApiError } from '../../api/errors';
import type { ApiError } from '../../api/errors';
import type { Payment } from '../../api/types';
import { FormError } from '../../components/FormError';
import { formatRupiah } from '../../lib/money';
import { proofObjectUrl } from '../../lib/proof';

interface Props {
  payment: Payment | null;
  onClose: () => void;
  onConfirm: (payment: Payment) => void;
  onReject: (payment: Payment) => void;
}

/** "Lihat bukti": the uploaded image, fetched with the token, with confirm and reject at hand. */
export function ProofImageModal({ payment, onClose, onConfirm, onReject }: Props) {
  const { t } = useTranslation();
  const [src, setSrc] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const id = payment?.id;

  useEffect(() => {
    if (!id) return;
    let cancelled = false;
    let url: string | null = null;
    setSrc(null);
    setError(null);
    proofObjectUrl(id).then(
      (u) => {
        url = u;
        if (cancelled) URL.revokeObjectURL(u);
        else setSrc(u);
      },
      (e: unknown) => {
        if (!cancelled) setError(asApiError(e));
      },
    );
    return () => {
      cancelled = true;
      if (url) URL.revokeObjectURL(url);
    };
  }, [id]);

  const name = payment?.customer_name ?? '';
  const amount = payment ? formatRupiah(payment.amount) : '';
  return (
    <Modal opened={payment !== null} onClose={onClose} title={t('payments.proofs.view_title', { name })} size="lg" centered>
      {payment && (
        <Stack>
          <Text size="sm">
            {t('payments.amount')}: <b>{amount}</b>
            {payment.invoice_number ? ` · ${t('payments.invoice')} ${payment.invoice_number}` : ''}
          </Text>
          {payment.note && (
            <Text size="sm" c="dimmed">
              {payment.note}
            </Text>
          )}
          <FormError error={error} />
          {!src && !error && (
            <Center p="xl">
              <Loader aria-label={t('common.loading')} />
            </Center>
          )}
          {src && (
            <Image
              src={src}
              alt={t('payments.proofs.image_alt', { name, amount })}
              fit="contain"
              mah="60vh"
              radius="sm"
              data-testid="proof-image"
            />
          )}
          <Group justify="flex-end">
            <Button variant="subtle" onClick={onClose}>
              {t('common.close')}
            </Button>
            <Button variant="light" color="red" onClick={() => onReject(payment)}>
              {t('payments.proofs.reject')}
            </Button>
            <Button color="green" onClick={() => onConfirm(payment)}>
              {t('payments.proofs.confirm')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
