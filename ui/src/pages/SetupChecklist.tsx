import { Alert, Anchor, Badge, Card, Group, List, Progress, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import type { SetupChecklistItem as ChecklistItem } from '../api/types';
import { keys } from '../lib/queryKeys';
import { tDynamic } from '../lib/tDynamic';

/** The item's finding in the UI language (its state with its values), else the server's English. */
function itemText(t: TFunction, item: ChecklistItem): string {
  const params: Record<string, unknown> = { ...item.params };
  if (item.state === 'missing' && item.params.missing) {
    params.missing = item.params.missing
      .split(',')
      .map((field) => tDynamic(t, `checklist.fields.${field}`, { defaultValue: field }))
      .join(', ');
  }
  return tDynamic(t, `checklist.states.${item.key}.${item.state}`, {
    ...params,
    defaultValue: item.detail,
    interpolation: { escapeValue: false },
  });
}

/**
 * "Langkah persiapan" on the home screen: what the shop still has to set up (GET
 * /api/setup/checklist), each item linking to where it is done. Hidden once every item is done.
 */
export function SetupChecklist() {
  const { t } = useTranslation();
  const checklist = useQuery({
    queryKey: keys.dashboard.checklist(),
    queryFn: () => unwrap(api.GET('/api/setup/checklist')),
    staleTime: 0,
    refetchOnMount: 'always',
  });
  const data = checklist.data;
  if (!data || data.complete) return null;
  const total = data.items.length;
  return (
    <Card withBorder padding="lg" radius="md" component="section" aria-labelledby="checklist-title" data-testid="setup-checklist">
      <Group justify="space-between" mb={4}>
        <Title order={3} size="h4" id="checklist-title">
          {t('checklist.title')}
        </Title>
        <Badge variant="light" data-testid="setup-checklist-progress">
          {t('checklist.progress', { done: data.done, total })}
        </Badge>
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        {t('checklist.intro')}
      </Text>
      <Progress value={(data.done / total) * 100} size="sm" mb="md" aria-hidden />
      <List spacing="sm" listStyleType="none" pl={0}>
        {data.items.map((item) => (
          <List.Item key={item.key} data-testid={`checklist-${item.key}`} data-done={String(item.done)} data-state={item.state}>
            <Group gap="sm" wrap="nowrap" align="flex-start">
              <ThemeIcon
                size="sm"
                radius="xl"
                variant={item.done ? 'filled' : 'light'}
                color={item.done ? 'green' : 'gray'}
                aria-label={item.done ? t('checklist.done') : t('checklist.todo')}
                mt={2}
              >
                {item.done ? '✓' : '·'}
              </ThemeIcon>
              <Stack gap={0}>
                <Group gap="xs">
                  <Text fw={600} size="sm" td={item.done ? 'line-through' : undefined}>
                    {tDynamic(t, `checklist.items.${item.key}`)}
                  </Text>
                  {!item.done && (
                    <Anchor component={Link} to={item.link} size="sm" data-testid={`checklist-link-${item.key}`}>
                      {tDynamic(t, `checklist.actions.${item.key}`)}
                    </Anchor>
                  )}
                </Group>
                <Text size="sm" c="dimmed">
                  {itemText(t, item)}
                </Text>
              </Stack>
            </Group>
          </List.Item>
        ))}
      </List>
    </Card>
  );
}

/**
 * A warning on the home screen while pay links cannot open for customers: the public address
 * is not set, is this computer itself, or was not proven reachable (and the shop did not choose
 * the gateway's payment page instead). Read from the checklist's `public_address` item.
 */
export function PublicAddressWarning() {
  const { t } = useTranslation();
  const checklist = useQuery({
    queryKey: keys.dashboard.checklist(),
    queryFn: () => unwrap(api.GET('/api/setup/checklist')),
    staleTime: 0,
  });
  const item = checklist.data?.items.find((i) => i.key === 'public_address');
  if (!item || item.done || !['not_set', 'loopback', 'unchecked'].includes(item.state)) return null;
  return (
    <Alert color="red" variant="light" role="status" title={t('dashboard.public_address_warning.title')} data-testid="public-address-warning">
      <Stack gap={4}>
        <Text size="sm">{tDynamic(t, `dashboard.public_address_warning.${item.state}`, { url: item.params.url ?? '' })}</Text>
        <Anchor component={Link} to={item.link} size="sm">
          {t('dashboard.public_address_warning.fix')}
        </Anchor>
      </Stack>
    </Alert>
  );
}
