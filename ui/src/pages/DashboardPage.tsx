import { Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../auth/AuthContext';
import { HealthCard } from './HealthCard';
import { HomeFigures } from './HomeFigures';
import { PublicAddressWarning, SetupChecklist } from './SetupChecklist';
import { can } from '../layout/areas';

/** Home: what is left to set up (until done), the summary figures and the live health card. */
export function DashboardPage() {
  const { t } = useTranslation();
  const { user } = useAuth();
  return (
    <Stack gap="lg">
      <div>
        <Title order={2}>{t('dashboard.title')}</Title>
        {user && <Text c="dimmed">{t('dashboard.welcome', { name: user.username })}</Text>}
      </div>
      {can(user, 'settings_read') && <PublicAddressWarning />}
      {can(user, 'settings_read') && <SetupChecklist />}
      <Title order={3} size="h4">
        {t('dashboard.summary')}
      </Title>
      <HomeFigures />
      <HealthCard />
    </Stack>
  );
}
