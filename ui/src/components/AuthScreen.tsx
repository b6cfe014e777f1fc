import { Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitcher } from './LanguageSwitcher';

/** Centered card used by the first-run and login screens. */
export function AuthScreen({
  title,
  intro,
  children,
  width = 420,
}: {
  title: string;
  intro?: string;
  children: ReactNode;
  /** Card width in px (the first-run wizard needs more room than the login form). */
  width?: number;
}) {
  const { t } = useTranslation();
  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" radius="md" p="xl" w="100%" maw={width}>
        <Stack gap="md">
          <Group justify="space-between" wrap="nowrap">
            <Text fw={700} size="lg">
              {t('app.name')}
            </Text>
            <LanguageSwitcher />
          </Group>
          <Title order={1} size="h2">
            {title}
          </Title>
          {intro && <Text c="dimmed">{intro}</Text>}
          {children}
        </Stack>
      </Paper>
    </Center>
  );
}
