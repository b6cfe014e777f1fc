import { Alert, Button, Group, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { asApiError, unwrap } from '../../api/errors';
import type { ApiError } from '../../api/errors';
import type { WaSettings } from '../../api/types';
import { FormError } from '../../components/FormError';
import { LoadState } from '../../components/LoadState';
import { fieldError } from '../../lib/fieldError';
import { useApi } from '../../lib/useApi';

/** "3, 1" → [3, 1]; null when a part is not a whole number 0–60. */
export function parseReminderDays(text: string): number[] | null {
  const parts = text.split(/[,\s;]+/).filter(Boolean);
  const days = parts.map(Number);
  if (days.some((d) => !Number.isInteger(d) || d < 0 || d > 60)) return null;
  return [...new Set(days)].sort((a, b) => b - a);
}

/** "Pengaturan": quiet hours, reminder days and the owner's number for alerts. */
export function WaSettingsTab() {
  const settings = useApi(() => unwrap(api.GET('/api/whatsapp/settings')), []);
  return <LoadState state={settings}>{(data) => <SettingsForm initial={data} />}</LoadState>;
}

function SettingsForm({ initial }: { initial: WaSettings }) {
  const { t } = useTranslation();
  const [quietStart, setQuietStart] = useState('');
  const [quietEnd, setQuietEnd] = useState('');
  const [days, setDays] = useState('');
  const [owner, setOwner] = useState('');
  const [daysError, setDaysError] = useState<string | undefined>();
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  const fill = (s: WaSettings) => {
    setQuietStart(hhmm(s.quiet_start));
    setQuietEnd(hhmm(s.quiet_end));
    setDays(s.reminder_days.join(', '));
    setOwner(s.owner_phone ?? '');
  };
  useEffect(() => fill(initial), [initial]);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    setError(null);
    const reminder = parseReminderDays(days);
    setDaysError(reminder ? undefined : t('whatsapp.settings.reminder_invalid'));
    if (!reminder) return;
    setBusy(true);
    try {
      const result = await unwrap(
        api.PUT('/api/whatsapp/settings', {
          body: {
            quiet_start: quietStart || null,
            quiet_end: quietEnd || null,
            reminder_days: reminder,
            owner_phone: owner.trim() || null,
          },
        }),
      );
      fill(result);
      setSaved(true);
      notifications.show({ color: 'green', message: t('whatsapp.settings.saved') });
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  const err = (field: string) => fieldError(error, field);

  return (
    <form onSubmit={(e) => void onSubmit(e)} noValidate>
      <Stack gap="md" maw={640}>
        <Stack gap={4}>
          <Text fw={500}>{t('whatsapp.settings.quiet')}</Text>
          <Text size="sm" c="dimmed">
            {t('whatsapp.settings.quiet_hint')}
          </Text>
        </Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            type="time"
            label={t('whatsapp.settings.quiet_start')}
            value={quietStart}
            onChange={(e) => setQuietStart(e.currentTarget.value)}
            error={err('quiet_start')}
          />
          <TextInput
            type="time"
            label={t('whatsapp.settings.quiet_end')}
            value={quietEnd}
            onChange={(e) => setQuietEnd(e.currentTarget.value)}
            error={err('quiet_end')}
          />
        </SimpleGrid>
        <TextInput
          label={t('whatsapp.settings.reminder_days')}
          description={t('whatsapp.settings.reminder_hint')}
          value={days}
          onChange={(e) => setDays(e.currentTarget.value)}
          error={daysError ?? err('reminder_days')}
        />
        <TextInput
          label={t('whatsapp.settings.owner_phone')}
          description={t('whatsapp.settings.owner_hint')}
          inputMode="tel"
          value={owner}
          onChange={(e) => setOwner(e.currentTarget.value)}
          error={err('owner_phone')}
        />
        {!error?.field && <FormError error={error} />}
        {saved && (
          <Alert color="green" variant="light" data-testid="wa-settings-saved">
            {t('whatsapp.settings.saved')}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={busy}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The server may answer "22:00:00"; the time input wants "22:00". */
function hhmm(value: string | null | undefined): string {
  return value ? value.slice(0, 5) : '';
}
