import { Anchor, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Subscription } from '../../api/types';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDate } from '../../lib/dates';
import { formatRupiah } from '../../lib/money';

/** Subscriptions as a table (list page and customer detail). */
export function SubscriptionTable({ items, showCustomer = true }: { items: Subscription[]; showCustomer?: boolean }) {
  const { t } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={820}>
      <Table striped highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('subscriptions.login')}</Table.Th>
            {showCustomer && <Table.Th>{t('subscriptions.customer')}</Table.Th>}
            <Table.Th>
              {t('subscriptions.plan')} · {t('plans.price')}
            </Table.Th>
            <Table.Th>
              {t('subscriptions.billing_day')} · {t('subscriptions.start_on')}
            </Table.Th>
            <Table.Th>{t('common.status')}</Table.Th>
            <Table.Th>{t('subscriptions.on_router')}</Table.Th>
            <Table.Th ta="right">{t('subscriptions.owed')}</Table.Th>
            <Table.Th ta="right">{t('balance.balance')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={showCustomer ? 8 : 7}>{t('common.empty')}</Table.Td>
            </Table.Tr>
          )}
          {items.map((s) => (
            <Table.Tr key={s.id}>
              <Table.Td>
                <Anchor component={Link} to={`/subscriptions/${s.id}`}>
                  {s.login}
                </Anchor>
              </Table.Td>
              {showCustomer && (
                <Table.Td>
                  <Anchor component={Link} to={`/customers/${s.customer_id}`}>
                    {s.customer_name}
                  </Anchor>
                </Table.Td>
              )}
              <Table.Td>
                <Text size="sm">{s.plan_name}</Text>
                <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                  {formatRupiah(s.price)}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{s.billing_day}</Text>
                <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                  {formatDate(s.start_on)}
                </Text>
              </Table.Td>
              <Table.Td>
                <StatusBadge kind="subscription" status={s.status} />
              </Table.Td>
              <Table.Td>
                <StatusBadge kind="provisioning" status={s.provisioning.state} testId={`provisioning-${s.login}`} />
              </Table.Td>
              <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }} data-testid={`subscription-owed-${s.login}`}>
                <Text span size="sm" c={s.owed > 0 ? 'red.8' : undefined} fw={s.owed > 0 ? 600 : undefined}>
                  {formatRupiah(s.owed)}
                </Text>
              </Table.Td>
              <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>{formatRupiah(s.balance)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
