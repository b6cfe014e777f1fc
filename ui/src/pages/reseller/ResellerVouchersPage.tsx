import { Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { LoadState } from '../../components/LoadState';
import { PageHeader } from '../../components/PageHeader';
import { useApi } from '../../lib/useApi';
import { VoucherList } from '../vouchers/VoucherList';

/** The reseller's own vouchers: which are still in stock, which are in use or used up. */
export function ResellerVouchersPage() {
  const { t } = useTranslation();
  const batches = useApi(() => unwrap(api.GET('/api/reseller/batches')), []);
  return (
    <Stack gap="md">
      <PageHeader title={t('nav.reseller_vouchers')} />
      <LoadState state={batches}>{(data) => <VoucherList view="reseller" batches={data.items} />}</LoadState>
    </Stack>
  );
}
