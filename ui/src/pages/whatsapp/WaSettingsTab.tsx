import { Alert, Button, Group, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { WaSettings } from '../../api/types';
import { FormError } from '../../components/FormError';
import { LoadState } from '../../components/LoadState';
import { useServerError } from '../../lib/formErrors';
import { keys } from '../../lib/queryKeys';

/** "3, 1" → [3, 1]; null when a part is not a whole number 0–60. */
export function parseReminderDays(text: string): number[] | null {
  const parts = text.split(/[,\s;]+/).filter(Boolean);
  const days = parts.map(Number);
  if (days.some((d) => !Number.isInteger(d) || d < 0 || d > 60)) return null;
  return [...new Set(days)].sort((a, b) => b - a);
}

/** "Pengaturan": quiet hours, reminder days and the owner's number for alerts. */
export function WaSettingsTab() {
  const settings = useQuery({ queryKey: keys.whatsapp.settings(), queryFn: () => unwrap(api.GET('/api/whatsapp/settings')) });
  return <LoadState state={settings}>{(data) => <SettingsForm initial={data} />}</LoadState>;
}

const valuesOf = (s: WaSettings) => ({
  quiet_start: hhmm(s.quiet_start),
  quiet_end: hhmm(s.quiet_end),
  reminder_days: s.reminder_days.join(', '),
  owner_phone: s.owner_phone ?? '',
});

function SettingsForm({ initial }: { initial: WaSettings }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const form = useForm({
    initialValues: valuesOf(initial),
    validate: { reminder_days: (v) => (parseReminderDays(v) ? null : t('whatsapp.settings.reminder_invalid')) },
  });
  const serverError = useServerError(form);
  const save = useMutation({
    mutationFn: (v: ReturnType<typeof valuesOf>) =>
      unwrap(
        api.PUT('/api/whatsapp/settings', {
          body: {
            quiet_start: v.quiet_start || null,
            quiet_end: v.quiet_end || null,
            reminder_days: parseReminderDays(v.reminder_days) ?? [],
            owner_phone: v.owner_phone.trim() || null,
          },
        }),
      ),
    onSuccess: (result) => {
      form.setValues(valuesOf(result));
      queryClient.setQueryData(keys.whatsapp.settings(), result);
      notifications.show({ color: 'green', message: t('whatsapp.settings.saved') });
    },
  });
  useEffect(() => form.setValues(valuesOf(initial)), [initial]);
  const error = serverError.error;
  const submit = serverError.onSubmit((values) => save.mutateAsync(values));

  return (
    <form
      onSubmit={(event) => {
        save.reset();
        submit(event);
      }}
      noValidate
    >
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
            {...form.getInputProps('quiet_start')}
          />
          <TextInput
            type="time"
            label={t('whatsapp.settings.quiet_end')}
            {...form.getInputProps('quiet_end')}
          />
        </SimpleGrid>
        <TextInput
          label={t('whatsapp.settings.reminder_days')}
          description={t('whatsapp.settings.reminder_hint')}
          {...form.getInputProps('reminder_days')}
        />
        <TextInput
          label={t('whatsapp.settings.owner_phone')}
          description={t('whatsapp.settings.owner_hint')}
          inputMode="tel"
          {...form.getInputProps('owner_phone')}
        />
        {!error?.field && <FormError error={error} />}
        {save.isSuccess && (
          <Alert color="green" variant="light" data-testid="wa-settings-saved">
            {t('whatsapp.settings.saved')}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={save.isPending}>
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
