import { Button, Card, Group, NumberInput, SimpleGrid, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { BackupSettings } from '../../api/types';
import { FormError } from '../../components/FormError';
import { LoadState } from '../../components/LoadState';
import { formatBytes } from '../../lib/backups';
import { formatDateTime } from '../../lib/dates';
import { useServerError } from '../../lib/formErrors';
import { keys } from '../../lib/queryKeys';

/** "Pengaturan cadangan": folder, second folder, how many are kept, daily time. */
export function BackupSettingsCard() {
  const { t } = useTranslation();
  const settings = useQuery({ queryKey: keys.backups.settings(), queryFn: () => unwrap(api.GET('/api/backups/settings')) });
  return (
    <Card withBorder padding="lg" radius="md" component="section" aria-labelledby="backup-settings-title">
      <Title order={3} size="h4" id="backup-settings-title" mb="sm">
        {t('backups.settings.title')}
      </Title>
      <LoadState state={settings}>{(data) => <SettingsForm initial={data} />}</LoadState>
    </Card>
  );
}

const valuesOf = (s: BackupSettings) => ({
  folder: s.folder_is_default ? '' : s.folder,
  copy_folder: s.copy_folder ?? '',
  keep: s.keep as number | string,
  daily_time: s.daily_time,
  daily_enabled: s.daily_enabled,
});

function SettingsForm({ initial }: { initial: BackupSettings }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [current, setCurrent] = useState(initial);
  const form = useForm({ initialValues: valuesOf(initial) });
  const serverError = useServerError(form);
  const fill = (s: BackupSettings) => {
    setCurrent(s);
    form.setValues(valuesOf(s));
  };
  useEffect(() => fill(initial), [initial]);
  const save = useMutation({
    mutationFn: (v: ReturnType<typeof valuesOf>) =>
      unwrap(
        api.PUT('/api/backups/settings', {
          body: {
            folder: v.folder.trim() || null,
            copy_folder: v.copy_folder.trim() || null,
            keep: Number(v.keep),
            daily_time: v.daily_time,
            daily_enabled: v.daily_enabled,
          },
        }),
      ),
    onSuccess: (saved) => {
      fill(saved);
      queryClient.setQueryData(keys.backups.settings(), saved);
      notifications.show({ color: 'green', message: t('backups.settings.saved') });
    },
  });
  const error = serverError.error;
  return (
    <form onSubmit={serverError.onSubmit((values) => save.mutateAsync(values))} noValidate>
      <Stack gap="md" maw={720}>
        <TextInput
          label={t('backups.settings.folder')}
          description={t('backups.settings.folder_hint', { folder: current.default_folder })}
          placeholder={current.default_folder}
          {...form.getInputProps('folder')}
        />
        <TextInput
          label={t('backups.settings.copy_folder')}
          description={t('backups.settings.copy_hint')}
          {...form.getInputProps('copy_folder')}
        />
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <NumberInput
            label={t('backups.settings.keep')}
            description={t('backups.settings.keep_hint')}
            min={1}
            max={365}
            {...form.getInputProps('keep')}
          />
          <TextInput
            type="time"
            label={t('backups.settings.daily_time')}
            {...form.getInputProps('daily_time')}
          />
          <Switch
            mt="xl"
            label={t('backups.settings.daily_enabled')}
            {...form.getInputProps('daily_enabled', { type: 'checkbox' })}
          />
        </SimpleGrid>
        <Text size="sm" c="dimmed" data-testid="backup-next-run">
          {current.daily_enabled
            ? t('backups.settings.next_run', { at: formatDateTime(current.next_run_at) })
            : t('backups.settings.daily_off')}
          {current.free_bytes != null && ` · ${t('backups.settings.free', { size: formatBytes(current.free_bytes) })}`}
        </Text>
        {!error?.field && <FormError error={error} />}
        <Group>
          <Button type="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
