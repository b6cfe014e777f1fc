import { Stack, Tabs } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { isDesktop } from '../../lib/desktop';
import { BusinessProfileForm } from './BusinessProfileForm';
import { DesktopSection } from './DesktopSection';
import { GatewaySettingsSection } from './GatewaySettingsSection';
import { PublicUrlSection } from './PublicUrlSection';

const TABS = ['business', 'online', 'public', 'desktop'] as const;
type Tab = (typeof TABS)[number];

/** Pengaturan: business profile, online payment gateways, the public address and, in the desktop
 * window, the desktop section (`?tab=`). */
export function SettingsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const requested = params.get('tab');
  const tab: Tab = (TABS as readonly string[]).includes(requested ?? '') ? (requested as Tab) : 'business';
  return (
    <Stack gap="md" maw={820}>
      <PageHeader title={t('nav.settings')} />
      <Tabs value={tab} onChange={(v) => setParams(v && v !== 'business' ? { tab: v } : {}, { replace: true })} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="business">{t('settings.tab_business')}</Tabs.Tab>
          <Tabs.Tab value="online">{t('settings.tab_online')}</Tabs.Tab>
          <Tabs.Tab value="public">{t('settings.tab_public')}</Tabs.Tab>
          {isDesktop() && <Tabs.Tab value="desktop">{t('settings.tab_desktop')}</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="business">
          <BusinessProfileForm />
        </Tabs.Panel>
        <Tabs.Panel value="online">
          <GatewaySettingsSection />
        </Tabs.Panel>
        <Tabs.Panel value="public">
          <PublicUrlSection />
        </Tabs.Panel>
        {isDesktop() && (
          <Tabs.Panel value="desktop">
            <DesktopSection />
          </Tabs.Panel>
        )}
      </Tabs>
    </Stack>
  );
}
