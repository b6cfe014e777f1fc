import { Button, Group, NativeSelect, Stack, Tabs, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { routersQuery } from '../../api/queries';
import { PageHeader } from '../../components/PageHeader';
import { formatDate } from '../../lib/dates';
import type { ReportQuery } from '../../lib/reports';
import { AgingView, PaymentsView, RevenueView, SubscribersView, UnpaidView, VouchersView } from './ReportViews';

const TABS = ['revenue', 'payments', 'aging', 'subscribers', 'vouchers', 'unpaid'] as const;
type Tab = (typeof TABS)[number];
/** Tabs that show the present state: the period does not apply. */
const SNAPSHOT: Tab[] = ['aging', 'unpaid'];

/** Laporan: one tab per report, a filter bar kept in the address, exports and printing. */
export function ReportsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as Tab) : 'revenue';
  const routers = useQuery(routersQuery());
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const query: ReportQuery = {
    from: params.get('from') || undefined,
    to: params.get('to') || undefined,
    router_id: params.get('router_id') || undefined,
    limit: tab === 'unpaid' ? params.get('limit') || '20' : undefined,
  };
  const snapshot = SNAPSHOT.includes(tab);
  const routerName = routers.data?.items.find((r) => r.id === query.router_id)?.name;

  return (
    <Stack gap="md">
      <PageHeader
        title={t('nav.reports')}
        actions={
          <Button variant="default" onClick={() => window.print()} className="no-print" data-testid="report-print">
            {t('reports.print')}
          </Button>
        }
      />
      <Group align="flex-end" className="no-print" data-testid="report-filters">
        <TextInput type="date" label={t('reports.from')} value={params.get('from') ?? ''} onChange={(e) => set('from', e.currentTarget.value)} disabled={snapshot} data-testid="report-from" />
        <TextInput type="date" label={t('reports.to')} value={params.get('to') ?? ''} onChange={(e) => set('to', e.currentTarget.value)} disabled={snapshot} data-testid="report-to" />
        <NativeSelect
          label={t('reports.router')}
          value={params.get('router_id') ?? ''}
          onChange={(e) => set('router_id', e.currentTarget.value)}
          data-testid="report-router"
          data={[{ value: '', label: t('reports.all_routers') }, ...(routers.data?.items ?? []).map((r) => ({ value: r.id, label: r.name }))]}
        />
        {tab === 'unpaid' && (
          <NativeSelect
            label={t('reports.limit')}
            value={query.limit}
            onChange={(e) => set('limit', e.currentTarget.value)}
            data={['10', '20', '50', '100', '500']}
          />
        )}
        {(params.get('from') || params.get('to') || params.get('router_id')) && (
          <Button
            variant="subtle"
            onClick={() => {
              const next = new URLSearchParams();
              next.set('tab', tab);
              setParams(next, { replace: true });
            }}
          >
            {t('reports.reset')}
          </Button>
        )}
      </Group>
      <Text size="sm" c="dimmed" data-testid="report-period">
        {snapshot
          ? t('reports.as_of_today')
          : query.from || query.to
            ? t('reports.period', { from: formatDate(query.from ?? ''), to: query.to ? formatDate(query.to) : t('reports.today') })
            : t('reports.default_period')}
        {routerName ? ` · ${routerName}` : ''}
      </Text>
      <Tabs value={tab} onChange={(v) => set('tab', v ?? 'revenue')} keepMounted={false}>
        <Tabs.List className="no-print">
          {TABS.map((k) => (
            <Tabs.Tab key={k} value={k} data-testid={`report-tab-${k}`}>
              {t(`reports.tab.${k}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="revenue" pt="md">
          <RevenueView query={query} />
        </Tabs.Panel>
        <Tabs.Panel value="payments" pt="md">
          <PaymentsView query={query} />
        </Tabs.Panel>
        <Tabs.Panel value="aging" pt="md">
          <AgingView query={query} />
        </Tabs.Panel>
        <Tabs.Panel value="subscribers" pt="md">
          <SubscribersView query={query} />
        </Tabs.Panel>
        <Tabs.Panel value="vouchers" pt="md">
          <VouchersView query={query} />
        </Tabs.Panel>
        <Tabs.Panel value="unpaid" pt="md">
          <UnpaidView query={query} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
