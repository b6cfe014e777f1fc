import { Alert, Anchor, Card, Group, List, Stack, Text, Title } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Health } from '../../api/types';
import { tDynamic } from '../../lib/tDynamic';
import { HealthBadge, healthName, healthText } from './HealthParts';

type Problem = Health['problems'][number];

/** What to do about a problem, in the UI language (else the server's English). */
export function healthFix(t: TFunction, problem: Pick<Problem, 'code' | 'fix'>): string {
  return tDynamic(t, `health.fix.${problem.code}`, { defaultValue: problem.fix });
}

/**
 * The top of the health page: one sentence that agrees with the headline badge (both come from
 * the server's `problems`), then every problem, worst first, with what to do and a link to where.
 */
export function HealthProblems({ health }: { health: Health }) {
  const { t } = useTranslation();
  const problems = health.problems;
  if (problems.length === 0) {
    return (
      <Alert color="green" variant="light" data-testid="health-problems" data-count={0} title={t('health.problems.none_title')}>
        {t('health.problems.none')}
      </Alert>
    );
  }
  return (
    <Card
      withBorder
      padding="md"
      radius="md"
      component="section"
      aria-labelledby="health-problems-title"
      data-testid="health-problems"
      data-count={problems.length}
      style={{ borderColor: `var(--mantine-color-${health.status === 'down' ? 'red' : 'yellow'}-5)` }}
    >
      <Title order={3} size="h5" mb="xs" id="health-problems-title">
        {t('health.problems.title', { count: problems.length })}
      </Title>
      <List spacing="sm" listStyleType="none" pl={0}>
        {problems.map((p) => (
          <List.Item key={`${p.kind}-${p.id ?? p.name}`} data-testid={`health-problem-${p.kind}`} data-code={p.code}>
            <Stack gap={2}>
              <Group gap="xs" wrap="nowrap" align="flex-start">
                <HealthBadge status={p.status} />
                <Text size="sm" fw={600}>
                  {tDynamic(t, `health.kinds.${p.kind}`, { defaultValue: p.kind })}: {healthName(t, p)}
                </Text>
              </Group>
              <Text size="sm">{healthText(t, p)}</Text>
              <Text size="sm" c="dimmed">
                <Text span fw={500} c="var(--mantine-color-text)">
                  {t('health.problems.what_to_do')}
                </Text>{' '}
                {healthFix(t, p)}{' '}
                {p.link && (
                  <Anchor component={Link} to={p.link} size="sm" data-testid="health-problem-link">
                    {t('health.problems.open')}
                  </Anchor>
                )}
              </Text>
            </Stack>
          </List.Item>
        ))}
      </List>
    </Card>
  );
}
