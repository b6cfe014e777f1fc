import { Alert, Card, SimpleGrid, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import type { DashboardSummary } from '../api/types';
import { formatRupiah } from '../lib/money';

/** Active customers, money still owed, this month's revenue and the routers, from the server. */
export function SummaryCards() {
  const { t } = useTranslation();
  const [summary, setSummary] = useState<DashboardSummary | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    unwrap(api.GET('/api/dashboard/summary'))
      .then(setSummary)
      .catch(() => setFailed(true));
  }, []);

  if (failed) {
    return <Alert color="red" variant="light">{t('dashboard.cards.load_error')}</Alert>;
  }
  const s = summary;
  const cards = [
    {
      key: 'customers' as const,
      value: s ? String(s.active_customers) : '…',
      detail: s ? t('dashboard.cards.customers_detail', { subscriptions: s.active_subscriptions, isolated: s.isolated_subscriptions }) : '',
    },
    {
      key: 'unpaid' as const,
      value: s ? formatRupiah(s.owed_total) : '…',
      detail: s ? t('dashboard.cards.unpaid_detail', { count: s.open_invoices, amount: formatRupiah(s.owed_total) }) : '',
    },
    {
      key: 'revenue' as const,
      value: s ? formatRupiah(s.revenue_this_month) : '…',
      detail: s ? t('dashboard.cards.revenue_detail', { count: s.payments_this_month }) : '',
    },
    {
      key: 'routers' as const,
      value: s ? (s.routers_total > 0 ? t('dashboard.cards.routers_value', { online: s.routers_online, total: s.routers_total }) : t('dashboard.cards.routers_none')) : '…',
      detail: s && s.whatsapp_queued > 0 ? t('dashboard.cards.whatsapp_queued', { count: s.whatsapp_queued }) : '',
    },
  ];
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
      {cards.map((card) => (
        <Card key={card.key} withBorder padding="md" radius="md" data-testid={`summary-${card.key}`}>
          <Text fw={600}>{t(`dashboard.cards.${card.key}`)}</Text>
          <Text size="xl" fw={700} mt="xs">
            {card.value}
          </Text>
          <Text c="dimmed" size="xs">
            {card.detail}
          </Text>
        </Card>
      ))}
    </SimpleGrid>
  );
}
