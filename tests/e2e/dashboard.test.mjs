#!/usr/bin/env node
// Browser test of the dashboard shell against a running mikrobill admin listener.
//
//   MIKROBILL_URL=http://127.0.0.1:7878/ MIKROBILL_USERNAME=owner \
//   MIKROBILL_PASSWORD='correct horse battery' node tests/e2e/dashboard.test.mjs
//
// Flow: first-run wizard (if the server has no user yet: language → database (local) → owner
// account → ISP profile with time zone (WITA saved: the restart notice shows; then back to WIB,
// the zone the later browser tests count in) and currency
// → first router, whose connection test to a closed port is explained in plain words, then
// skipped → sample data ticked → done, the sample customers listed) → log out → log in →
// dashboard (Indonesian) with database up → switch to English → reload keeps English →
// wrong password on a fresh context shows the error. Screenshots go to tests/e2e/artifacts/.
// Needs playwright-core (root package.json) and Debian's chromium (CHROMIUM_PATH to override).
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { apiCall } from './harness.mjs';

const STEP_TIMEOUT_MS = 15_000;
// Locator waits give up a little earlier than the step, so their message (naming what was
// awaited) is the one reported.
const WAIT_TIMEOUT_MS = 12_000;
const here = dirname(fileURLToPath(import.meta.url));
const artifacts = join(here, 'artifacts');
mkdirSync(artifacts, { recursive: true });

const url = process.env.MIKROBILL_URL ?? 'http://127.0.0.1:7878/';
const username = process.env.MIKROBILL_USERNAME;
const password = process.env.MIKROBILL_PASSWORD;
if (!username || !password) {
  console.error('FAIL: set MIKROBILL_USERNAME and MIKROBILL_PASSWORD (and MIKROBILL_URL)');
  process.exit(2);
}

// Texts the UI shows (ui/src/i18n/id.json and en.json).
const ID = {
  acceptGatewayAmount: 'Terima jumlah yang dibayar lewat gateway',
  setupTitle: 'Selamat datang di mikrobill',
  setupSubmit: 'Buat akun pemilik',
  wizardNext: 'Lanjut',
  dbLocal: 'Di komputer ini (disarankan)',
  wizardSkip: 'Lewati dulu',
  wizardOpenDashboard: 'Buka dasbor',
  profileName: 'Nama usaha',
  timezone: 'Zona waktu',
  currency: 'Mata uang',
  wita: 'WITA (Asia/Makassar)',
  wib: 'WIB (Asia/Jakarta)',
  idr: 'IDR (Rupiah)',
  sampleSwitch: 'Isi data contoh',
  sampleCustomer: 'Budi Santoso (contoh)',
  save: 'Simpan',
  routerHost: 'Alamat (IP atau nama host)',
  routerPort: 'Port API',
  routerTest: 'Simpan dan tes koneksi',
  apiDisabled: 'layanan API-nya kemungkinan mati',
  loginSubmit: 'Masuk',
  loginTitle: 'Masuk ke mikrobill',
  username: 'Nama pengguna',
  password: 'Kata sandi',
  passwordConfirm: 'Ulangi kata sandi',
  customers: 'Pelanggan',
  home: 'Dasbor',
  logout: 'Keluar',
  dbUp: 'Basis data aktif',
  loginFailed: 'Nama pengguna atau kata sandi salah.',
};
const EN = { language: 'EN', customers: 'Customers', dbUp: 'Database is up' };

const results = [];
const consoleErrors = [];
let browser;

function withTimeout(promise, name) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`step "${name}" timed out after ${STEP_TIMEOUT_MS / 1000} s`)),
      STEP_TIMEOUT_MS,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function step(page, name, fn) {
  const started = Date.now();
  try {
    await withTimeout(fn(), name);
    results.push({ name, ok: true });
    console.log(`ok - ${name} (${Date.now() - started} ms)`);
  } catch (err) {
    results.push({ name, ok: false });
    console.log(`not ok - ${name}`);
    const shot = join(artifacts, `failure-${name.replace(/[^a-z0-9]+/gi, '-')}.png`);
    await page?.screenshot({ path: shot, fullPage: true }).catch(() => undefined);
    throw new Error(`step "${name}" failed: ${err instanceof Error ? err.message : err}\n  screenshot: ${shot}`);
  }
}

async function shot(page, file) {
  await page.screenshot({ path: join(artifacts, file), fullPage: true });
}

async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'id-ID' });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_TIMEOUT_MS);
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => consoleErrors.push(String(err)));
  return page;
}

const visible = (locator) => locator.waitFor({ state: 'visible' });

async function assertDashboard(page, texts) {
  await visible(page.getByRole('link', { name: texts.customers, exact: true }));
  const db = page.getByTestId('db-status');
  await visible(db.filter({ hasText: texts.dbUp }));
  const status = await db.getAttribute('data-status');
  if (status !== 'ok') throw new Error(`health card says database "${status}", expected "ok"`);
  // The summary shows real figures (a fresh installation has 0 active customers, Rp 0 owed).
  await visible(page.getByTestId('summary-customers').filter({ hasText: /\d/ }));
  await visible(page.getByTestId('summary-unpaid').filter({ hasText: 'Rp' }));
}

async function fillLogin(page, pass) {
  await page.getByLabel(ID.username, { exact: true }).fill(username);
  await page.getByLabel(ID.password, { exact: true }).fill(pass);
  await page.getByRole('button', { name: ID.loginSubmit, exact: true }).click();
}

async function main() {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await newPage();
  let screen = 'unknown';

  await step(page, 'open the app', async () => {
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    const setup = page.getByRole('heading', { name: ID.setupTitle, exact: true });
    const login = page.getByRole('button', { name: ID.loginSubmit, exact: true });
    await visible(setup.or(login));
    screen = (await setup.isVisible()) ? 'setup' : 'login';
    await shot(page, `01-first-screen-${screen}.png`);
    console.log(`# first screen: ${screen}`);
  });

  if (screen === 'setup') {
    await step(page, 'wizard: language, local database, then the owner account', async () => {
      await page.getByRole('button', { name: ID.wizardNext, exact: true }).click();
      await visible(page.getByRole('radio', { name: ID.dbLocal }));
      await page.getByRole('button', { name: ID.wizardNext, exact: true }).click();
      await page.getByLabel(ID.username, { exact: true }).fill(username);
      await page.getByLabel(ID.password, { exact: true }).fill(password);
      await page.getByLabel(ID.passwordConfirm, { exact: true }).fill(password);
      await page.getByRole('button', { name: ID.setupSubmit, exact: true }).click();
      await visible(page.getByLabel(ID.profileName, { exact: true }));
      await shot(page, '02-wizard-profile.png');
    });

    await step(page, 'wizard: ISP profile saved with time zone and currency', async () => {
      await page.getByLabel(ID.profileName, { exact: true }).fill('RT/RW Net Uji');
      // The zone select is searchable: typing narrows it to the Indonesian zone.
      const zone = page.getByRole('textbox', { name: ID.timezone, exact: true });
      await zone.click();
      await zone.fill('Makassar');
      await page.getByRole('option', { name: ID.wita, exact: true }).click();
      await page.getByRole('textbox', { name: ID.currency, exact: true }).click();
      await page.getByRole('option', { name: ID.idr, exact: true }).click();
      await page.getByRole('button', { name: ID.save, exact: true }).click();
      // Saved, and the app says the new zone applies from the next start.
      await visible(page.getByTestId('timezone-restart').filter({ hasText: 'Asia/Makassar' }));
      await shot(page, '02-wizard-profile-timezone.png');
      const saved = (await apiCall(page, 'GET', '/api/settings/business')).body;
      if (saved.timezone !== 'Asia/Makassar' || saved.currency !== 'IDR' || saved.timezone_in_use !== 'Asia/Jakarta') {
        throw new Error(`profile after save: ${JSON.stringify({ tz: saved.timezone, cur: saved.currency, in_use: saved.timezone_in_use })}`);
      }
      // Back to WIB (the zone in use): the notice goes away.
      await zone.click();
      await zone.fill('Jakarta');
      await page.getByRole('option', { name: ID.wib, exact: true }).click();
      await page.getByRole('button', { name: ID.save, exact: true }).click();
      await page.getByTestId('timezone-restart').waitFor({ state: 'detached' });
      if ((await apiCall(page, 'GET', '/api/settings/business')).body.timezone !== 'Asia/Jakarta') throw new Error('WIB was not saved');
      // On by default: a gateway payment of another amount is applied for what came in.
      const accept = page.getByRole('switch', { name: ID.acceptGatewayAmount });
      if (!(await accept.isChecked())) throw new Error('accepting the gateway amount is not on by default');
      for (const on of [false, true]) {
        await accept.setChecked(on);
        await page.getByRole('button', { name: ID.save, exact: true }).click();
        const deadline = Date.now() + 10_000;
        while ((await apiCall(page, 'GET', '/api/settings/business')).body.accept_gateway_amount !== on) {
          if (Date.now() > deadline) throw new Error(`accept_gateway_amount was not saved as ${on}`);
          await page.waitForTimeout(200);
        }
      }
      await page.getByRole('button', { name: ID.wizardNext, exact: true }).click();
      await visible(page.getByLabel(ID.routerHost, { exact: true }));
    });

    await step(page, 'wizard: a closed API port is explained, then skipped', async () => {
      await page.getByLabel(ID.routerHost, { exact: true }).fill('127.0.0.1');
      // Port 1 on this machine: nothing listens, so the connection is refused.
      await page.getByLabel(ID.routerPort, { exact: true }).fill('1');
      await page.getByRole('button', { name: ID.routerTest, exact: true }).click();
      const problem = page.getByTestId('router-test-problem');
      await visible(problem);
      const kind = await problem.getAttribute('data-problem');
      if (kind !== 'api_disabled') throw new Error(`expected problem api_disabled, got ${kind}`);
      const text = await problem.innerText();
      if (!text.includes(ID.apiDisabled)) throw new Error(`the explanation does not say "${ID.apiDisabled}": ${text}`);
      await shot(page, '02-wizard-router-problem.png');
      await page.getByRole('button', { name: ID.wizardSkip, exact: true }).click();
      await visible(page.getByRole('switch', { name: ID.sampleSwitch }));
    });

    await step(page, 'wizard: sample data filled in, then the sample customers are listed', async () => {
      await page.getByRole('switch', { name: ID.sampleSwitch }).check({ force: true });
      await page.getByRole('button', { name: ID.wizardNext, exact: true }).click();
      await visible(page.getByTestId('sample-data-done').filter({ hasText: '8 pelanggan' }));
      await shot(page, '02-wizard-sample-data.png');
      await page.getByRole('button', { name: ID.wizardOpenDashboard, exact: true }).click();
      await assertDashboard(page, ID);
      await shot(page, '02-after-setup.png');
      await page.getByRole('link', { name: ID.customers, exact: true }).click();
      await visible(page.getByText(ID.sampleCustomer, { exact: true }).first());
      await shot(page, '02-sample-customers.png');
      // Back home, so the next login lands on the dashboard again.
      await page.getByRole('link', { name: ID.home, exact: true }).click();
      await assertDashboard(page, ID);
    });

    await step(page, 'log out through the user menu', async () => {
      await page.getByRole('button', { name: username, exact: true }).click();
      await page.getByRole('menuitem', { name: ID.logout, exact: true }).click();
      await visible(page.getByRole('heading', { name: ID.loginTitle, exact: true }));
      await shot(page, '03-logged-out.png');
    });
  }

  await step(page, 'log in and see the dashboard in Indonesian', async () => {
    await fillLogin(page, password);
    const alert = page.getByRole('alert');
    await visible(page.getByRole('link', { name: ID.customers, exact: true }).or(alert));
    if (await alert.isVisible()) {
      throw new Error(`login was refused: "${(await alert.innerText()).trim()}" (check MIKROBILL_USERNAME/MIKROBILL_PASSWORD)`);
    }
    await assertDashboard(page, ID);
    const lang = await page.evaluate(() => document.documentElement.lang);
    if (lang !== 'id') throw new Error(`<html lang> is "${lang}", expected "id"`);
    await shot(page, '04-dashboard-id.png');
  });

  await step(page, 'switch the language to English', async () => {
    await page.getByRole('button', { name: EN.language, exact: true }).click();
    await assertDashboard(page, EN);
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await shot(page, '05-dashboard-en.png');
  });

  await step(page, 'English persists after a reload', async () => {
    await page.reload({ waitUntil: 'domcontentloaded' });
    await assertDashboard(page, EN);
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await shot(page, '06-reload-en.png');
  });

  const fresh = await newPage();
  await step(fresh, 'a wrong password shows an error', async () => {
    await fresh.goto(url, { waitUntil: 'domcontentloaded' });
    await visible(fresh.getByRole('heading', { name: ID.loginTitle, exact: true }));
    await fillLogin(fresh, `${password}-wrong`);
    await visible(fresh.getByRole('alert').filter({ hasText: ID.loginFailed }));
    if (await fresh.getByRole('link', { name: ID.customers, exact: true }).isVisible()) {
      throw new Error('the dashboard opened with a wrong password');
    }
    await shot(fresh, '07-wrong-password.png');
  });
}

let failure;
try {
  await main();
} catch (err) {
  failure = err;
} finally {
  await browser?.close().catch(() => undefined);
}

const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
if (failure) {
  console.error(`\nFAIL: ${failure instanceof Error ? failure.message : failure}`);
  if (consoleErrors.length) console.error(`browser console errors:\n  ${consoleErrors.join('\n  ')}`);
}
console.log(`screenshots: ${artifacts}`);
console.log(`${passed} passed, ${failure ? Math.max(failed, 1) : 0} failed`);
process.exit(failure ? 1 : 0);
