import { Alert, Anchor, Badge, Card, Group, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import type { DashboardHome } from '../api/types';
import { formatDateTime } from '../lib/dates';
import { formatRupiah } from '../lib/money';
import { LIVE } from '../lib/queryClient';
import { keys } from '../lib/queryKeys';

/** A figure that opens the list behind it. */
function Figure({ to, testId, children }: { to: string; testId: string; children: ReactNode }) {
  return (
    <Anchor component={Link} to={to} fw={700} size="xl" data-testid={testId} underline="hover">
      {children}
    </Anchor>
  );
}

function Tile({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  return (
    <Card withBorder padding="md" radius="md" data-testid={testId}>
      <Text fw={600} size="sm" c="dimmed">
        {title}
      </Text>
      <Stack gap={4} mt={6}>
        {children}
      </Stack>
    </Card>
  );
}

function paymentsLink(from: string, to: string, method?: string): string {
  const q = new URLSearchParams({ status: 'paid', paid_from: from, paid_to: to });
  if (method) q.set('method', method);
  return `/payments?${q.toString()}`;
}

function Income({ income, testId }: { income: DashboardHome['income_today']; testId: string }) {
  const { t } = useTranslation();
  return (
    <>
      <Figure to={paymentsLink(income.from, income.to)} testId={`${testId}-amount`}>
        {formatRupiah(income.amount)}
      </Figure>
      <Text size="xs" c="dimmed">
        {t('home.payments_count', { count: income.count })}
      </Text>
      {income.by_method.map((m) => (
        <Group key={m.method} justify="space-between" gap="xs" wrap="nowrap">
          <Anchor component={Link} to={paymentsLink(income.from, income.to, m.method)} size="sm" data-testid={`${testId}-method-${m.method}`}>
            {t(`home.method.${m.method}`, { defaultValue: m.method })}
          </Anchor>
          <Text size="sm" data-testid={`${testId}-method-${m.method}-amount`}>
            {formatRupiah(m.amount)}
          </Text>
        </Group>
      ))}
    </>
  );
}

/** "termasuk N online (Rp X)" under a voucher figure, when the online shop sold some of them. */
function OnlinePart({ sold, testId }: { sold: DashboardHome['vouchers_sold_today']; testId: string }) {
  const { t } = useTranslation();
  if (sold.online_count <= 0) return null;
  return (
    <Text size="xs" c="dimmed" data-testid={testId}>
      {t('home.vouchers_online', { count: sold.online_count, amount: formatRupiah(sold.online_gross) })}
    </Text>
  );
}

const SEVERITY_COLOR: Record<string, string> = { critical: 'red', warning: 'orange', info: 'blue' };

/**
 * Today at a glance, from GET /api/dashboard/home: every number opens the list behind it.
 * Updated at once when the server reports a payment, a subscriber's status, a WhatsApp
 * session or an alert (server-sent events invalidate `keys.dashboard`, see lib/eventKeys.ts),
 * and every 30 seconds and on window focus besides.
 */
export function HomeFigures() {
  const { t } = useTranslation();
  const home = useQuery({ queryKey: keys.dashboard.home(), queryFn: () => unwrap(api.GET('/api/dashboard/home')), ...LIVE });

  if (home.error && !home.data) {
    return (
      <Alert color="red" variant="light">
        {t('dashboard.cards.load_error')}
      </Alert>
    );
  }
  const h = home.data;
  if (!h) return <Text c="dimmed">{t('common.loading')}</Text>;
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
        <Tile title={t('home.income_today')} testId="home-income-today">
          <Income income={h.income_today} testId="home-income-today" />
        </Tile>
        <Tile title={t('home.income_month')} testId="home-income-month">
          <Income income={h.income_month} testId="home-income-month" />
        </Tile>
        <Tile title={t('home.due_soon', { days: h.due_soon_days })} testId="home-due-soon">
          <Figure to="/invoices?due=soon" testId="home-due-soon-count">
            {t('home.invoices', { count: h.invoices_due_soon.count })}
          </Figure>
          <Text size="sm">{formatRupiah(h.invoices_due_soon.amount)}</Text>
        </Tile>
        <Tile title={t('home.overdue')} testId="home-overdue">
          <Figure to="/invoices?due=overdue" testId="home-overdue-count">
            {t('home.invoices', { count: h.invoices_overdue.count })}
          </Figure>
          <Text size="sm" c={h.invoices_overdue.count > 0 ? 'red' : undefined}>
            {formatRupiah(h.invoices_overdue.amount)}
          </Text>
        </Tile>
        <Tile title={t('home.arrears')} testId="summary-unpaid">
          <Figure to="/invoices?status=open" testId="home-arrears-amount">
            {formatRupiah(h.arrears.amount)}
          </Figure>
          <Text size="xs" c="dimmed">
            {t('home.arrears_detail', { invoices: h.arrears.count, customers: h.arrears_customers })}
          </Text>
        </Tile>
        <Tile title={t('home.subscriptions')} testId="summary-customers">
          <Figure to="/subscriptions?status=active" testId="home-active-subscriptions">
            {t('home.active', { count: h.active_subscriptions })}
          </Figure>
          <Anchor component={Link} to="/subscriptions?status=isolated" size="sm" data-testid="home-isolated" c={h.isolated_subscriptions > 0 ? 'orange' : undefined}>
            {t('home.isolated', { count: h.isolated_subscriptions })}
          </Anchor>
          {h.subscriptions_unprovisioned > 0 && (
            <Anchor component={Link} to="/subscriptions?provisioning=failed" size="sm" data-testid="home-unprovisioned" c="red">
              {t('home.unprovisioned', { count: h.subscriptions_unprovisioned })}
            </Anchor>
          )}
        </Tile>
        <Tile title={t('home.vouchers')} testId="home-vouchers">
          <Figure to="/vouchers/sales" testId="home-vouchers-today">
            {t('home.vouchers_sold_today', { count: h.vouchers_sold_today.count })}
          </Figure>
          <Text size="sm">{formatRupiah(h.vouchers_sold_today.gross)}</Text>
          <OnlinePart sold={h.vouchers_sold_today} testId="home-vouchers-today-online" />
          <Anchor component={Link} to="/vouchers/sales" size="sm" data-testid="home-vouchers-month">
            {t('home.vouchers_sold_month', { count: h.vouchers_sold_month.count, amount: formatRupiah(h.vouchers_sold_month.gross) })}
          </Anchor>
          <OnlinePart sold={h.vouchers_sold_month} testId="home-vouchers-month-online" />
          <Anchor component={Link} to="/vouchers/list?status=active" size="sm" data-testid="home-vouchers-active">
            {t('home.vouchers_active', { count: h.vouchers_active })}
          </Anchor>
        </Tile>
        <Tile title={t('home.proofs')} testId="home-proofs">
          <Figure to="/payments?status=pending" testId="home-proofs-count">
            {String(h.pending_proofs)}
          </Figure>
          <Text size="xs" c="dimmed">
            {t('home.held_for_review', { count: h.held_for_review })}
          </Text>
        </Tile>
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 3 }}>
        <Tile title={t('home.routers')} testId="home-routers">
          <Figure to="/routers" testId="home-routers-online">
            {h.routers_total > 0 ? t('dashboard.cards.routers_value', { online: h.routers_online, total: h.routers_total }) : t('dashboard.cards.routers_none')}
          </Figure>
          {h.routers.length > 0 && (
            <Table fz="sm" verticalSpacing={4}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('home.router')}</Table.Th>
                  <Table.Th>{t('home.cpu')}</Table.Th>
                  <Table.Th>{t('home.active_users')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {h.routers.map((r) => (
                  <Table.Tr key={r.id} data-testid="home-router-row">
                    <Table.Td>
                      <Anchor component={Link} to={`/routers/${r.id}`} size="sm">
                        {r.name}
                      </Anchor>
                      <Text size="xs" c={r.status === 'online' ? 'green' : r.status === 'offline' ? 'red' : 'dimmed'} data-testid="home-router-status">
                        {t(`home.router_status.${r.status}`, { defaultValue: r.status })}
                      </Text>
                    </Table.Td>
                    <Table.Td>{r.cpu_load == null ? '—' : `${r.cpu_load}%`}</Table.Td>
                    <Table.Td title={r.last_seen_at ? formatDateTime(r.last_seen_at) : undefined}>
                      {r.online_users != null && (
                        <Text size="sm" fw={600} data-testid="home-router-online-users">
                          {t('home.online_users', { count: r.online_users })}
                        </Text>
                      )}
                      <Text size="xs" c="dimmed">
                        {t('home.users_detail', { subscriptions: r.active_subscriptions, vouchers: r.active_vouchers })}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Tile>
        <Tile title={t('home.alerts')} testId="home-alerts">
          <Figure to="/monitoring" testId="home-alerts-count">
            {t('home.alerts_value', { count: h.alerts_active })}
          </Figure>
          {h.alerts.map((a) => (
            <Group key={a.id} gap={6} wrap="nowrap" data-testid="home-alert">
              <Badge size="xs" color={SEVERITY_COLOR[a.severity] ?? 'gray'}>
                {t(`home.severity.${a.severity}`, { defaultValue: a.severity })}
              </Badge>
              <Text size="sm" title={`${a.message} · ${formatDateTime(a.raised_at)}`} lineClamp={1}>
                {a.title}
              </Text>
            </Group>
          ))}
        </Tile>
        <Tile title={t('home.whatsapp')} testId="home-whatsapp">
          <Figure to="/whatsapp" testId="home-whatsapp-up">
            {t('home.whatsapp_value', { up: h.whatsapp_up, down: h.whatsapp_down })}
          </Figure>
          {h.whatsapp_sessions.map((s) => (
            <Group key={s.id} gap={6}>
              <Badge size="xs" variant="dot" color={s.up ? 'green' : s.enabled ? 'red' : 'gray'}>
                {s.up ? t('home.up') : s.enabled ? t('home.down') : t('home.disabled')}
              </Badge>
              <Text size="sm">{s.name}</Text>
            </Group>
          ))}
        </Tile>
      </SimpleGrid>
    </Stack>
  );
}
