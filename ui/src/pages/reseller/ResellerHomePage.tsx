import { Alert, Card, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { resellerBatchesQuery } from '../../api/queries';
import { LoadState } from '../../components/LoadState';
import { PageHeader } from '../../components/PageHeader';
import { formatRupiah } from '../../lib/money';
import { keys } from '../../lib/queryKeys';
import { formatCommission } from '../../lib/voucherFormat';
import { BatchTable } from '../vouchers/BatchTable';

/** A reseller's home: deposit left, vouchers in stock, their share, and their batches to print. */
export function ResellerHomePage() {
  const { t } = useTranslation();
  const me = useQuery({ queryKey: keys.reseller.me(), queryFn: () => unwrap(api.GET('/api/reseller/me')) });
  const batches = useQuery(resellerBatchesQuery());

  return (
    <Stack gap="md">
      <LoadState state={me}>
        {(data) => (
          <>
            <PageHeader title={t('reseller.home.title', { name: data.name })} />
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <Card withBorder padding="md">
                <Text size="sm" c="dimmed">
                  {t('reseller.home.balance')}
                </Text>
                <Text fw={700} fz="xl" data-testid="reseller-balance">
                  {formatRupiah(data.balance)}
                </Text>
              </Card>
              <Card withBorder padding="md">
                <Text size="sm" c="dimmed">
                  {t('reseller.home.stock')}
                </Text>
                <Text fw={700} fz="xl" data-testid="reseller-stock">
                  {t('reseller.home.stock_count', { count: data.stock })}
                </Text>
              </Card>
              <Card withBorder padding="md">
                <Text size="sm" c="dimmed">
                  {t('reseller.home.commission')}
                </Text>
                <Text fw={700} fz="xl">
                  {formatCommission(data.commission_bp)}
                </Text>
              </Card>
            </SimpleGrid>
            {!data.active && (
              <Alert color="orange" variant="light">
                {t('reseller.home.inactive')}
              </Alert>
            )}
          </>
        )}
      </LoadState>
      <Alert variant="light" color="blue">
        {t('reseller.home.intro')}
      </Alert>
      <Title order={3}>{t('reseller.home.batches')}</Title>
      <LoadState state={batches}>{(data) => <BatchTable batches={data.items} view="reseller" />}</LoadState>
    </Stack>
  );
}
