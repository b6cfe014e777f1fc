import { Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { BusinessProfileForm } from './BusinessProfileForm';

/** Pengaturan: for now the business profile used on invoices and receipts. */
export function SettingsPage() {
  const { t } = useTranslation();
  return (
    <Stack gap="md" maw={820}>
      <PageHeader title={t('nav.settings')} />
      <BusinessProfileForm />
    </Stack>
  );
}
