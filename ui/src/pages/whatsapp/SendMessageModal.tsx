import { Button, Group, Modal, Stack, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ApiError, unwrap } from '../../api/errors';
import { FormError } from '../../components/FormError';
import { useServerError } from '../../lib/formErrors';

/** "Kirim pesan": queues a message typed by the owner (sent with high priority). */
export function SendMessageModal({ opened, onClose, onQueued }: { opened: boolean; onClose: () => void; onQueued: () => void }) {
  const { t } = useTranslation();
  const required = (v: string) => (v.trim() ? null : t('validation.required'));
  const form = useForm({ initialValues: { to: '', body: '' }, validate: { to: required, body: required } });
  const serverError = useServerError(form);
  const send = useMutation({
    mutationFn: async (v: typeof form.values) => {
      try {
        return await unwrap(api.POST('/api/whatsapp/send', { body: { to: v.to.trim(), body: v.body.trim() } }));
      } catch (e) {
        // The server names the field only for the message; any other validation error is the number.
        if (e instanceof ApiError && e.kind === 'validation' && e.field !== 'body' && e.field !== 'to') {
          throw new ApiError(e.kind, t('whatsapp.send.to_invalid'), e.status, 'to');
        }
        throw e;
      }
    },
    onSuccess: (queued) => {
      notifications.show({ color: 'green', message: t('whatsapp.send.queued', { id: queued.id }) });
      onQueued();
    },
  });

  useEffect(() => {
    if (!opened) return;
    form.setValues({ to: '', body: '' });
    form.clearErrors();
    serverError.clear();
  }, [opened]);

  const error = serverError.error;

  return (
    <Modal opened={opened} onClose={onClose} title={t('whatsapp.send.title')} centered>
      <form onSubmit={serverError.onSubmit((values) => send.mutateAsync(values))} noValidate>
        <Stack gap="sm">
          <TextInput
            label={t('whatsapp.send.to')}
            description={t('whatsapp.send.to_hint')}
            inputMode="tel"
            {...form.getInputProps('to')}
            data-autofocus
          />
          <Textarea label={t('whatsapp.send.body')} {...form.getInputProps('body')} autosize minRows={3} maxRows={10} />
          {!error?.field && <FormError error={error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={send.isPending}>
              {t('whatsapp.send.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
