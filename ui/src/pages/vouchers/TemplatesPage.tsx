import { Alert, Badge, Box, Button, Code, Group, SimpleGrid, Stack, Tabs, Text, Textarea, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { PRINT_TEMPLATES, getCardTemplate, previewCardTemplate, resetCardTemplate, saveCardTemplate } from '../../api/voucherPrint';
import type { CardTemplate, PrintTemplate } from '../../api/voucherPrint';
import { ConfirmButton } from '../../components/ConfirmButton';
import { FormError } from '../../components/FormError';
import { LoadState } from '../../components/LoadState';
import { PageHeader } from '../../components/PageHeader';
import { useInvalidate } from '../../lib/queryClient';
import { keys } from '../../lib/queryKeys';

/** What a card template can show (billing-documents' template fields). */
const PLACEHOLDERS = ['code', 'password', 'price', 'validity', 'profile', 'qr', 'serial', 'isp', 'logo'] as const;

/** A4 sheets are shown smaller so a whole card fits beside the editor; 58 mm at full size. */
const PREVIEW_ZOOM: Record<PrintTemplate, number> = { default: 0.6, small: 0.6, thermal58: 1 };

/**
 * The cards as they will print, with sample data, beside the editor. The page comes from the
 * server (the same renderer as printing) and is shown in a sandboxed frame: no script runs, it
 * cannot reach the dashboard.
 */
function Preview({ kind, html }: { kind: PrintTemplate; html: string }) {
  const { t } = useTranslation();
  const [debounced] = useDebouncedValue(html, 400);
  const preview = useQuery({
    queryKey: [...keys.voucherTemplates.kind(kind), 'preview', debounced],
    queryFn: ({ signal }) => previewCardTemplate(kind, debounced, signal),
    placeholderData: (previous) => previous,
    retry: false,
  });
  const page = preview.data?.replace('</head>', `<style>html{zoom:${PREVIEW_ZOOM[kind]}}</style></head>`);
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {t('vouchers.templates.preview')}
      </Text>
      <Text size="xs" c="dimmed">
        {t('vouchers.templates.preview_hint')}
      </Text>
      {preview.error && (
        <Alert color="red" variant="light" data-testid="template-preview-error">
          {preview.error.message}
        </Alert>
      )}
      <Box
        component="iframe"
        title={t('vouchers.templates.preview')}
        sandbox=""
        srcDoc={page ?? ''}
        data-testid="template-preview"
        style={{
          width: '100%',
          height: 440,
          border: '1px solid var(--mantine-color-gray-3)',
          borderRadius: 'var(--mantine-radius-md)',
          background: 'var(--mantine-color-gray-0)',
          opacity: preview.error ? 0.4 : 1,
        }}
      />
    </Stack>
  );
}

function Editor({ template }: { template: CardTemplate }) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const [html, setHtml] = useState(template.html);
  const area = useRef<HTMLTextAreaElement>(null);
  const onChanged = () => void invalidate(keys.voucherTemplates.kind(template.kind));
  const save = useMutation({
    mutationFn: (value: string) => saveCardTemplate(template.kind, value),
    onSuccess: () => {
      notifications.show({ color: 'green', message: t('vouchers.templates.saved') });
      onChanged();
    },
  });
  const { reset } = save;

  useEffect(() => {
    setHtml(template.html);
    reset();
  }, [template, reset]);

  const insert = (token: string) => {
    const el = area.current;
    const start = el?.selectionStart ?? html.length;
    const end = el?.selectionEnd ?? html.length;
    setHtml(html.slice(0, start) + token + html.slice(end));
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(start + token.length, start + token.length);
    });
  };

  return (
    <Stack gap="sm">
      <Group gap="xs">
        <Badge variant="light" color={template.custom ? 'grape' : 'gray'} data-testid="template-state">
          {template.custom ? t('vouchers.templates.custom') : t('vouchers.templates.builtin')}
        </Badge>
        <Text size="sm" c="dimmed">
          {t(`vouchers.templates.kind_${template.kind}_hint`)}
        </Text>
      </Group>
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          {t('vouchers.templates.placeholders')}
        </Text>
        <Group gap={6}>
          {PLACEHOLDERS.map((p) => (
            <UnstyledButton key={p} onClick={() => insert(`{{${p}}}`)} aria-label={t('vouchers.templates.insert', { name: p })}>
              <Code>{`{{${p}}}`}</Code>
            </UnstyledButton>
          ))}
          <UnstyledButton onClick={() => insert('{{#password}}…{{/password}}')} aria-label={t('vouchers.templates.insert', { name: '#password' })}>
            <Code>{'{{#password}}…{{/password}}'}</Code>
          </UnstyledButton>
        </Group>
        <Text size="xs" c="dimmed">
          {t('vouchers.templates.placeholders_hint')}
        </Text>
      </Stack>
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <Textarea
          ref={area}
          label={t('vouchers.templates.html')}
          value={html}
          onChange={(e) => setHtml(e.currentTarget.value)}
          autosize
          minRows={14}
          maxRows={22}
          spellCheck={false}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
        />
        <Preview kind={template.kind} html={html} />
      </SimpleGrid>
      <FormError error={save.error} />
      <Group justify="space-between">
        <Group gap="xs">
          <Button variant="subtle" onClick={() => setHtml(template.builtin_html)} disabled={html === template.builtin_html}>
            {t('vouchers.templates.start_from_builtin')}
          </Button>
          {template.custom && (
            <ConfirmButton
              variant="light"
              color="red"
              label={t('vouchers.templates.reset')}
              title={t('vouchers.templates.reset')}
              message={t('vouchers.templates.reset_confirm')}
              confirmLabel={t('vouchers.templates.reset')}
              onConfirm={async () => {
                await resetCardTemplate(template.kind);
                notifications.show({ color: 'green', message: t('vouchers.templates.restored') });
                onChanged();
              }}
            />
          )}
        </Group>
        <Button loading={save.isPending} onClick={() => save.mutate(html)} disabled={html === template.html}>
          {t('common.save')}
        </Button>
      </Group>
    </Stack>
  );
}

function KindPanel({ kind }: { kind: PrintTemplate }) {
  const template = useQuery({ queryKey: keys.voucherTemplates.kind(kind), queryFn: () => getCardTemplate(kind) });
  return <LoadState state={template}>{(data) => <Editor template={data} />}</LoadState>;
}

/** Template cetak: the card markup of each print layout, editable, with a way back to built-in. */
export function TemplatesPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const requested = params.get('kind');
  const kind: PrintTemplate = (PRINT_TEMPLATES as readonly string[]).includes(requested ?? '') ? (requested as PrintTemplate) : 'default';
  return (
    <Stack gap="md">
      <PageHeader title={t('vouchers.templates.title')} />
      <Alert variant="light" color="blue">
        {t('vouchers.templates.intro')}
      </Alert>
      <Tabs value={kind} onChange={(v) => setParams(v && v !== 'default' ? { kind: v } : {}, { replace: true })} keepMounted={false}>
        <Tabs.List mb="md">
          {PRINT_TEMPLATES.map((k) => (
            <Tabs.Tab key={k} value={k}>
              {t(`vouchers.templates.kind_${k}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {PRINT_TEMPLATES.map((k) => (
          <Tabs.Panel key={k} value={k}>
            <KindPanel kind={k} />
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}
