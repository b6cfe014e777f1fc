import { Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../auth/AuthContext';
import { PageHeader } from '../../components/PageHeader';
import { can } from '../../layout/areas';
import { ShopOrders } from './ShopOrders';
import { ShopSettingsCard } from './ShopSettingsCard';

/**
 * Toko online: the shop's settings (open or closed, its router, the alert time, its address and
 * what keeps it from selling) and its orders, with "Kirim sekarang" for paid orders whose
 * voucher the router has not made yet.
 */
export function ShopPage() {
  const { t } = useTranslation();
  const { user } = useAuth();
  return (
    <Stack gap="md">
      <PageHeader title={t('vouchers.shop.title')} />
      <Text size="sm" c="dimmed">
        {t('vouchers.shop.intro')}
      </Text>
      {can(user, 'settings_read') && <ShopSettingsCard canWrite={can(user, 'settings_write')} />}
      <ShopOrders canDeliver={can(user, 'vouchers_sell')} canReview={can(user, 'payments_record')} />
    </Stack>
  );
}
