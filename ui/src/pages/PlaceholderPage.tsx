import { Alert, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AreaKey } from '../layout/areas';

/** An area that has no content in this version yet: says so, shows no fake data. */
export function PlaceholderPage({ area }: { area: AreaKey }) {
  const { t } = useTranslation();
  return (
    <Stack gap="md" maw={720}>
      <Title order={2}>{t(`nav.${area}`)}</Title>
      <Alert variant="light" color="gray" title={t('common.not_available')}>
        {t('placeholder.text')}
      </Alert>
    </Stack>
  );
}
