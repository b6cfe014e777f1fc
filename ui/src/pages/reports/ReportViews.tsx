import { BarChart } from '@mantine/charts';
import { Anchor, Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { LoadState } from '../../components/LoadState';
import { formatDate } from '../../lib/dates';
import { formatRupiah, formatRupiahShort } from '../../lib/money';
import type { ReportQuery } from '../../lib/reports';
import { monthLabel } from '../../lib/reports';
import { keys } from '../../lib/queryKeys';
import { ReportBlock, ReportTable } from './ReportBlock';

const rp = (n: number) => formatRupiah(n);
const axis = { tickFormatter: (n: number) => formatRupiahShort(n), width: 64 };

export function RevenueView({ query }: { query: ReportQuery }) {
  const { t } = useTranslation();
  const r = useQuery({
    queryKey: keys.reports.report('revenue', query),
    queryFn: () => unwrap(api.GET('/api/reports/revenue', { params: { query } })),
  });
  return (
    <ReportBlock name="revenue" query={query} note={t('reports.note.revenue')}>
      <LoadState state={r}>
        {(d) => (
          <Stack>
            <BarChart
              h={260}
              data={d.months.map((m) => ({ month: monthLabel(m.month), payments: m.payments, vouchers: m.vouchers }))}
              dataKey="month"
              type="stacked"
              valueFormatter={rp}
              yAxisProps={axis}
              withLegend
              series={[
                { name: 'payments', label: t('reports.col.payments'), color: 'blue.6' },
                { name: 'vouchers', label: t('reports.col.vouchers'), color: 'teal.5' },
              ]}
            />
            <ReportTable
              name="revenue"
              numeric={[1, 2, 3, 4, 5]}
              head={[t('reports.col.month'), t('reports.col.payments'), t('reports.col.count'), t('reports.col.vouchers'), t('reports.col.count'), t('reports.col.total')]}
              rows={d.months.map((m) => ({
                key: m.month,
                cells: [monthLabel(m.month), rp(m.payments), m.payment_count, rp(m.vouchers), m.voucher_count, rp(m.total)],
              }))}
              total={[t('reports.total'), rp(d.total.payments), d.total.payment_count, rp(d.total.vouchers), d.total.voucher_count, rp(d.total.total)]}
            />
          </Stack>
        )}
      </LoadState>
    </ReportBlock>
  );
}

export function PaymentsView({ query }: { query: ReportQuery }) {
  const { t } = useTranslation();
  const byMethod = useQuery({
    queryKey: keys.reports.report('payments-by-method', query),
    queryFn: () => unwrap(api.GET('/api/reports/payments-by-method', { params: { query } })),
  });
  const byCashier = useQuery({
    queryKey: keys.reports.report('payments-by-cashier', query),
    queryFn: () => unwrap(api.GET('/api/reports/payments-by-cashier', { params: { query } })),
  });
  return (
    <Stack>
      <ReportBlock name="payments-by-method" query={query}>
        <LoadState state={byMethod}>
          {(d) => (
            <Stack>
              {d.rows.length > 0 && (
                <BarChart
                  h={200}
                  data={d.rows.map((r) => ({ method: t(`home.method.${r.method}`, { defaultValue: r.method }), amount: r.amount }))}
                  dataKey="method"
                  valueFormatter={rp}
              yAxisProps={axis}
                  series={[{ name: 'amount', label: t('reports.col.amount'), color: 'blue.6' }]}
                />
              )}
              <ReportTable
                name="payments-by-method"
                numeric={[1, 2]}
                head={[t('reports.col.method'), t('reports.col.count'), t('reports.col.amount')]}
                rows={d.rows.map((r) => ({ key: r.method, cells: [t(`home.method.${r.method}`, { defaultValue: r.method }), r.count, rp(r.amount)] }))}
                total={[t('reports.total'), d.count, rp(d.amount)]}
              />
            </Stack>
          )}
        </LoadState>
      </ReportBlock>
      <ReportBlock name="payments-by-cashier" query={query} note={t('reports.note.cashier')}>
        <LoadState state={byCashier}>
          {(d) => (
            <ReportTable
              name="payments-by-cashier"
              numeric={[1, 2]}
              head={[t('reports.col.cashier'), t('reports.col.count'), t('reports.col.amount')]}
              rows={d.rows.map((r) => ({
                key: `${r.kind}:${r.name}`,
                cells: [
                  r.kind === 'user' ? r.name : r.kind === 'gateway' ? t('reports.gateway', { name: r.name }) : t('reports.system'),
                  r.count,
                  rp(r.amount),
                ],
              }))}
              total={[t('reports.total'), d.count, rp(d.amount)]}
            />
          )}
        </LoadState>
      </ReportBlock>
    </Stack>
  );
}

export function AgingView({ query }: { query: ReportQuery }) {
  const { t } = useTranslation();
  const r = useQuery({
    queryKey: keys.reports.report('arrears-aging', query),
    queryFn: () => unwrap(api.GET('/api/reports/arrears-aging', { params: { query } })),
  });
  return (
    <ReportBlock name="arrears-aging" query={query} note={t('reports.note.aging')}>
      <LoadState state={r}>
        {(d) => (
          <Stack>
            <BarChart
              h={220}
              data={d.buckets.map((b) => ({ bucket: t('reports.days', { range: b.bucket }), amount: b.amount }))}
              dataKey="bucket"
              valueFormatter={rp}
              yAxisProps={axis}
              series={[{ name: 'amount', label: t('reports.col.amount'), color: 'orange.6' }]}
            />
            <ReportTable
              name="arrears-aging"
              numeric={[1, 2, 3]}
              head={[t('reports.col.days_past_due'), t('reports.col.amount'), t('reports.col.invoices'), t('reports.col.customers')]}
              rows={d.buckets.map((b) => ({ key: b.bucket, cells: [t('reports.days', { range: b.bucket }), rp(b.amount), b.invoices, b.customers] }))}
              total={[t('reports.total'), rp(d.total.amount), d.total.invoices, d.total.customers]}
            />
          </Stack>
        )}
      </LoadState>
    </ReportBlock>
  );
}

export function SubscribersView({ query }: { query: ReportQuery }) {
  const { t } = useTranslation();
  const r = useQuery({
    queryKey: keys.reports.report('subscribers', query),
    queryFn: () => unwrap(api.GET('/api/reports/subscribers', { params: { query } })),
  });
  return (
    <ReportBlock name="subscribers" query={query}>
      <LoadState state={r}>
        {(d) => (
          <Stack>
            <BarChart
              h={240}
              data={d.months.map((m) => ({ month: monthLabel(m.month), gained: m.gained, lost: m.lost }))}
              dataKey="month"
              withLegend
              series={[
                { name: 'gained', label: t('reports.col.gained'), color: 'teal.6' },
                { name: 'lost', label: t('reports.col.lost'), color: 'red.6' },
              ]}
            />
            <ReportTable
              name="subscribers"
              numeric={[1, 2, 3]}
              head={[t('reports.col.month'), t('reports.col.gained'), t('reports.col.lost'), t('reports.col.net')]}
              rows={d.months.map((m) => ({ key: m.month, cells: [monthLabel(m.month), m.gained, m.lost, m.net] }))}
              total={[t('reports.total'), d.total.gained, d.total.lost, d.total.net]}
            />
          </Stack>
        )}
      </LoadState>
    </ReportBlock>
  );
}

export function VouchersView({ query }: { query: ReportQuery }) {
  const { t } = useTranslation();
  const byProfile = useQuery({
    queryKey: keys.reports.report('vouchers-by-profile', query),
    queryFn: () => unwrap(api.GET('/api/reports/vouchers-by-profile', { params: { query } })),
  });
  const byReseller = useQuery({
    queryKey: keys.reports.report('vouchers-by-reseller', query),
    queryFn: () => unwrap(api.GET('/api/reports/vouchers-by-reseller', { params: { query } })),
  });
  const shopChannel = (channel: string | null | undefined) =>
    channel === 'online' ? t('reports.channel.online') : channel === 'counter' ? t('reports.channel.counter') : t('vouchers.batches.shop');
  const head = (first: string) => [first, t('reports.col.count'), t('reports.col.gross'), t('reports.col.revenue'), t('reports.col.commission')];
  return (
    <Stack>
      {(
        [
          ['vouchers-by-profile', byProfile, t('reports.col.profile')],
          ['vouchers-by-reseller', byReseller, t('reports.col.reseller')],
        ] as const
      ).map(([name, state, first]) => (
        <ReportBlock key={name} name={name} query={query} note={t('reports.note.vouchers')}>
          <LoadState state={state}>
            {(d) => (
              <ReportTable
                name={name}
                numeric={[1, 2, 3, 4]}
                head={head(first)}
                rows={d.rows.map((r) => ({
                  // The shop's own sales have no name and may come twice: at the counter and online.
                  key: `${r.channel ?? ''}:${r.id ?? r.name}`,
                  cells: [r.name === '' ? shopChannel(r.channel) : r.name, r.count, rp(r.gross), rp(r.revenue), rp(r.commission)],
                }))}
                total={[t('reports.total'), d.total.count, rp(d.total.gross), rp(d.total.revenue), rp(d.total.commission)]}
              />
            )}
          </LoadState>
        </ReportBlock>
      ))}
    </Stack>
  );
}

export function UnpaidView({ query }: { query: ReportQuery }) {
  const { t } = useTranslation();
  const r = useQuery({
    queryKey: keys.reports.report('top-unpaid', query),
    queryFn: () => unwrap(api.GET('/api/reports/top-unpaid', { params: { query } })),
  });
  return (
    <ReportBlock name="top-unpaid" query={query} note={t('reports.note.unpaid')}>
      <LoadState state={r}>
        {(d) => (
          <ReportTable
            name="top-unpaid"
            numeric={[2, 3, 5]}
            head={[t('reports.col.customer'), t('reports.col.phone'), t('reports.col.invoices'), t('reports.col.owed'), t('reports.col.oldest_due'), t('reports.col.days_overdue')]}
            rows={d.rows.map((c) => ({
              key: c.customer_id,
              cells: [
                <Anchor component={Link} to={`/customers/${c.customer_id}`} size="sm" key="n">
                  {c.name}
                </Anchor>,
                c.phone,
                c.invoices,
                rp(c.owed),
                formatDate(c.oldest_due),
                c.days_overdue,
              ],
            }))}
            total={[t('reports.total_all', { count: d.customers_total }), '', '', rp(d.owed_total), '', '']}
          />
        )}
      </LoadState>
    </ReportBlock>
  );
}
