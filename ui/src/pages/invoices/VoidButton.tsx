import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { FormError } from '../../components/FormError';
import { useServerError } from '../../lib/formErrors';
import { useInvalidate } from '../../lib/queryClient';
import { BILLING_KEYS } from '../../lib/queryKeys';

/** "Batalkan tagihan": asks for a reason and a confirmation, then voids the invoice. */
export function VoidButton({ id, number }: { id: string; number: string }) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const [open, setOpen] = useState(false);
  const form = useForm({
    initialValues: { reason: '' },
    validate: { reason: (v) => (v.trim() ? null : t('validation.required')) },
  });
  const serverError = useServerError(form);
  const voidInvoice = useMutation({
    mutationFn: (reason: string) => unwrap(api.POST('/api/invoices/{id}/void', { params: { path: { id } }, body: { reason } })),
    onSuccess: () => {
      setOpen(false);
      void invalidate(...BILLING_KEYS);
    },
  });
  const submit = serverError.onSubmit((values) => voidInvoice.mutateAsync(values.reason.trim()));

  return (
    <>
      <Button color="red" variant="light" onClick={() => setOpen(true)}>
        {t('invoices.void')}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('invoices.void_title', { number })} centered>
        <Stack>
          <Text size="sm">{t('invoices.void_text')}</Text>
          <TextInput data-autofocus label={t('invoices.void_reason')} {...form.getInputProps('reason')} />
          <FormError error={serverError.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </Button>
            <Button color="red" loading={voidInvoice.isPending} onClick={() => submit()}>
              {t('invoices.void_confirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
