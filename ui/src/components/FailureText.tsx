import { Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { pickWords } from '../lib/failure';
import type { Words } from '../lib/failure';

export interface FailureView {
  code: string;
  category: string;
  what: Words;
  todo: Words;
  detail: string;
}

/** A classified failure in plain words: what failed, what to do, and (small) the technical cause. */
export function FailureText({ failure, testId }: { failure: FailureView; testId?: string }) {
  const { t, i18n } = useTranslation();
  return (
    <Stack gap={2} data-testid={testId} data-code={failure.code} data-category={failure.category}>
      <Text size="sm" c="red" fw={500}>
        {pickWords(failure.what, i18n.language)}
      </Text>
      <Text size="sm">{pickWords(failure.todo, i18n.language)}</Text>
      {failure.detail && (
        <Text size="xs" c="dimmed" style={{ wordBreak: 'break-word' }}>
          {t('failure.detail')}: {failure.detail}
        </Text>
      )}
    </Stack>
  );
}
