#!/usr/bin/env node
// Browser test of alerts and router charts against a running mikrobill admin listener whose
// owner exists and which has the simulator registered as a router (routers.test.mjs ran before).
//
//   MIKROBILL_URL=http://127.0.0.1:7878/ MIKROBILL_USERNAME=owner MIKROBILL_PASSWORD='…' \
//   node tests/e2e/monitoring.test.mjs
//
// Flow: log in → Monitoring: the "Peringatan" panel is there → an alert rule that holds at once
// (router commands waiting ≥ 0, for 0 minutes) is added with "Tambah aturan" (the form shows
// what the rule means) and listed in plain words, and the alerts job is run through the API → without a
// reload, the alert row appears (live events over /api/events) and the header bell counts it →
// the rule is disabled and the job run again → the row goes → a router's "Grafik" tab shows the
// load, users and traffic charts after two samples. Screenshots: tests/e2e/artifacts/monitoring-*.png.
import { apiCall, harness, visible } from './harness.mjs';

const { url, username, password, step, open, run, shot, expectText, consoleErrors } = harness('monitoring');
const ruleName = `Uji antrean ${Date.now().toString(36)}`;

// Texts the UI shows (ui/src/i18n/id.json).
const T = {
  loginSubmit: 'Masuk', username: 'Nama pengguna', password: 'Kata sandi',
  navMonitoring: 'Monitoring', navRouters: 'Router', healthTitle: 'Kesehatan sistem',
  alerts: 'Peringatan', ongoing: 'Berlangsung', charts: 'Grafik', load: 'CPU dan memori',
  users: 'Pengguna aktif', traffic: 'Trafik (semua port)',
  addRule: 'Tambah aturan', addRuleTitle: 'Tambah aturan peringatan', ruleName: 'Aturan',
  ruleMetric: 'Yang dipantau', ruleComparison: 'Muncul bila nilainya', ruleThreshold: 'Batas',
  ruleMinutes: 'Selama (menit)', save: 'Simpan', outboxLabel: 'Antrean perintah router',
  preview: 'Peringatan muncul bila Antrean perintah router paling sedikit 0 selama minimal 0 menit.',
  retention: 'Pembersihan data lama', retentionAccess: 'Log masuk & keluar', retentionKept: '365 hari terakhir',
};


async function runJob(page, name) {
  const run = await apiCall(page, 'POST', `/api/jobs/${name}/run`);
  if (run.status !== 200 || !run.body?.ok) throw new Error(`${name}: ${run.status} ${JSON.stringify(run.body)}`);
  return run.body;
}

async function main() {
  const page = await open();

  await step(page, 'log in', async () => {
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    await page.getByLabel(T.username, { exact: true }).fill(username);
    await page.getByLabel(T.password, { exact: true }).fill(password);
    await page.getByRole('button', { name: T.loginSubmit, exact: true }).click();
    const alert = page.getByRole('alert');
    await visible(page.getByRole('link', { name: T.navMonitoring, exact: true }).or(alert));
    if (await alert.isVisible()) throw new Error(`login refused: "${(await alert.innerText()).trim()}"`);
  });

  let ruleId;
  await step(page, 'an alert appears live in "Peringatan" and on the bell', async () => {
    await page.getByRole('link', { name: T.navMonitoring, exact: true }).click();
    await visible(page.getByRole('heading', { name: T.healthTitle, exact: true }));
    const panel = page.getByTestId('alerts-panel');
    await visible(panel.getByRole('heading', { name: T.alerts, exact: true }));
    await page.waitForLoadState('networkidle').catch(() => undefined);
    const before = await panel.getByTestId('alert-row').count();
    const settings = page.getByTestId('monitoring-settings');
    await settings.getByRole('button', { name: T.addRule, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: T.addRuleTitle });
    await dialog.getByLabel(new RegExp(`^${T.ruleName}( \\*)?$`)).fill(ruleName); // required: "Aturan *"
    await dialog.getByLabel(T.ruleMetric, { exact: true }).selectOption('router_outbox');
    await dialog.getByLabel(T.ruleComparison, { exact: true }).selectOption('gte');
    await dialog.getByLabel(new RegExp(`^${T.ruleThreshold}( \\*)?$`)).fill('0');
    await dialog.getByLabel(T.ruleMinutes, { exact: true }).fill('0');
    const preview = (await dialog.getByTestId('rule-preview').innerText()).trim();
    if (preview !== T.preview) throw new Error(`preview: "${preview}"`);
    await shot(page, '00-add-rule.png');
    await dialog.getByRole('button', { name: T.save, exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    const listed = settings.getByRole('row').filter({ hasText: ruleName });
    await visible(listed.filter({ hasText: T.outboxLabel }));
    const rules = await apiCall(page, 'GET', '/api/monitoring/alerts/rules');
    const created = rules.body?.items?.find((r) => r.name === ruleName);
    if (!created || created.metric !== 'router_outbox' || created.comparison !== 'gte' || created.threshold !== 0
      || created.duration_seconds !== 0 || created.severity !== 'warning' || !created.enabled) {
      throw new Error(`the rule as saved: ${JSON.stringify(created)}`);
    }
    ruleId = created.id;
    await runJob(page, 'alerts');
    // No reload: the event stream brings it.
    const row = panel.getByTestId('alert-row').filter({ hasText: ruleName });
    await visible(row.filter({ hasText: T.ongoing }));
    if ((await panel.getByTestId('alert-row').count()) <= before) throw new Error('no new alert row');
    const bell = page.getByTestId('alerts-badge');
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="alerts-badge"]')?.getAttribute('data-count') ?? 0) > 0,
    );
    await visible(bell);
    await shot(page, '01-alert.png');
  });

  await step(page, 'the alert clears when its rule is switched off', async () => {
    const updated = await apiCall(page, 'PUT', `/api/monitoring/alerts/rules/${ruleId}`, {
      name: ruleName, metric: 'router_outbox', comparison: 'gte', threshold: 0,
      duration_seconds: 0, severity: 'warning', enabled: false,
    });
    if (updated.status !== 200) throw new Error(`disable: ${updated.status}`);
    await runJob(page, 'alerts');
    const panel = page.getByTestId('alerts-panel');
    await panel.getByTestId('alert-row').filter({ hasText: ruleName }).waitFor({ state: 'detached' });
    await apiCall(page, 'DELETE', `/api/monitoring/alerts/rules/${ruleId}`);
  });

  await step(page, 'a router\'s "Grafik" tab shows load, users and traffic', async () => {
    const routers = await apiCall(page, 'GET', '/api/routers');
    // The simulator's router (routers.test.mjs runs first); others (one that was never
    // reachable, from the wrong-language check) have nothing to chart.
    const items = routers.body?.items ?? [];
    const router = items.find((r) => r.status === 'online') ?? items[0];
    if (!router) throw new Error('no router registered (routers.test.mjs runs first)');
    await runJob(page, 'router_samples');
    await runJob(page, 'router_samples');
    await page.goto(new URL(`/routers/${router.id}?tab=charts`, url).toString(), { waitUntil: 'domcontentloaded' });
    await visible(page.getByRole('tab', { name: T.charts, exact: true }));
    for (const [id, title] of [['chart-load', T.load], ['chart-users', T.users], ['chart-traffic', T.traffic]]) {
      const card = page.getByTestId(id);
      await visible(card.filter({ hasText: title }));
      await visible(card.locator('svg.recharts-surface').first());
    }
    await shot(page, '02-router-charts.png');
  });

  await step(page, 'the health page shows the daily clean-up\'s report', async () => {
    const run = await runJob(page, 'retention');
    await page.getByRole('link', { name: T.navMonitoring, exact: true }).click();
    await visible(page.getByRole('heading', { name: T.retention, exact: true }));
    const report = page.getByTestId('retention-report');
    await visible(report);
    const row = report.getByTestId('retention-access_events');
    await expectText(row, T.retentionAccess, 'retention row');
    await expectText(row, T.retentionKept, 'retention period');
    // The figures are the run's: the summary names as many sign-in log entries as the row.
    const removed = /(\d+) access log entry/.exec(run.summary)?.[1];
    if (removed === undefined) throw new Error(`summary without the access log: ${run.summary}`);
    await expectText(row.locator('td').nth(1), removed, 'removed count');
    await shot(page, '03-retention.png');
  });

  const relevant = consoleErrors.filter((e) => !/Failed to load resource/.test(e));
  if (relevant.length) throw new Error(`browser console errors:\n  ${relevant.join('\n  ')}`);
}

await run(main);
