import { Card, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../auth/AuthContext';
import { HealthCard } from './HealthCard';

const SUMMARY_CARDS = ['customers', 'unpaid', 'revenue', 'routers'] as const;

/** Home: the live health card plus honest placeholders for figures this version cannot show. */
export function DashboardPage() {
  const { t } = useTranslation();
  const { user } = useAuth();
  return (
    <Stack gap="lg">
      <div>
        <Title order={2}>{t('dashboard.title')}</Title>
        {user && <Text c="dimmed">{t('dashboard.welcome', { name: user.username })}</Text>}
      </div>
      <HealthCard />
      <Title order={3} size="h4">
        {t('dashboard.summary')}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
        {SUMMARY_CARDS.map((card) => (
          <Card key={card} withBorder padding="md" radius="md">
            <Text fw={600}>{t(`dashboard.cards.${card}`)}</Text>
            <Text c="dimmed" size="sm" mt="xs">
              {t('common.not_available')}
            </Text>
            <Text c="dimmed" size="xs">
              {t('common.not_available_detail')}
            </Text>
          </Card>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
