import { Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { SalesReportView } from './SalesReportView';

/** Penjualan voucher: what the shop and its resellers sold. */
export function SalesPage() {
  const { t } = useTranslation();
  return (
    <Stack gap="md">
      <PageHeader title={t('vouchers.sales.title')} />
      <SalesReportView view="staff" />
    </Stack>
  );
}
