import { Alert, Badge, Button, Card, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { WaSession, WaStatus } from '../../api/types';
import { ConfirmButton } from '../../components/ConfirmButton';
import { Field, FieldRow } from '../../components/Field';
import { formatDateTime } from '../../lib/dates';
import { useInvalidate } from '../../lib/queryClient';
import { keys } from '../../lib/queryKeys';
import { PROVIDER_SPECS, isProvider } from './providerFields';
import { ScanModal } from './ScanModal';
import { SessionFormModal } from './SessionFormModal';
import { SessionStatusBadge } from './WaStatusBadge';

export const MAX_SESSIONS = 5;

/** "Sesi": one card per sender session with its health, and "Tambah sesi" (at most five). */
export function SessionsTab({ status }: { status: WaStatus }) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  // The sessions come with the status; the home screen and the health page show them too.
  const onChanged = () => void invalidate(keys.whatsapp.status(), keys.dashboard.all, keys.monitoring.health());
  const [editing, setEditing] = useState<WaSession | 'new' | null>(null);
  const [scanning, setScanning] = useState<WaSession | null>(null);
  const sessions = status.sessions;
  const full = sessions.length >= MAX_SESSIONS;

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {t('whatsapp.sessions.max', { max: MAX_SESSIONS })}
        </Text>
        <Button onClick={() => setEditing('new')} disabled={full}>
          {t('whatsapp.sessions.add')}
        </Button>
      </Group>
      {sessions.length === 0 && (
        <Alert variant="light" color="yellow" data-testid="wa-sessions-empty">
          {t('whatsapp.sessions.empty')}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {sessions.map((s) => (
          <Card key={s.id} withBorder data-testid="wa-session-card" data-name={s.name} aria-label={s.name} component="section">
            <Stack gap="sm">
              <Group justify="space-between" wrap="nowrap">
                <Stack gap={0}>
                  <Text fw={600}>{s.name}</Text>
                  <Text size="sm" c="dimmed">
                    {isProvider(s.provider) ? t(`whatsapp.sessions.providers.${s.provider}`) : s.provider}
                  </Text>
                </Stack>
                <Group gap="xs">
                  <Badge variant="outline" color={s.role === 'primary' ? 'blue' : 'gray'}>
                    {s.role === 'primary' ? t('whatsapp.sessions.role_primary') : t('whatsapp.sessions.role_backup')}
                  </Badge>
                  {!s.enabled && (
                    <Badge variant="light" color="gray">
                      {t('whatsapp.sessions.disabled')}
                    </Badge>
                  )}
                  <SessionStatusBadge status={s.status} />
                </Group>
              </Group>
              {s.role_change && s.role_changed_at && (
                <Text size="sm" c={s.role_change === 'promoted' ? 'blue' : 'dimmed'} data-testid="wa-session-role-change">
                  {t(s.role_change === 'promoted' ? 'whatsapp.sessions.promoted' : 'whatsapp.sessions.demoted', {
                    peer: s.role_change_peer ?? '',
                    when: formatDateTime(s.role_changed_at),
                  })}
                </Text>
              )}
              {s.last_error && (
                <Alert color="red" variant="light" title={t('whatsapp.sessions.last_error')} data-testid="wa-session-error">
                  <Text size="sm" style={{ wordBreak: 'break-word' }}>
                    {s.last_error}
                  </Text>
                </Alert>
              )}
              <FieldRow>
                <Field label={t('whatsapp.sessions.sent_today')} testId="wa-session-sent-today">
                  {s.sent_today}
                </Field>
                <Field label={t('whatsapp.sessions.queued')}>{s.queued}</Field>
                <Field label={t('whatsapp.sessions.per_minute')}>{s.per_minute}</Field>
                <Field label={t('whatsapp.sessions.base_url')}>
                  <Text size="sm" style={{ wordBreak: 'break-all' }}>
                    {s.base_url}
                  </Text>
                </Field>
              </FieldRow>
              <Group gap="xs">
                {isProvider(s.provider) && PROVIDER_SPECS[s.provider].scan && (
                  <Button size="xs" variant="light" onClick={() => setScanning(s)} aria-label={`${t('whatsapp.sessions.scan')} ${s.name}`}>
                    {t('whatsapp.sessions.scan')}
                  </Button>
                )}
                <Button size="xs" variant="default" onClick={() => setEditing(s)} aria-label={`${t('common.edit')} ${s.name}`}>
                  {t('common.edit')}
                </Button>
                <ConfirmButton
                  size="xs"
                  variant="light"
                  color="red"
                  label={t('common.delete')}
                  aria-label={`${t('common.delete')} ${s.name}`}
                  title={t('whatsapp.sessions.delete_title')}
                  message={t('whatsapp.sessions.delete_confirm', { name: s.name })}
                  confirmLabel={t('common.delete')}
                  onConfirm={async () => {
                    await unwrap(api.DELETE('/api/whatsapp/sessions/{id}', { params: { path: { id: s.id } } }));
                    onChanged();
                  }}
                />
              </Group>
            </Stack>
          </Card>
        ))}
      </SimpleGrid>
      <SessionFormModal
        opened={editing !== null}
        session={editing === 'new' || editing === null ? undefined : editing}
        count={sessions.length}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          onChanged();
        }}
      />
      <ScanModal session={scanning} onClose={() => setScanning(null)} />
    </Stack>
  );
}
