import { Button, Group, Modal, Stack, TextInput, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { asApiError, unwrap } from '../../api/errors';
import type { ApiError } from '../../api/errors';
import { FormError } from '../../components/FormError';
import { fieldError } from '../../lib/fieldError';

/** "Kirim pesan": queues a message typed by the owner (sent with high priority). */
export function SendMessageModal({ opened, onClose, onQueued }: { opened: boolean; onClose: () => void; onQueued: () => void }) {
  const { t } = useTranslation();
  const [to, setTo] = useState('');
  const [body, setBody] = useState('');
  const [missing, setMissing] = useState<Record<string, boolean>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!opened) return;
    setTo('');
    setBody('');
    setMissing({});
    setError(null);
  }, [opened]);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const local = { to: !to.trim(), body: !body.trim() };
    setMissing(local);
    setError(null);
    if (local.to || local.body) return;
    setBusy(true);
    try {
      const queued = await unwrap(api.POST('/api/whatsapp/send', { body: { to: to.trim(), body: body.trim() } }));
      notifications.show({ color: 'green', message: t('whatsapp.send.queued', { id: queued.id }) });
      onQueued();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  // The server names the field only for the message; any other validation error is the number.
  const toError = error?.kind === 'validation' && error.field !== 'body' ? t('whatsapp.send.to_invalid') : undefined;
  const err = (field: string) => (missing[field] ? t('validation.required') : fieldError(error, field));

  return (
    <Modal opened={opened} onClose={onClose} title={t('whatsapp.send.title')} centered>
      <form onSubmit={(e) => void onSubmit(e)} noValidate>
        <Stack gap="sm">
          <TextInput
            label={t('whatsapp.send.to')}
            description={t('whatsapp.send.to_hint')}
            inputMode="tel"
            value={to}
            onChange={(e) => setTo(e.currentTarget.value)}
            error={err('to') ?? toError}
            data-autofocus
          />
          <Textarea
            label={t('whatsapp.send.body')}
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
            error={err('body')}
            autosize
            minRows={3}
            maxRows={10}
          />
          {!toError && !error?.field && <FormError error={error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {t('whatsapp.send.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
