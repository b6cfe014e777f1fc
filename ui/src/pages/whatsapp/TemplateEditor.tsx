import { Alert, Badge, Button, Group, Modal, Paper, Stack, Text, Textarea, UnstyledButton } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { asApiError, unwrap } from '../../api/errors';
import type { ApiError } from '../../api/errors';
import type { WaTemplate } from '../../api/types';
import { ConfirmButton } from '../../components/ConfirmButton';
import { FormError } from '../../components/FormError';
import { templateName } from './TemplatesTab';

const PREVIEW_DELAY_MS = 300;

interface Props {
  template: WaTemplate | null;
  onClose: () => void;
  onSaved: () => void;
}

/** Edits one template with a live preview rendered by the server; errors name the variable. */
export function TemplateEditor({ template, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const [body, setBody] = useState('');
  const [preview, setPreview] = useState('');
  const [previewError, setPreviewError] = useState<ApiError | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  const save = useMutation({
    mutationFn: ({ key, value }: { key: string; value: string | null }) =>
      unwrap(api.PUT('/api/whatsapp/templates/{key}', { params: { path: { key } }, body: { body: value } })),
    onSuccess: (_, { value }) => {
      notifications.show({ color: 'green', message: value === null ? t('whatsapp.templates.restored') : t('whatsapp.templates.saved') });
      onSaved();
    },
  });
  const { reset } = save;
  const error = save.error;

  useEffect(() => {
    if (!template) return;
    setBody(template.body);
    setPreview('');
    setPreviewError(null);
    reset();
  }, [template, reset]);

  // Live preview: asks the server once typing pauses.
  useEffect(() => {
    if (!template) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      unwrap(api.POST('/api/whatsapp/templates/{key}/preview', { params: { path: { key: template.key } }, body: { body } }))
        .then((p) => {
          if (cancelled) return;
          setPreview(p.text);
          setPreviewError(null);
        })
        .catch((e: unknown) => {
          if (!cancelled) setPreviewError(asApiError(e));
        });
    }, PREVIEW_DELAY_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [template, body]);

  const insert = (variable: string) => {
    const el = area.current;
    const token = `{${variable}}`;
    const start = el?.selectionStart ?? body.length;
    const end = el?.selectionEnd ?? body.length;
    setBody(body.slice(0, start) + token + body.slice(end));
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(start + token.length, start + token.length);
    });
  };

  /** Saves the text (null: back to the built-in one); rejects when the server refuses it. */
  const store = async (value: string | null) => {
    if (template) await save.mutateAsync({ key: template.key, value });
  };

  const bodyError = error?.field === 'body' ? error.message : undefined;
  const name = template ? templateName(t, template.key) : '';

  return (
    <Modal opened={template !== null} onClose={onClose} title={t('whatsapp.templates.edit_title', { name })} size="lg" centered>
      {template && (
        <Stack gap="sm">
          <Textarea
            ref={area}
            label={t('whatsapp.templates.body')}
            description={t('whatsapp.templates.body_hint')}
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
            error={bodyError}
            errorProps={{ 'data-testid': 'wa-template-body-error' }}
            autosize
            minRows={4}
            maxRows={14}
            data-autofocus
          />
          <Group gap={4}>
            <Text size="xs" c="dimmed">
              {t('whatsapp.templates.variables')}:
            </Text>
            {template.variables.map((v) => (
              <UnstyledButton key={v} onClick={() => insert(v)} aria-label={t('whatsapp.templates.insert', { name: `{${v}}` })}>
                <Badge size="sm" variant="outline" tt="none" style={{ cursor: 'pointer' }}>
                  {`{${v}}`}
                </Badge>
              </UnstyledButton>
            ))}
          </Group>
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('whatsapp.templates.preview')}
            </Text>
            {previewError ? (
              <Alert color="red" variant="light" data-testid="wa-template-preview-error">
                {previewError.message || t('errors.validation')}
              </Alert>
            ) : (
              <Paper withBorder p="sm" bg="var(--mantine-color-gray-0)" data-testid="wa-template-preview">
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {preview}
                </Text>
              </Paper>
            )}
          </Stack>
          {!bodyError && <FormError error={error} />}
          <Group justify="space-between">
            <ConfirmButton
              variant="light"
              color="orange"
              label={t('whatsapp.templates.restore')}
              title={t('whatsapp.templates.restore')}
              message={t('whatsapp.templates.restore_confirm')}
              confirmLabel={t('whatsapp.templates.restore')}
              onConfirm={() => store(null)}
            />
            <Group gap="xs">
              <Button variant="default" onClick={onClose}>
                {t('common.cancel')}
              </Button>
              <Button loading={save.isPending} onClick={() => void store(body).catch(() => undefined)}>
                {t('common.save')}
              </Button>
            </Group>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
