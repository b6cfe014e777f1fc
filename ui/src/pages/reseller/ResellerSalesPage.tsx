import { Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { SalesReportView } from '../vouchers/SalesReportView';

/** The reseller's own sales and the commission they kept. */
export function ResellerSalesPage() {
  const { t } = useTranslation();
  return (
    <Stack gap="md">
      <PageHeader title={t('nav.reseller_sales')} />
      <SalesReportView view="reseller" />
    </Stack>
  );
}
