import { Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { BalanceView, Subscription } from '../../api/types';
import { LoadState } from '../../components/LoadState';
import { formatDateTime } from '../../lib/dates';
import { formatRupiah, formatSignedRupiah } from '../../lib/money';
import { keys } from '../../lib/queryKeys';
import { BalanceAdjustForm } from './BalanceAdjustForm';

interface Props {
  customerId: string;
  subscriptions: Subscription[];
}

/** Balance card (wallets, total credit), balance history, and the adjustment form. */
export function CustomerBalance({ customerId, subscriptions }: Props) {
  const balance = useQuery({
    queryKey: keys.customers.balance(customerId),
    queryFn: () => unwrap(api.GET('/api/customers/{id}/balance', { params: { path: { id: customerId } } })),
  });
  return (
    <LoadState state={balance}>
      {(b) => (
        <Stack gap="lg">
          <BalanceCard view={b} />
          <LedgerTable view={b} />
          <BalanceAdjustForm customerId={customerId} subscriptions={subscriptions} />
        </Stack>
      )}
    </LoadState>
  );
}

function BalanceCard({ view }: { view: BalanceView }) {
  const { t } = useTranslation();
  return (
    <Card withBorder data-testid="balance-card">
      <Title order={3} size="h4" mb="sm">
        {t('balance.title')}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Stack gap={0}>
          <Text size="xs" c="dimmed">
            {t('balance.customer_wallet')}
          </Text>
          <Text fw={600}>{formatRupiah(view.customer_balance)}</Text>
        </Stack>
        <Stack gap={0}>
          <Text size="xs" c="dimmed">
            {t('balance.subscription_wallets')}
          </Text>
          {view.subscription_balances.length === 0 && <Text>—</Text>}
          {view.subscription_balances.map((s) => (
            <Group key={s.subscription_id} gap="xs">
              <Text size="sm">{s.login}:</Text>
              <Text size="sm" fw={600}>
                {formatRupiah(s.balance)}
              </Text>
            </Group>
          ))}
        </Stack>
        <Stack gap={0}>
          <Text size="xs" c="dimmed">
            {t('balance.total_credit')}
          </Text>
          <Text fw={700} size="lg" data-testid="total-credit">
            {formatRupiah(view.total_credit)}
          </Text>
        </Stack>
      </SimpleGrid>
    </Card>
  );
}

function LedgerTable({ view }: { view: BalanceView }) {
  const { t } = useTranslation();
  const logins = new Map(view.subscription_balances.map((s) => [s.subscription_id, s.login]));
  return (
    <Stack gap="xs">
      <Title order={3} size="h4">
        {t('balance.history')}
      </Title>
      <Table.ScrollContainer minWidth={720}>
        <Table striped aria-label={t('balance.history')} data-testid="ledger-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('balance.when')}</Table.Th>
              <Table.Th>{t('balance.account')}</Table.Th>
              <Table.Th>{t('balance.reason')}</Table.Th>
              <Table.Th ta="right">{t('balance.amount')}</Table.Th>
              <Table.Th ta="right">{t('balance.balance_after')}</Table.Th>
              <Table.Th>{t('balance.memo')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {view.entries.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={6}>{t('common.empty')}</Table.Td>
              </Table.Tr>
            )}
            {view.entries.map((e) => (
              <Table.Tr key={e.id}>
                <Table.Td>{formatDateTime(e.created_at)}</Table.Td>
                <Table.Td>
                  {e.account === 'customer'
                    ? t('balance.customer_wallet')
                    : (logins.get(e.subscription_id ?? '') ?? t('balance.subscription_wallet'))}
                </Table.Td>
                <Table.Td>{t(`ledger.${e.reason}`, { defaultValue: e.reason })}</Table.Td>
                <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }} c={e.delta < 0 ? 'red' : e.delta > 0 ? 'green' : undefined}>
                  {formatSignedRupiah(e.delta)}
                </Table.Td>
                <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>{formatRupiah(e.balance_after)}</Table.Td>
                <Table.Td>{e.memo || '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
