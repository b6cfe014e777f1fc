import { Alert, Button, Card, Code, Group, Stack, Switch, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { desktop } from '../../lib/desktop';
import type { DesktopInfo, DesktopPrefs } from '../../lib/desktop';

/** Settings → Desktop (only in the desktop window): data and log folders, tray and autostart. */
export function DesktopSection() {
  const { t } = useTranslation();
  const [info, setInfo] = useState<DesktopInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    desktop.info().then(setInfo, (e: Error) => setError(e.message));
  }, []);

  const change = async (prefs: DesktopPrefs) => {
    setBusy(true);
    setError(null);
    try {
      const saved = await desktop.setPrefs(prefs);
      setInfo((i) => (i ? { ...i, prefs: saved } : i));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const open = (folder: 'data' | 'logs') => {
    setError(null);
    desktop.openFolder(folder).catch((e: Error) => setError(e.message));
  };

  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={3} size="h4">
          {t('desktop.title')}
        </Title>
        {error && (
          <Alert color="red" variant="light" role="alert">
            {error}
          </Alert>
        )}
        {info && (
          <>
            <Folder label={t('desktop.data_dir')} path={info.data_dir} onOpen={() => open('data')} />
            <Folder label={t('desktop.logs_dir')} path={info.logs_dir} onOpen={() => open('logs')} />
            <Switch
              label={t('desktop.close_to_tray')}
              description={t('desktop.close_to_tray_hint')}
              checked={info.prefs.close_to_tray}
              disabled={busy}
              onChange={(e) => void change({ ...info.prefs, close_to_tray: e.currentTarget.checked })}
            />
            <Switch
              label={t('desktop.autostart')}
              description={t('desktop.autostart_hint')}
              checked={info.prefs.autostart}
              disabled={busy}
              onChange={(e) => void change({ ...info.prefs, autostart: e.currentTarget.checked })}
            />
          </>
        )}
      </Stack>
    </Card>
  );
}

function Folder({ label, path, onOpen }: { label: string; path: string; onOpen: () => void }) {
  const { t } = useTranslation();
  return (
    <Group justify="space-between" wrap="nowrap" align="flex-end">
      <Stack gap={2} style={{ minWidth: 0 }}>
        <Text size="sm" fw={500}>
          {label}
        </Text>
        <Code style={{ wordBreak: 'break-all' }}>{path}</Code>
      </Stack>
      <Button variant="default" size="xs" onClick={onOpen}>
        {t('desktop.open_folder')}
      </Button>
    </Group>
  );
}
