#!/usr/bin/env node
// Browser test of the home screen and the reports against a running mikrobill admin listener
// whose owner already exists (run dashboard.test.mjs first), with a RouterOS simulator at
// ROUTEROS_SIM_ADDR (user admin, password ROUTEROS_SIM_PASSWORD, default empty).
//
//   ROUTEROS_SIM_ADDR=127.0.0.1:18728 MIKROBILL_URL=http://127.0.0.1:7878/ \
//   MIKROBILL_USERNAME=owner MIKROBILL_PASSWORD='correct horse battery' node tests/e2e/reports.test.mjs
//
// Seeds through the API: a router of its own, three subscriptions on it from the first of this
// month, a full cash payment, a partial transfer, one unpaid. The reports are filtered to that
// router, so their figures are exactly what this test seeded (computed here); the home screen,
// which covers everything, must move by exactly the seeded amounts from what it showed before.
// Checks that a number opens its list, every report tab, and a CSV download.
// Screenshots: tests/e2e/artifacts/reports-*.png.
import { readFileSync } from 'node:fs';
import { harness, visible } from './harness.mjs';

const WAIT_TIMEOUT_MS = 15_000;
const { url, username, password, step, open: openPage, run, shot } = harness('reports', {
  stepTimeoutMs: 30_000, waitTimeoutMs: WAIT_TIMEOUT_MS, needs: ['ROUTEROS_SIM_ADDR'],
});
const simMatch = /^(.+):(\d+)$/.exec(process.env.ROUTEROS_SIM_ADDR ?? '');
if (!simMatch) {
  console.error(`FAIL: ROUTEROS_SIM_ADDR is not host:port`);
  process.exit(2);
}

const suffix = Date.now().toString(36);
// The business day (Asia/Jakarta), as the server counts it.
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta' }).format(new Date());
const firstOfMonth = `${today.slice(0, 8)}01`;
const PRICE = 100_000;
// login → paid (amount, method)
const SEED = [
  { name: `Ani Laporan ${suffix}`, login: `ani-${suffix}`, paid: 100_000, method: 'cash' },
  { name: `Budi Laporan ${suffix}`, login: `budi-${suffix}`, paid: 40_000, method: 'transfer' },
  { name: `Citra Laporan ${suffix}`, login: `citra-${suffix}`, paid: 0, method: null },
];

const T = {
  loginSubmit: 'Masuk', username: 'Nama pengguna', password: 'Kata sandi', navReports: 'Laporan',
  navDashboard: 'Dasbor',
};

/** "Rp 150.000" as the UI writes it. */
const rp = (n) => `Rp ${String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.')}`;
const days = (a, b) => Math.round((Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`)) / 86_400_000);

let token;

async function apiCall(method, path, body) {
  const res = await fetch(new URL(path, url), {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  const json = text ? JSON.parse(text) : null;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return json;
}

const clean = (s) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ').trim();

async function expectText(locator, expected, what) {
  const deadline = Date.now() + WAIT_TIMEOUT_MS;
  let last = '';
  while (Date.now() < deadline) {
    last = clean(await locator.first().textContent().catch(() => ''));
    if (last.includes(expected)) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${what}: expected "${expected}", saw "${last}"`);
}

/** The text of column `col` of a report table row (by its data-key), or of its total row. */
const cell = (page, table, key, col) =>
  (key === null ? page.getByTestId(`${table}-total`) : page.locator(`[data-testid="${table}-row"][data-key="${key}"]`)).locator(`td[data-col="${col}"]`);

async function main() {
  // --- Seed through the API ---
  token = (await apiCall('POST', '/api/auth/login', { username, password })).access_token;
  const before = await apiCall('GET', '/api/dashboard/home');
  const router = await apiCall('POST', '/api/routers', {
    name: `Router Laporan ${suffix}`, host: simMatch[1], port: Number(simMatch[2]), api_user: 'admin',
    password: process.env.ROUTEROS_SIM_PASSWORD ?? '',
  });
  const plan = await apiCall('POST', '/api/plans', {
    name: `Paket Laporan ${suffix}`, price: PRICE, kind: 'pppoe', router_profile: 'pppoe-10M',
  });
  for (const s of SEED) {
    const customer = await apiCall('POST', '/api/customers', { name: s.name, phone: '0812-3456-7890' });
    const sub = await apiCall('POST', '/api/subscriptions', {
      customer_id: customer.id, plan_id: plan.id, login: s.login, password: 'rahasia-pppoe',
      start_on: firstOfMonth, billing_day: 1, due_days: 7, grace_days: 3, router_id: router.id,
    });
    const invoices = await apiCall('GET', `/api/invoices?subscription_id=${sub.id}`);
    if (invoices.items.length !== 1 || invoices.items[0].total !== PRICE) {
      throw new Error(`expected one invoice of ${PRICE}: ${JSON.stringify(invoices)}`);
    }
    s.customerId = customer.id;
    s.dueOn = invoices.items[0].due_on;
    if (s.paid > 0) {
      await apiCall('POST', '/api/payments', { invoice_id: invoices.items[0].id, amount: s.paid, method: s.method });
    }
  }

  // --- What the screens must show, from the seed ---
  const paidTotal = SEED.reduce((a, s) => a + s.paid, 0);
  const open = SEED.filter((s) => s.paid < PRICE);
  const owed = (s) => PRICE - s.paid;
  const overdue = open.filter((s) => s.dueOn < today);
  const soon = open.filter((s) => s.dueOn >= today && days(s.dueOn, today) <= 6);
  const bucket = (d) => (d <= 30 ? '0-30' : d <= 60 ? '31-60' : d <= 90 ? '61-90' : '90+');

  const page = await openPage();

  await step(page, 'log in and see the home screen', async () => {
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    await page.getByLabel(T.username, { exact: true }).fill(username);
    await page.getByLabel(T.password, { exact: true }).fill(password);
    await page.getByRole('button', { name: T.loginSubmit, exact: true }).click();
    await visible(page.getByTestId('home-income-today'));
  });

  await step(page, 'home figures moved by exactly what was seeded', async () => {
    await expectText(page.getByTestId('home-income-today-amount'), rp(before.income_today.amount + paidTotal), 'income today');
    await expectText(page.getByTestId('home-income-month-amount'), rp(before.income_month.amount + paidTotal), 'income this month');
    const cash = (before.income_today.by_method.find((m) => m.method === 'cash')?.amount ?? 0) + SEED.filter((s) => s.method === 'cash').reduce((a, s) => a + s.paid, 0);
    await expectText(page.getByTestId('home-income-today-method-cash-amount'), rp(cash), 'cash today');
    await expectText(page.getByTestId('home-arrears-amount'), rp(before.arrears.amount + open.reduce((a, s) => a + owed(s), 0)), 'arrears');
    await expectText(page.getByTestId('home-overdue-count'), `${before.invoices_overdue.count + overdue.length} tagihan`, 'overdue count');
    await expectText(page.getByTestId('home-due-soon-count'), `${before.invoices_due_soon.count + soon.length} tagihan`, 'due soon count');
    await expectText(page.getByTestId('home-routers-online'), `dari ${before.routers_total + 1}`, 'routers');
    await shot(page, '01-home.png');
  });

  await step(page, 'a number opens the list behind it', async () => {
    // Arrears → the open invoices: the seeded unpaid and partly paid ones, not the paid one.
    await page.getByTestId('home-arrears-amount').click();
    await page.waitForURL(/\/invoices\?status=open/);
    for (const s of open) await visible(page.getByRole('cell', { name: s.name, exact: true }));
    const paid = SEED.find((s) => s.paid === PRICE);
    if (await page.getByRole('cell', { name: paid.name, exact: true }).count()) throw new Error('a paid invoice is listed as open');
    await page.goBack();
    // Due soon / overdue → the invoices with that filter.
    const target = overdue.length > 0 ? 'home-overdue-count' : 'home-due-soon-count';
    await page.getByTestId(target).click();
    await page.waitForURL(/\/invoices\?due=/);
    await visible(page.getByTestId('invoices-due-filter'));
    for (const s of overdue.length > 0 ? overdue : soon) await visible(page.getByRole('cell', { name: s.name, exact: true }));
    await page.goBack();
    await page.getByTestId('home-income-today-method-cash').click();
    await page.waitForURL(/\/payments\?.*method=cash/);
    await visible(page.getByTestId('payments-url-filter'));
    await visible(page.getByRole('cell', { name: SEED[0].name }).first());
    if (await page.getByRole('cell', { name: SEED[1].name }).count()) throw new Error('a transfer is listed under cash');
  });

  const q = `router_id=${router.id}`;
  await step(page, 'revenue report for the router', async () => {
    await page.goto(new URL(`reports?tab=revenue&${q}`, url).href);
    const month = today.slice(0, 7);
    await expectText(cell(page, 'revenue', month, 1), rp(paidTotal), 'payments this month');
    await expectText(cell(page, 'revenue', month, 2), String(SEED.filter((s) => s.paid > 0).length), 'payment count');
    await expectText(cell(page, 'revenue', null, 5), rp(paidTotal), 'the 12-month total');
    if ((await page.getByTestId('revenue-row').count()) !== 12) throw new Error('not 12 months');
    await visible(page.locator('.recharts-surface').first());
    await shot(page, '02-revenue.png');
  });

  await step(page, 'export the revenue report as CSV', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-revenue-csv').click()]);
    if (!/^mikrobill_revenue_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/.test(download.suggestedFilename())) {
      throw new Error(`file name ${download.suggestedFilename()}`);
    }
    const lines = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    if (lines[0] !== 'month,payments,payment_count,vouchers,voucher_count,total') throw new Error(`header ${lines[0]}`);
    const total = lines.at(-1).split(',');
    if (total[0] !== 'total' || Number(total[5]) !== paidTotal) throw new Error(`total row ${lines.at(-1)}`);
    const row = lines.find((l) => l.startsWith(today.slice(0, 7)));
    if (Number(row?.split(',')[1]) !== paidTotal) throw new Error(`this month ${row}`);
  });

  await step(page, 'payments by method and by cashier', async () => {
    await page.getByTestId('report-tab-payments').click();
    for (const method of ['cash', 'transfer']) {
      const sum = SEED.filter((s) => s.method === method).reduce((a, s) => a + s.paid, 0);
      await expectText(cell(page, 'payments-by-method', method, 2), rp(sum), `${method} total`);
    }
    await expectText(cell(page, 'payments-by-cashier', `user:${username}`, 2), rp(paidTotal), 'recorded by the owner');
    await expectText(cell(page, 'payments-by-cashier', null, 1), String(SEED.filter((s) => s.paid > 0).length), 'payment count');
    await shot(page, '03-payments.png');
  });

  await step(page, 'arrears aging', async () => {
    await page.getByTestId('report-tab-aging').click();
    for (const b of ['0-30', '31-60', '61-90', '90+']) {
      const these = overdue.filter((s) => bucket(days(today, s.dueOn)) === b);
      await expectText(cell(page, 'arrears-aging', b, 1), rp(these.reduce((a, s) => a + owed(s), 0)), `bucket ${b}`);
      await expectText(cell(page, 'arrears-aging', b, 2), String(these.length), `bucket ${b} invoices`);
    }
    await expectText(cell(page, 'arrears-aging', null, 1), rp(overdue.reduce((a, s) => a + owed(s), 0)), 'aging total');
    await shot(page, '04-aging.png');
  });

  await step(page, 'subscribers gained', async () => {
    await page.getByTestId('report-tab-subscribers').click();
    await expectText(cell(page, 'subscribers', today.slice(0, 7), 1), String(SEED.length), 'gained this month');
    await expectText(cell(page, 'subscribers', null, 2), '0', 'none lost');
  });

  await step(page, 'voucher sales (none on this router)', async () => {
    await page.getByTestId('report-tab-vouchers').click();
    await expectText(cell(page, 'vouchers-by-profile', null, 1), '0', 'no vouchers sold on this router');
  });

  await step(page, 'top unpaid customers', async () => {
    await page.getByTestId('report-tab-unpaid').click();
    const sorted = [...open].sort((a, b) => owed(b) - owed(a));
    const rows = page.getByTestId('top-unpaid-row');
    await expectText(rows.first(), sorted[0].name, 'the largest debt first');
    if ((await rows.count()) !== open.length) throw new Error(`rows ${await rows.count()}`);
    for (const s of sorted) await expectText(cell(page, 'top-unpaid', s.customerId, 3), rp(owed(s)), `${s.name} owes`);
    await expectText(cell(page, 'top-unpaid', null, 3), rp(open.reduce((a, s) => a + owed(s), 0)), 'owed in all');
    await shot(page, '05-unpaid.png');
  });

  await step(page, 'a period filter narrows the report', async () => {
    await page.getByTestId('report-tab-revenue').click();
    // The month before this one: nothing was paid then on this router.
    const d = new Date(`${firstOfMonth}T00:00:00Z`);
    d.setUTCDate(0);
    const last = d.toISOString().slice(0, 10);
    await page.goto(new URL(`reports?tab=revenue&${q}&from=${last.slice(0, 8)}01&to=${last}`, url).href);
    await expectText(cell(page, 'revenue', null, 5), rp(0), 'nothing last month');
    if ((await page.getByTestId('revenue-row').count()) !== 1) throw new Error('one month');
  });
}

await run(main);
