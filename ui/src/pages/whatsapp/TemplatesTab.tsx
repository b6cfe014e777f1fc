import { Badge, Button, Card, Group, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { WaTemplate } from '../../api/types';
import { LoadState } from '../../components/LoadState';
import { useInvalidate } from '../../lib/queryClient';
import { keys } from '../../lib/queryKeys';
import { TemplateEditor } from './TemplateEditor';

/** The template's name in the user's language (the key when it has none). */
export function templateName(t: TFunction, key: string): string {
  return t(`whatsapp.templates.names.${key}` as 'whatsapp.templates.names.owner_alert', { defaultValue: key });
}

/** "Template": every message text with its variables; "Ubah" opens the editor. */
export function TemplatesTab() {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const templates = useQuery({ queryKey: keys.whatsapp.templates(), queryFn: () => unwrap(api.GET('/api/whatsapp/templates')) });
  const [editing, setEditing] = useState<WaTemplate | null>(null);

  return (
    <LoadState state={templates}>
      {(data) => (
        <Stack gap="sm">
          {data.items.map((tpl) => (
            <Card key={tpl.key} withBorder padding="sm" data-testid="wa-template" data-key={tpl.key}>
              <Stack gap={6}>
                <Group justify="space-between" wrap="nowrap">
                  <Group gap="xs">
                    <Text fw={600}>{templateName(t, tpl.key)}</Text>
                    <Badge size="sm" variant="light" color={tpl.is_default ? 'gray' : 'blue'} data-testid="wa-template-state">
                      {tpl.is_default ? t('whatsapp.templates.default') : t('whatsapp.templates.custom')}
                    </Badge>
                  </Group>
                  <Button
                    size="xs"
                    variant="default"
                    onClick={() => setEditing(tpl)}
                    aria-label={`${t('whatsapp.templates.edit')} ${templateName(t, tpl.key)}`}
                  >
                    {t('whatsapp.templates.edit')}
                  </Button>
                </Group>
                {/* The shop's own message to its customers, in whatever language it is written. */}
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} lineClamp={3} translate="no">
                  {tpl.body}
                </Text>
                <Group gap={4}>
                  <Text size="xs" c="dimmed">
                    {t('whatsapp.templates.variables')}:
                  </Text>
                  {tpl.variables.map((v) => (
                    <Badge key={v} size="sm" variant="outline" tt="none" translate="no">
                      {`{${v}}`}
                    </Badge>
                  ))}
                </Group>
              </Stack>
            </Card>
          ))}
          <TemplateEditor
            template={editing}
            onClose={() => setEditing(null)}
            onSaved={() => {
              setEditing(null);
              void invalidate(keys.whatsapp.templates());
            }}
          />
        </Stack>
      )}
    </LoadState>
  );
}
