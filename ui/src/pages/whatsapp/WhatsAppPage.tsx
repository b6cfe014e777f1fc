import { Alert, Button, Stack, Tabs } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { LoadState } from '../../components/LoadState';
import { PageHeader } from '../../components/PageHeader';
import { useInvalidate } from '../../lib/queryClient';
import { keys } from '../../lib/queryKeys';
import { QueueTab } from './QueueTab';
import { SendMessageModal } from './SendMessageModal';
import { SessionsTab } from './SessionsTab';
import { TemplatesTab } from './TemplatesTab';
import { WaSettingsTab } from './WaSettingsTab';

const TABS = ['sessions', 'queue', 'templates', 'settings'] as const;
type Tab = (typeof TABS)[number];

/** WhatsApp: sender sessions, the queue and its log, templates and settings (`?tab=`). */
export function WhatsAppPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const requested = params.get('tab');
  const tab: Tab = (TABS as readonly string[]).includes(requested ?? '') ? (requested as Tab) : 'sessions';
  const invalidate = useInvalidate();
  const status = useQuery({ queryKey: keys.whatsapp.status(), queryFn: () => unwrap(api.GET('/api/whatsapp/status')) });
  const [sending, setSending] = useState(false);
  // Bumped after a message is queued: the queue tab starts again (all statuses, fresh log).
  const [logTick, setLogTick] = useState(0);

  return (
    <Stack gap="md">
      <PageHeader
        title={t('nav.whatsapp')}
        actions={<Button onClick={() => setSending(true)}>{t('whatsapp.send.open')}</Button>}
      />
      <Alert variant="light" color="blue">
        {t('whatsapp.intro')}
      </Alert>
      <Tabs
        value={tab}
        onChange={(v) => setParams(v && v !== 'sessions' ? { tab: v } : {}, { replace: true })}
        keepMounted={false}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="sessions">{t('whatsapp.tab_sessions')}</Tabs.Tab>
          <Tabs.Tab value="queue">{t('whatsapp.tab_queue')}</Tabs.Tab>
          <Tabs.Tab value="templates">{t('whatsapp.tab_templates')}</Tabs.Tab>
          <Tabs.Tab value="settings">{t('whatsapp.tab_settings')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="sessions">
          <LoadState state={status}>{(data) => <SessionsTab status={data} />}</LoadState>
        </Tabs.Panel>
        <Tabs.Panel value="queue">
          <LoadState state={status}>{(data) => <QueueTab key={logTick} status={data} />}</LoadState>
        </Tabs.Panel>
        <Tabs.Panel value="templates">
          <TemplatesTab />
        </Tabs.Panel>
        <Tabs.Panel value="settings">
          <WaSettingsTab />
        </Tabs.Panel>
      </Tabs>
      <SendMessageModal
        opened={sending}
        onClose={() => setSending(false)}
        onQueued={() => {
          setSending(false);
          void invalidate(keys.whatsapp.status(), keys.whatsapp.messagesAll());
          setLogTick((n) => n + 1);
          setParams({ tab: 'queue' }, { replace: true });
        }}
      />
    </Stack>
  );
}
