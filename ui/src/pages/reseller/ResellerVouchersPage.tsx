import { Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { resellerBatchesQuery } from '../../api/queries';
import { LoadState } from '../../components/LoadState';
import { PageHeader } from '../../components/PageHeader';
import { VoucherList } from '../vouchers/VoucherList';

/** The reseller's own vouchers: which are still in stock, which are in use or used up. */
export function ResellerVouchersPage() {
  const { t } = useTranslation();
  const batches = useQuery(resellerBatchesQuery());
  return (
    <Stack gap="md">
      <PageHeader title={t('nav.reseller_vouchers')} />
      <LoadState state={batches}>{(data) => <VoucherList view="reseller" batches={data.items} />}</LoadState>
    </Stack>
  );
}
