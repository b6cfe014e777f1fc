#!/usr/bin/env node
// Browser test of the hotspot voucher and reseller screens against a running mikrobill admin
// listener whose owner already exists, with a RouterOS simulator (`mikrobill routeros-sim`) at
// ROUTEROS_SIM_ADDR. After routers.test.mjs the simulator is already the only router; run alone,
// the test adds it through the API first (a setup step, not what is under test).
//
//   ROUTEROS_SIM_ADDR=127.0.0.1:18728 MIKROBILL_URL=http://127.0.0.1:7878/ \
//   MIKROBILL_USERNAME=owner MIKROBILL_PASSWORD='correct horse battery' node tests/e2e/vouchers.test.mjs
//
// Flow: log in → Voucher › Profil: "Tambah profil" (Rp 5.000, 1 hari, 1 GB, 2M/5M) shows "1 hari"
// → Voucher › Buat voucher: a batch of 20 shows its progress bar until "Siap" → "Lihat voucher"
// lists 20 "Belum dipakai" and a code opens its use ("Belum pernah dipakai") → Voucher ›
// Reseller: "Tambah reseller" (10 %), "Deposit / tarik" Rp 100.000 → a batch of 10 for them
// (Rp 45.000 from the deposit) → the reseller row shows Rp 55.000 and stock 10 → log out, log
// in as the reseller: only "Saldo & stok", "Voucher saya", "Penjualan saya" in the menu, their
// balance Rp 55.000, stock 10, their one batch, 10 vouchers, no staff request answered 403 and a
// staff address leads back home. Printing (staff and reseller) and the print-template editor are
// checked too. Screenshots: tests/e2e/artifacts/vouchers-*.png.
import { join } from 'node:path';
import { apiCall, artifacts, harness, visible } from './harness.mjs';

const { url, username, password, step, open, run, shot, expectText, waitTimeoutMs } = harness('vouchers', {
  stepTimeoutMs: 45_000, waitTimeoutMs: 20_000, needs: ['ROUTEROS_SIM_ADDR'],
});
const simMatch = /^(.+):(\d+)$/.exec(process.env.ROUTEROS_SIM_ADDR);
if (!simMatch) {
  console.error('FAIL: set ROUTEROS_SIM_ADDR=host:port');
  process.exit(2);
}
const [, simHost, simPort] = simMatch;

const suffix = Date.now().toString(36);
const profileName = `Voucher Uji ${suffix}`;
const resellerName = `Warung Uji ${suffix}`;
const resellerLogin = `rs-${suffix}`;
const resellerPassword = 'reseller-aman-123';

// Texts the UI shows (ui/src/i18n/id.json).
const T = {
  loginSubmit: 'Masuk', username: 'Nama pengguna', password: 'Kata sandi', logout: 'Keluar', loginTitle: 'Masuk ke mikrobill',
  navVouchers: 'Voucher', navProfiles: 'Profil', navBatches: 'Buat voucher', navList: 'Daftar voucher',
  navSales: 'Penjualan', navResellers: 'Reseller', navTemplates: 'Template cetak',
  navLabel: 'Navigasi utama', voucherSections: 'Bagian voucher',
  navCustomers: 'Pelanggan', navRouters: 'Router', navDashboard: 'Dasbor',
  navResellerHome: 'Saldo & stok', navResellerVouchers: 'Voucher saya', navResellerSales: 'Penjualan saya',
  addProfile: 'Tambah profil', profileName: 'Nama profil', price: 'Harga jual', validity: 'Masa berlaku',
  quota: 'Kuota data', rateLimit: 'Batas kecepatan', save: 'Simpan', oneDay: '1 hari',
  profile: 'Profil', count: 'Jumlah voucher', reseller: 'Reseller', createBatch: 'Buat voucher',
  ready: 'Siap', showVouchers: 'Lihat voucher', unused: 'Belum dipakai', status: 'Status', neverUsed: 'Belum pernah dipakai',
  addReseller: 'Tambah reseller', resellerName: 'Nama', resellerUser: 'Nama pengguna', resellerPassword: 'Kata sandi',
  commission: 'Komisi', deposit: 'Deposit / tarik', amount: 'Jumlah',
  balance: 'Saldo deposit', stock: 'Stok voucher', print: 'Cetak', checkNow: 'Periksa sekarang',
};

/** Whether the server has an endpoint: a missing one answers 404 "no API route …" (or 405). */
function routeExists(answer) {
  if (answer.status === 405) return false;
  return !(answer.status === 404 && String(answer.body?.error?.message ?? '').startsWith('no API route'));
}

async function logIn(page, user, pass, landmark) {
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await page.getByLabel(T.username, { exact: true }).fill(user);
  await page.getByLabel(T.password, { exact: true }).fill(pass);
  await page.getByRole('button', { name: T.loginSubmit, exact: true }).click();
  const refused = page.getByTestId('form-error');
  await visible(landmark.or(refused).first());
  if (await refused.isVisible()) throw new Error(`login refused: "${(await refused.innerText()).trim()}"`);
}

/** Opens a section of the "Voucher" area: "Voucher" in the menu, then the section's tab. */
async function openSection(page, name) {
  const tabs = page.getByRole('navigation', { name: T.voucherSections, exact: true });
  if (!(await tabs.isVisible())) {
    await page.getByRole('navigation', { name: T.navLabel, exact: true }).getByRole('link', { name: T.navVouchers, exact: true }).click();
  }
  await tabs.getByRole('link', { name, exact: true }).click();
}

/** Fills and submits "Buat voucher"; returns the progress card once the batch is done. */
async function createBatch(page, count, reseller) {
  await openSection(page, T.navBatches);
  const form = page.getByRole('form', { name: 'Buat batch voucher' });
  await visible(form);
  const profileSelect = form.getByLabel(T.profile, { exact: true });
  const option = profileSelect.locator('option', { hasText: profileName });
  await profileSelect.selectOption(await option.getAttribute('value'));
  await form.getByLabel(T.count, { exact: true }).fill(String(count));
  if (reseller) {
    const resellerSelect = form.getByLabel(T.reseller, { exact: true });
    const r = resellerSelect.locator('option', { hasText: reseller });
    await resellerSelect.selectOption(await r.getAttribute('value'));
    await expectText(page.getByTestId('batch-cost'), 'Rp 45.000', 'cost from the deposit');
  }
  const routerSelect = form.getByLabel(T.navRouters, { exact: true });
  if (await routerSelect.isVisible()) {
    // More than one router (a re-run next to other tests): the simulator is the one at simPort.
    const routers = (await apiCall(page, 'GET', '/api/routers')).body.items;
    const sim = routers.find((r) => String(r.port) === simPort && r.host === simHost);
    await routerSelect.selectOption(sim.id);
  }
  await form.getByRole('button', { name: T.createBatch, exact: true }).click();
  const progress = page.getByTestId('batch-progress');
  await visible(progress);
  const seen = new Set([await progress.getAttribute('data-status')]);
  const deadline = Date.now() + waitTimeoutMs;
  while (!['ready', 'failed'].includes(await progress.getAttribute('data-status'))) {
    if (Date.now() > deadline) throw new Error('the batch did not finish');
    seen.add(await progress.getAttribute('data-status'));
    await new Promise((r) => setTimeout(r, 100));
  }
  if ((await progress.getAttribute('data-status')) === 'failed') {
    throw new Error(`batch failed: ${await page.getByTestId('batch-failed').innerText()}`);
  }
  await expectText(page.getByTestId('batch-progress-status'), T.ready, 'batch status');
  await expectText(page.getByTestId('batch-progress-count'), `${count} dari ${count} voucher`, 'progress count');
  if ((await page.getByRole('progressbar').first().getAttribute('aria-valuenow')) !== '100') {
    throw new Error('the progress bar is not full');
  }
  console.log(`  batch states seen: ${[...seen].join(' → ')} → ready`);
  return progress;
}

async function main() {
  const page = await open();
  const context = page.context();
  let staffBatchId = null;
  let printAvailable = false;

  await step(page, 'log in as the owner', async () => {
    await logIn(page, username, password, page.getByRole('link', { name: T.navCustomers, exact: true }));
  });

  await step(page, 'a router exists (the simulator)', async () => {
    const routers = await apiCall(page, 'GET', '/api/routers');
    if (routers.status !== 200) throw new Error(`GET /api/routers: ${routers.status}`);
    if (routers.body.items.length > 0) return;
    const added = await apiCall(page, 'POST', '/api/routers', {
      name: `Simulator ${suffix}`, host: simHost, port: Number(simPort), api_user: 'admin',
      password: process.env.ROUTEROS_SIM_PASSWORD ?? '',
    });
    if (added.status !== 201 && added.status !== 200) throw new Error(`adding the simulator: ${added.status} ${added.text}`);
  });

  await step(page, 'Voucher › Profil: a new profile shows its limits in words', async () => {
    await openSection(page, T.navProfiles);
    await page.getByRole('button', { name: T.addProfile, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Tambah profil' });
    await dialog.getByLabel(T.profileName, { exact: true }).fill(profileName);
    await dialog.getByLabel(T.price, { exact: true }).fill('5000');
    await dialog.getByLabel(T.validity, { exact: true }).fill('1');
    if ((await dialog.getByLabel(`Satuan ${T.validity}`, { exact: true }).inputValue()) !== 'day') {
      throw new Error('the validity unit is not "hari" by default');
    }
    await dialog.getByLabel(T.quota, { exact: true }).fill('1');
    await dialog.getByLabel(T.rateLimit, { exact: true }).fill('2M/5M');
    await dialog.getByRole('button', { name: T.save, exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByRole('row').filter({ hasText: profileName });
    await visible(row);
    await expectText(row, 'Rp 5.000', 'price');
    await expectText(row.getByTestId('profile-validity'), T.oneDay, 'validity');
    await expectText(row, '1 GB', 'quota');
    await shot(page, '01-profile.png');
  });

  await step(page, 'Voucher › Buat voucher: 20 vouchers with a progress bar until ready', async () => {
    await createBatch(page, 20);
    await shot(page, '02-batch-ready.png');
    const row = page.getByTestId('batch-row').filter({ hasText: profileName }).first();
    await expectText(row.getByTestId('batch-status-counts'), `20 ${T.unused.toLowerCase()}`, 'batch row');
  });

  await step(page, '"Lihat voucher": 20 unused vouchers; a code opens its use', async () => {
    await page.getByTestId('batch-ready').getByRole('link', { name: T.showVouchers, exact: true }).click();
    staffBatchId = new URL(page.url()).searchParams.get('batch_id');
    if (!staffBatchId) throw new Error(`no batch filter in ${page.url()}`);
    await page.getByLabel(T.status, { exact: true }).selectOption('unused');
    await expectText(page.getByText(/^\d+ data$/), '20 data', 'count');
    const rows = page.getByTestId('voucher-row');
    if ((await rows.count()) !== 20) throw new Error(`${await rows.count()} rows`);
    if ((await page.locator('[data-testid="voucher-row"][data-status="unused"]').count()) !== 20) {
      throw new Error('not every voucher is unused');
    }
    await shot(page, '03-list.png');
    await rows.first().getByRole('button').click();
    const dialog = page.getByRole('dialog');
    await expectText(dialog.getByTestId('usage-first-login'), T.neverUsed, 'first login');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: T.checkNow, exact: true }).click();
    await visible(page.getByTestId('monitor-report'));
  });

  const printProbe = await apiCall(page, 'GET', `/api/vouchers/print?batch_id=${staffBatchId}&template=default&format=html&only_unused=true`);
  printAvailable = routeExists(printProbe);
  if (!printAvailable) throw new Error(`GET /api/vouchers/print answers ${printProbe.status}`);
  if (printAvailable) {
    await step(page, '"Cetak" opens the printable cards in a new window', async () => {
      await openSection(page, T.navBatches);
      const row = page.getByTestId('batch-row').filter({ hasText: profileName }).first();
      await row.getByRole('button', { name: /^Cetak batch/ }).click();
      const dialog = page.getByRole('dialog');
      const [popup] = await Promise.all([
        context.waitForEvent('page'),
        dialog.getByRole('button', { name: T.print, exact: true }).click(),
      ]);
      await popup.waitForLoadState('load');
      const code = (await apiCall(page, 'GET', `/api/vouchers?batch_id=${staffBatchId}&per_page=1`)).body.items[0].code;
      await expectText(popup.locator('body'), code, 'printed cards');
      await popup.screenshot({ path: join(artifacts, 'vouchers-04-print.png'), fullPage: false });
      await popup.close();
      await page.keyboard.press('Escape');
    });
  } else {
    throw new Error(`GET /api/vouchers/print answers ${printProbe.status}`);
  }

  const templateProbe = await apiCall(page, 'GET', '/api/vouchers/templates/default');
  if (routeExists(templateProbe)) {
    await step(page, 'Voucher › Template cetak: the preview beside the editor follows the typing', async () => {
      await openSection(page, T.navTemplates);
      const editor = page.getByLabel('HTML kartu', { exact: true });
      await visible(editor);
      const frame = page.getByTestId('template-preview');
      if ((await frame.getAttribute('sandbox')) !== '') throw new Error('the preview frame may run scripts');
      await editor.fill('<div class="v-code">KODE {{code}}</div><div>{{price}}</div>');
      await visible(page.frameLocator('[data-testid="template-preview"]').getByText('KODE ABC234', { exact: true }));
      await shot(page, '05-template-preview.png');
      await editor.fill('<div>{{code}} <script>alert(1)</script></div>');
      await visible(page.getByTestId('template-preview-error'));
    });

    await step(page, 'Voucher › Template cetak: a bad template is refused with the reason', async () => {
      await openSection(page, T.navTemplates);
      const editor = page.getByLabel('HTML kartu', { exact: true });
      await visible(editor);
      await editor.fill('<div>tanpa kode</div>');
      await page.getByRole('button', { name: T.save, exact: true }).click();
      await visible(page.getByTestId('form-error'));
      await shot(page, '05-template-refused.png');
    });
  } else {
    throw new Error(`GET /api/vouchers/templates/default answers ${templateProbe.status}`);
  }

  await step(page, 'Voucher › Reseller: add one with 10 % and deposit Rp 100.000', async () => {
    await openSection(page, T.navResellers);
    await page.getByRole('button', { name: T.addReseller, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: T.addReseller });
    await dialog.getByLabel(T.resellerName, { exact: true }).fill(resellerName);
    await dialog.getByLabel(T.resellerUser, { exact: true }).fill(resellerLogin);
    await dialog.getByLabel(T.resellerPassword, { exact: true }).fill(resellerPassword);
    await dialog.getByLabel(T.commission, { exact: true }).fill('10');
    await dialog.getByRole('button', { name: T.save, exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.locator(`[data-testid="reseller-row"][data-username="${resellerLogin}"]`);
    await visible(row);
    await expectText(row, '10 %', 'commission');
    await row.getByRole('button', { name: `${T.deposit} ${resellerName}`, exact: true }).click();
    const deposit = page.getByRole('dialog', { name: `Deposit reseller ${resellerName}` });
    await deposit.getByLabel(T.amount, { exact: true }).fill('100000');
    await deposit.getByRole('button', { name: T.save, exact: true }).click();
    await deposit.waitFor({ state: 'hidden' });
    await expectText(row.getByTestId('reseller-balance'), 'Rp 100.000', 'deposit');
    await shot(page, '06-reseller.png');
  });

  await step(page, 'a batch of 10 for the reseller is paid from the deposit', async () => {
    await createBatch(page, 10, resellerName);
    await openSection(page, T.navResellers);
    const row = page.locator(`[data-testid="reseller-row"][data-username="${resellerLogin}"]`);
    await expectText(row.getByTestId('reseller-balance'), 'Rp 55.000', 'deposit after the batch');
    await expectText(row.getByTestId('reseller-stock'), '10', 'stock');
  });

  await step(page, 'log out', async () => {
    await page.getByRole('button', { name: username, exact: true }).click();
    await page.getByRole('menuitem', { name: T.logout, exact: true }).click();
    await visible(page.getByRole('heading', { name: T.loginTitle, exact: true }));
  });

  const forbidden = [];
  page.on('response', (response) => {
    if (response.url().includes('/api/') && response.status() === 403) forbidden.push(response.url());
  });

  await step(page, 'the reseller sees only their balance, stock and batches', async () => {
    await logIn(page, resellerLogin, resellerPassword, page.getByTestId('reseller-balance'));
    await expectText(page.getByTestId('reseller-balance'), 'Rp 55.000', 'balance');
    await expectText(page.getByTestId('reseller-stock'), '10 voucher', 'stock');
    const nav = page.getByRole('navigation');
    for (const name of [T.navResellerHome, T.navResellerVouchers, T.navResellerSales]) {
      await visible(nav.getByRole('link', { name, exact: true }));
    }
    for (const name of [T.navDashboard, T.navCustomers, T.navRouters, T.navVouchers, T.navProfiles, T.navResellers]) {
      if ((await nav.getByRole('link', { name, exact: true }).count()) > 0) throw new Error(`staff link "${name}" is shown`);
      if ((await nav.getByRole('button', { name, exact: true }).count()) > 0) throw new Error(`staff menu "${name}" is shown`);
    }
    const batches = page.getByTestId('batch-row');
    if ((await batches.count()) !== 1) throw new Error(`${await batches.count()} batches shown, expected their 1`);
    await expectText(batches.first().getByTestId('batch-status-counts'), `10 ${T.unused.toLowerCase()}`, 'their batch');
    await shot(page, '07-reseller-home.png');
  });

  await step(page, 'the reseller: "Voucher saya" lists their 10, staff addresses lead home', async () => {
    await page.getByRole('navigation').getByRole('link', { name: T.navResellerVouchers, exact: true }).click();
    await expectText(page.getByText(/^\d+ data$/), '10 data', 'their vouchers');
    await shot(page, '08-reseller-vouchers.png');
    await page.getByRole('navigation').getByRole('link', { name: T.navResellerSales, exact: true }).click();
    await visible(page.getByRole('table', { name: 'Penjualan voucher' }));
    await page.goto(new URL('customers', url).href, { waitUntil: 'domcontentloaded' });
    await visible(page.getByTestId('reseller-balance'));
    if (new URL(page.url()).pathname !== '/') throw new Error(`a staff address stayed at ${page.url()}`);
    if (forbidden.length > 0) throw new Error(`staff endpoints were called: ${forbidden.join(', ')}`);
  });

  if (printAvailable) {
    await step(page, 'the reseller can print their own batch', async () => {
      const [popup] = await Promise.all([
        context.waitForEvent('page'),
        (async () => {
          await page.getByTestId('batch-row').first().getByRole('button', { name: /^Cetak batch/ }).click();
          await page.getByRole('dialog').getByRole('button', { name: T.print, exact: true }).click();
        })(),
      ]);
      await popup.waitForLoadState('load');
      // The window opens blank and then loads the cards: wait for one of the reseller's codes.
      const mine = await apiCall(page, 'GET', '/api/reseller/vouchers?per_page=1');
      await expectText(popup.locator('body'), mine.body.items[0].code, 'printed reseller cards');
      await popup.close();
    });
  } else {
    throw new Error('no print endpoint on this server');
  }
}

await run(main);
