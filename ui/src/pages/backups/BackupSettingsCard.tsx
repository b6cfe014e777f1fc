import { Button, Card, Group, NumberInput, SimpleGrid, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { asApiError, unwrap } from '../../api/errors';
import type { ApiError } from '../../api/errors';
import type { BackupSettings } from '../../api/types';
import { FormError } from '../../components/FormError';
import { LoadState } from '../../components/LoadState';
import { formatBytes } from '../../lib/backups';
import { formatDateTime } from '../../lib/dates';
import { fieldError } from '../../lib/fieldError';
import { useApi } from '../../lib/useApi';

/** "Pengaturan cadangan": folder, second folder, how many are kept, daily time. */
export function BackupSettingsCard() {
  const { t } = useTranslation();
  const settings = useApi(() => unwrap(api.GET('/api/backups/settings')), []);
  return (
    <Card withBorder padding="lg" radius="md" component="section" aria-labelledby="backup-settings-title">
      <Title order={3} size="h4" id="backup-settings-title" mb="sm">
        {t('backups.settings.title')}
      </Title>
      <LoadState state={settings}>{(data) => <SettingsForm initial={data} />}</LoadState>
    </Card>
  );
}

function SettingsForm({ initial }: { initial: BackupSettings }) {
  const { t } = useTranslation();
  const [current, setCurrent] = useState(initial);
  const [folder, setFolder] = useState('');
  const [copy, setCopy] = useState('');
  const [keep, setKeep] = useState<number | string>(14);
  const [time, setTime] = useState('01:30');
  const [daily, setDaily] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const fill = (s: BackupSettings) => {
    setCurrent(s);
    setFolder(s.folder_is_default ? '' : s.folder);
    setCopy(s.copy_folder ?? '');
    setKeep(s.keep);
    setTime(s.daily_time);
    setDaily(s.daily_enabled);
  };
  useEffect(() => fill(initial), [initial]);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const saved = await unwrap(
        api.PUT('/api/backups/settings', {
          body: {
            folder: folder.trim() || null,
            copy_folder: copy.trim() || null,
            keep: Number(keep),
            daily_time: time,
            daily_enabled: daily,
          },
        }),
      );
      fill(saved);
      notifications.show({ color: 'green', message: t('backups.settings.saved') });
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  const err = (field: string) => fieldError(error, field);
  return (
    <form onSubmit={(e) => void onSubmit(e)} noValidate>
      <Stack gap="md" maw={720}>
        <TextInput
          label={t('backups.settings.folder')}
          description={t('backups.settings.folder_hint', { folder: current.default_folder })}
          placeholder={current.default_folder}
          value={folder}
          onChange={(e) => setFolder(e.currentTarget.value)}
          error={err('folder')}
        />
        <TextInput
          label={t('backups.settings.copy_folder')}
          description={t('backups.settings.copy_hint')}
          value={copy}
          onChange={(e) => setCopy(e.currentTarget.value)}
          error={err('copy_folder')}
        />
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <NumberInput
            label={t('backups.settings.keep')}
            description={t('backups.settings.keep_hint')}
            min={1}
            max={365}
            value={keep}
            onChange={setKeep}
            error={err('keep')}
          />
          <TextInput
            type="time"
            label={t('backups.settings.daily_time')}
            value={time}
            onChange={(e) => setTime(e.currentTarget.value)}
            error={err('daily_time')}
          />
          <Switch
            mt="xl"
            label={t('backups.settings.daily_enabled')}
            checked={daily}
            onChange={(e) => setDaily(e.currentTarget.checked)}
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
          <Button type="submit" loading={busy}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
