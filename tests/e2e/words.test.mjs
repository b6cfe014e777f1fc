#!/usr/bin/env node
// Browser test of what a new owner reads, in Indonesian and in English, against a running
// mikrobill admin listener whose owner exists (run early: before other tests fill the shop with
// data in either language).
//
//   MIKROBILL_URL=http://127.0.0.1:7878/ MIKROBILL_USERNAME=owner \
//   MIKROBILL_PASSWORD='correct horse battery' node tests/e2e/words.test.mjs
//
// Flow: log in → the home screen shows "Langkah persiapan" with its six steps, none done; a step's
// link opens where it is done; a backup made → that step is done → "Kesehatan sistem" opens with
// its problems (each with what to do), the headline badge is the worst of them, and the list is
// above the fold at 1366×768 → job results and schedules, the security log and the activity log
// read as sentences → every page of the menu (and its tabs) in Indonesian has no English UI words,
// and in English no Indonesian ones.
// Screenshots: tests/e2e/artifacts/words-*.png.
import { apiCall, harness, visible } from './harness.mjs';

const { url, username, password, step, open, run, shot, expectText, poll } = harness('words', {
  stepTimeoutMs: 240_000, waitTimeoutMs: 20_000,
});

// Texts the UI shows (ui/src/i18n/id.json and en.json).
const T = {
  loginSubmit: 'Masuk', username: 'Nama pengguna', password: 'Kata sandi', navDashboard: 'Dasbor',
  checklistTitle: 'Langkah persiapan', setPublic: 'Atur alamat publik', publicTab: 'Alamat publik',
  whatToDo: 'Yang perlu dilakukan:',
};

// Names this test gives its data: neither Indonesian nor English words.
const DATA = { customer: 'Xavier Quill', plan: 'Zeta 10', phone: '0812-3456-7890', session: 'Qwerty', stranger: 'zqx-9', router: 'RB-Q9' };

/**
 * Words that are English UI text and never right in the Indonesian dashboard (product and brand
 * names such as Router, Voucher, Hotspot, WhatsApp, PPPoE, Gateway, Online, Status, Data and Total
 * are the same in both languages and are not listed).
 */
const ENGLISH = `the and of is are was were with for from this that these not none never yes your you has have
  been will can cannot must please issued invoice invoices customer customers payment payments subscription
  subscriptions settings save cancel delete edit add search name phone address refused password failed error
  warning every minute minutes hour hours day days daily secrets checked sent queued removed made verified found
  unknown loading open close back next previous last first new run now today week month year user role amount
  paid unpaid due overdue balance plan plans profile profiles print download upload refresh reload select choose
  enter enabled disabled active inactive expired pending required created updated deleted changed added activity
  security health free space schedule scheduled job jobs result results detail details description
  message messages session sessions connected disconnected reachable unreachable answers`.split(/\s+/).filter(Boolean);

/** Words that are Indonesian UI text and never right in the English dashboard. */
const INDONESIAN = `dan yang dengan untuk tidak belum sudah atau pelanggan tagihan pembayaran simpan batal hapus ubah
  tambah cari setiap hari menit jam berhasil gagal masuk keluar pengaturan cadangan langganan paket sandi nama
  alamat telepon peringatan sejak dari ini itu ada akan bisa harus sekarang terakhir diperiksa dibuat diterbitkan
  ditolak aktif nonaktif rincian keterangan pengguna sesi perangkat jalankan muat ulang kosong semua baru lama
  bulan tahun minggu tanggal waktu jumlah harga lunas sisa saldo`.split(/\s+/).filter(Boolean);

/**
 * The visible text of the page (menu, header, content, open dialogs) without this test's own data
 * and without content marked translate="no" (the shop's own WhatsApp messages, which are in the
 * language the shop writes them in).
 */
/** What the shop itself named (customers, plans, routers, …): user data, in whatever language. */
let userData = [];
async function loadUserData(page) {
  const lists = [
    ['/api/customers?limit=500', (c) => [c.name, c.address]],
    ['/api/plans?limit=500', (p) => [p.name, p.speed_label, p.router_profile]],
    ['/api/subscriptions?limit=500', (s) => [s.login, s.customer_name, s.plan_name]],
    ['/api/routers', (r) => [r.name, r.identity]],
    ['/api/vouchers/profiles', (p) => [p.name]],
    ['/api/resellers', (r) => [r.name]],
    ['/api/users', (u) => [u.username]],
  ];
  const found = [];
  for (const [path, pick] of lists) {
    const res = await apiCall(page, 'GET', path);
    const items = Array.isArray(res.body) ? res.body : res.body?.items ?? [];
    for (const item of items) found.push(...pick(item));
  }
  const business = await apiCall(page, 'GET', '/api/settings/business');
  if (business.body) found.push(business.body.name, business.body.address);
  userData = [...new Set(found.filter((v) => typeof v === 'string' && v.trim().length >= 3))].sort((a, b) => b.length - a.length);
}

async function visibleText(page) {
  let [text, kept] = await page.evaluate(() => [
    document.body.innerText,
    [...document.querySelectorAll('[translate="no"]')].map((e) => e.innerText).filter(Boolean),
  ]);
  for (const value of kept.sort((a, b) => b.length - a.length)) text = text.split(value).join(' ');
  for (const value of [...Object.values(DATA), ...userData]) text = text.split(value).join(' ');
  // Template placeholders ({{password}}, {{#password}}…{{/password}}, #password) are names the
  // owner types into a template, not words to translate.
  return text.replace(/\{\{[^}]*\}\}/g, ' ').replace(/[#/][\p{L}_]+/gu, ' ');
}

/** The listed words found in `text`, each with a little context; and raw cron patterns. */
function wrongWords(text, words) {
  const found = [];
  for (const m of text.matchAll(/(?:^|\s)((?:[\d*/,-]+ ){4,5}[\d*/,-]+)(?=\s|$)/gm)) found.push(`a cron pattern "${m[1]}"`);
  const set = new Set(words);
  for (const line of text.split('\n')) {
    // Names the owner types as they are (MIKROBILL_SECRETS_KEY, secrets.key_file) are neither
    // language: an identifier with an underscore or a dot between letters is skipped whole.
    const words = line.split(/\s+/).filter((chunk) => !/[\p{L}\d]_[\p{L}\d]|\p{L}\.\p{L}/u.test(chunk));
    for (const token of words.join(' ').split(/[^\p{L}]+/u)) {
      if (token && set.has(token.toLowerCase())) found.push(`"${token}" in "${line.trim().slice(0, 120)}"`);
    }
  }
  return [...new Set(found)];
}

/** Waits until no loader spins and the page has settled. */
async function settled(page) {
  await page.locator('.mantine-Loader').first().waitFor({ state: 'detached', timeout: 15_000 }).catch(() => undefined);
  await page.waitForTimeout(400);
}

async function logIn(page) {
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await page.getByLabel(T.username, { exact: true }).fill(username);
  await page.getByLabel(T.password, { exact: true }).fill(password);
  await page.getByRole('button', { name: T.loginSubmit, exact: true }).click();
  const refused = page.getByTestId('form-error');
  const nav = page.getByRole('navigation').getByRole('link', { name: T.navDashboard, exact: true });
  await visible(nav.or(refused).first());
  if (await refused.isVisible()) throw new Error(`login refused: "${(await refused.innerText()).trim()}"`);
}

/**
 * Every page of the menu (paths), as the signed-in owner sees it, with the sections an area
 * shows as links on its own pages (the voucher sections).
 */
async function menuPaths(page) {
  const hrefs = await page.getByRole('navigation').locator('a[href]').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  const paths = new Set(hrefs.filter((h) => h && h.startsWith('/')));
  for (const path of [...paths]) {
    await page.goto(new URL(path.slice(1), url).toString(), { waitUntil: 'domcontentloaded' });
    await visible(page.getByRole('navigation').first());
    const sections = await page.locator('[data-section-nav] a[href]').evaluateAll((links) => links.map((a) => new URL(a.href).pathname));
    for (const section of sections) paths.add(section);
  }
  return [...paths];
}

/** Visits every page and tab; returns the wrong words found, by page. */
async function sweep(page, paths, words, lang) {
  const problems = [];
  for (const path of paths) {
    await page.goto(new URL(path.slice(1), url).toString(), { waitUntil: 'domcontentloaded' });
    await visible(page.getByRole('navigation').first());
    await settled(page);
    const found = wrongWords(await visibleText(page), words);
    if (found.length) problems.push(`${path}: ${found.join('; ')}`);
    const tabs = page.getByRole('tab');
    const count = await tabs.count();
    for (let i = 1; i < count; i += 1) {
      const tab = tabs.nth(i);
      if (!(await tab.isVisible()) || (await tab.isDisabled())) continue;
      const label = (await tab.innerText()).trim();
      await tab.click();
      await settled(page);
      const inTab = wrongWords(await visibleText(page), words);
      if (inTab.length) problems.push(`${path} [${label}]: ${inTab.join('; ')}`);
    }
  }
  if (lang === 'id') await shot(page, '05-last-page-id.png');
  return problems;
}

async function main() {
  const page = await open({ viewport: { width: 1366, height: 768 } });
  const api = (method, path, body) => apiCall(page, method, path, body);

  await step(page, 'the home screen lists what to set up, each step linking to where it is done', async () => {
    await logIn(page);
    const card = page.getByTestId('setup-checklist');
    await visible(card);
    await expectText(card, T.checklistTitle, 'checklist title');
    const items = card.locator('[data-testid^="checklist-"][data-done]');
    await poll(() => items.count(), (n) => n === 6, (n) => `expected 6 steps, saw ${n}`);
    for (const key of ['business_profile', 'public_address', 'payment_method', 'whatsapp', 'router', 'backup']) {
      const done = await card.getByTestId(`checklist-${key}`).getAttribute('data-done');
      if (key !== 'backup' && done !== 'false') throw new Error(`${key} is done on a fresh shop`);
    }
    await expectText(card.getByTestId('checklist-public_address'), 'Belum ada alamat publik', 'public address step');
    await shot(page, '01-checklist-id.png');
    await card.getByTestId('checklist-link-public_address').click();
    await page.waitForURL(/\/settings\?tab=public/);
    await visible(page.getByRole('tab', { name: T.publicTab, selected: true }));
  });

  await step(page, 'a backup made: its step is done', async () => {
    const made = await api('POST', '/api/backups/create');
    if (made.status !== 200) throw new Error(`backup: ${made.status} ${made.text}`);
    await page.getByRole('navigation').getByRole('link', { name: T.navDashboard, exact: true }).click();
    const backup = page.getByTestId('checklist-backup');
    await poll(() => backup.getAttribute('data-done'), (d) => d === 'true', (d) => `backup step done=${d}`);
    await expectText(backup, 'Cadangan sudah dibuat', 'backup step text');
    await expectText(page.getByTestId('setup-checklist-progress'), '1 dari 6 selesai', 'progress');
  });

  await step(page, 'data for the logs: a customer, a refused sign-in, the daily billing run', async () => {
    const plan = await api('POST', '/api/plans', { name: DATA.plan, price: 150000, kind: 'pppoe', router_profile: 'default', speed_label: '10M' });
    if (plan.status !== 201) throw new Error(`plan: ${plan.status} ${plan.text}`);
    const customer = await api('POST', '/api/customers', { name: DATA.customer, phone: DATA.phone });
    if (customer.status !== 201) throw new Error(`customer: ${customer.status} ${customer.text}`);
    const refused = await page.evaluate(async (stranger) => (await fetch('/api/auth/login', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: stranger, password: 'salah-salah-salah' }),
    })).status, DATA.stranger);
    if (refused !== 401) throw new Error(`a wrong sign-in answered ${refused}`);
    // A WhatsApp session nothing answers for: a problem on the health page.
    const session = await api('POST', '/api/whatsapp/sessions', {
      name: DATA.session, provider: 'fonnte', base_url: 'http://127.0.0.1:9', token: 'tkn-123456',
    });
    if (session.status !== 201) throw new Error(`session: ${session.status} ${session.text}`);
    const run = await api('POST', '/api/jobs/billing/run');
    if (run.status !== 200 || !run.body?.ok) throw new Error(`billing job: ${run.status} ${run.text}`);
  });

  await step(page, 'Kesehatan sistem opens with its problems, agreeing with the headline', async () => {
    await page.goto(new URL('monitoring', url).toString(), { waitUntil: 'domcontentloaded' });
    const problems = page.getByTestId('health-problems');
    await visible(problems);
    const count = Number(await problems.getAttribute('data-count'));
    // At least the WhatsApp session nothing answers for.
    if (!(count >= 1)) throw new Error(`expected problems, saw ${count}`);
    const statuses = await problems.locator('[data-status]').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
    const worst = statuses.includes('down') ? 'down' : statuses.includes('warning') ? 'warning' : 'ok';
    const headline = await page.getByTestId('health-overall').getAttribute('data-status');
    if (headline !== worst) throw new Error(`headline ${headline}, worst problem ${worst}`);
    const items = problems.locator('[data-testid^="health-problem-"][data-code]');
    const n = await items.count();
    if (n !== count) throw new Error(`${count} problems announced, ${n} listed`);
    for (let i = 0; i < n; i += 1) await expectText(items.nth(i), T.whatToDo, `problem ${i + 1} says what to do`);
    await expectText(problems, `WhatsApp: ${DATA.session}`, 'the WhatsApp problem');
    const box = await problems.boundingBox();
    if (!box || box.y > 400) throw new Error(`the problems start at y=${box?.y}, not at the top`);
    const database = await page.getByRole('heading', { name: 'Basis data', exact: true }).boundingBox();
    if (!database || database.y < box.y) throw new Error('the problems are not above the panels');
    if (await page.getByText('Semua berjalan normal', { exact: false }).count()) {
      throw new Error('the page still says everything runs normally while it lists problems');
    }
    await shot(page, '02-health-full-id.png');
    // The secret storage row has a name, and job results and schedules read as words.
    await expectText(page.getByTestId('health-secrets-secrets'), 'Penyimpanan rahasia', 'secrets row');
    await expectText(page.getByTestId('job-billing'), 'setiap hari 00.05', 'billing schedule');
    await expectText(page.getByTestId('job-payments_check'), 'setiap 5 menit', 'payments check schedule');
    await expectText(page.getByTestId('job-result-billing'), 'Tagihan diterbitkan: 0', 'billing result');
  });

  await step(page, 'the security and activity logs read as sentences', async () => {
    await page.goto(new URL('security', url).toString(), { waitUntil: 'domcontentloaded' });
    await expectText(page.getByTestId('security-detail'), 'Masuk ditolak: nama pengguna tidak dikenal', 'security reason');
    await page.goto(new URL('audit', url).toString(), { waitUntil: 'domcontentloaded' });
    await expectText(page.getByTestId('activity-sentence').filter({ hasText: DATA.customer }), `menambahkan pelanggan ${DATA.customer}`, 'activity sentence');
    await shot(page, '03-activity-id.png');
  });

  await step(page, 'a failed router connection test says what is wrong in Indonesian only', async () => {
    const router = await api('POST', '/api/routers', { name: DATA.router, host: '127.0.0.1', port: 9, api_user: 'admin', password: '' });
    if (router.status !== 201) throw new Error(`router: ${router.status} ${router.text}`);
    await page.goto(new URL('routers', url).toString(), { waitUntil: 'domcontentloaded' });
    await page.getByRole('button', { name: 'Tes koneksi' }).first().click();
    const result = page.getByTestId('router-test-result');
    await visible(result);
    await poll(() => result.getAttribute('data-ok'), (ok) => ok === 'false', (ok) => `test result ok=${ok}`);
    // Winbox's own menu and field names ('Available From') are quoted: names, not words.
    const found = wrongWords((await result.innerText()).replace(/'[^'\n]*'/g, ' '), ENGLISH);
    await shot(page, '06-router-test-id.png');
    if (found.length) throw new Error(`English in the connection test: ${found.join('; ')}`);
    await page.keyboard.press('Escape');
  });

  let paths = [];
  await step(page, 'no English on any page in Indonesian', async () => {
    paths = await menuPaths(page);
    await loadUserData(page);
    if (paths.length < 10) throw new Error(`only ${paths.length} pages in the menu: ${paths.join(', ')}`);
    const problems = await sweep(page, paths, ENGLISH, 'id');
    if (problems.length) throw new Error(`English in the Indonesian dashboard:\n  ${problems.join('\n  ')}`);
  });

  await step(page, 'no Indonesian on any page in English', async () => {
    await page.evaluate(() => localStorage.setItem('mikrobill.lang', 'en'));
    await page.reload({ waitUntil: 'domcontentloaded' });
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    const problems = await sweep(page, paths, INDONESIAN, 'en');
    await page.goto(new URL('monitoring', url).toString(), { waitUntil: 'domcontentloaded' });
    await visible(page.getByTestId('health-problems'));
    await shot(page, '04-health-en.png');
    await page.evaluate(() => localStorage.setItem('mikrobill.lang', 'id'));
    if (problems.length) throw new Error(`Indonesian in the English dashboard:\n  ${problems.join('\n  ')}`);
  });
}

await run(main);
