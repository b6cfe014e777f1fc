#!/usr/bin/env node
// Browser test of the Router and PPPoE screens against a running mikrobill admin listener whose
// owner already exists, and a RouterOS simulator (`mikrobill routeros-sim`, user admin) at
// ROUTEROS_SIM_ADDR (host:port) whose password is ROUTEROS_SIM_PASSWORD (default: empty).
//
//   ROUTEROS_SIM_ADDR=127.0.0.1:18728 MIKROBILL_URL=http://127.0.0.1:7878/ \
//   MIKROBILL_USERNAME=owner MIKROBILL_PASSWORD='correct horse battery' node tests/e2e/routers.test.mjs
//
// Flow: log in → Router: "Tambah router" (dialog "Tambah router": "Nama router", "Alamat (IP atau
// nama host)", "Port API" (8728 by default), "Pengguna API" admin, "Kata sandi API") → the
// "Tes koneksi" in the dialog first: a wrong password is named, then the right one connects → the
// row shows up → "Tes koneksi <name>" opens "Tes koneksi <name>" with a green result
// (data-ok=true), the identity and a RouterOS 7 version → the row is "Online" → PPPoE:
// "Sinkronkan profil" reports the synced profiles and lists the simulator's "default-encryption"
// → the router's detail page: "Sesi aktif" is empty, "Antrean perintah" shows "Tidak ada perintah
// yang menunggu" and "Kirim ulang sekarang" answers "Terkirim: …", "Rekonsiliasi" says the router
// and database match ("Perbaiki semua" disabled) — or, after the billing tests, lists only their
// subscriptions under "Tidak ada di router" and "Perbaiki semua" asks first (cancelled) —,
// "Audit" loads → the new-subscription form offers the router in its "Router" select → with
// ROUTEROS_SIM_TLS_ADDR (a `routeros-sim --tls`): a router with "Pakai TLS (API-SSL)" is not
// trusted at first ("certificate_untrusted", its SHA-256 fingerprint shown), "Percayai
// sertifikat ini" connects, and the detail page shows the trusted fingerprint. Exact labels are in T below (ui/src/i18n/id.json).
// Screenshots: tests/e2e/artifacts/routers-*.png.
import { apiCall, harness, visible } from './harness.mjs';

const { url, username, password, step, open, run, shot, expectText, expectValue, waitTimeoutMs } = harness('routers', {
  stepTimeoutMs: 30_000, waitTimeoutMs: 15_000, needs: ['ROUTEROS_SIM_ADDR'],
});
const simMatch = /^(.+):(\d+)$/.exec(process.env.ROUTEROS_SIM_ADDR);
if (!simMatch) {
  console.error('FAIL: set ROUTEROS_SIM_ADDR=host:port');
  process.exit(2);
}
const [, simHost, simPort] = simMatch;
const simPassword = process.env.ROUTEROS_SIM_PASSWORD ?? '';
const tlsMatch = /^(.+):(\d+)$/.exec(process.env.ROUTEROS_SIM_TLS_ADDR ?? '');
const routerName = `Router Uji ${Date.now().toString(36)}`;

// Texts the UI shows (ui/src/i18n/id.json).
const T = {
  loginSubmit: 'Masuk', username: 'Nama pengguna', password: 'Kata sandi',
  navRouters: 'Router', navPppoe: 'PPPoE',
  addRouter: 'Tambah router', routerName: 'Nama router', host: 'Alamat (IP atau nama host)', port: 'Port API',
  apiUser: 'Pengguna API', apiPassword: 'Kata sandi API', save: 'Simpan', close: 'Tutup',
  test: 'Tes koneksi', connected: 'Terhubung ke', wrongPassword: 'Router menolak nama pengguna atau kata sandi.', canWrite: 'boleh membaca dan menulis', online: 'Online',
  sync: 'Sinkronkan profil', synced: 'profil disinkronkan', sessionsEmpty: 'Tidak ada sesi PPPoE yang aktif.',
  tabCommands: 'Antrean perintah', commandsEmpty: 'Tidak ada perintah yang menunggu.',
  deliver: 'Kirim ulang sekarang', delivered: 'Terkirim:',
  tabReconcile: 'Rekonsiliasi', reconcileChecked: 'Diperiksa', reconcileOk: 'Router dan database cocok.',
  missingOnRouter: 'Tidak ada di router', repairAll: 'Perbaiki semua', repairTitle: 'Perbaiki semua selisih',
  repairWarning: 'selisih akan diperbaiki', cancel: 'Batal',
  tabAudit: 'Audit', subRouter: 'Router',
  tls: 'Pakai TLS (API-SSL)', trustCertificate: 'Percayai sertifikat ini',
  provFailed: 'Gagal dipasang', profileMissing: 'Profil paket tidak ada di router', retry: 'Coba lagi',
  unprovisioned: 'belum terpasang di router',
};

async function main() {
  const page = await open();

  await step(page, 'log in', async () => {
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    await page.getByLabel(T.username, { exact: true }).fill(username);
    await page.getByLabel(T.password, { exact: true }).fill(password);
    await page.getByRole('button', { name: T.loginSubmit, exact: true }).click();
    const alert = page.getByRole('alert');
    await visible(page.getByRole('link', { name: T.navRouters, exact: true }).or(alert));
    if (await alert.isVisible()) throw new Error(`login refused: "${(await alert.innerText()).trim()}"`);
  });

  await step(page, '"Tambah router" adds the simulator', async () => {
    await page.getByRole('link', { name: T.navRouters, exact: true }).click();
    await page.getByRole('button', { name: T.addRouter, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: T.addRouter });
    await dialog.getByLabel(T.routerName, { exact: true }).fill(routerName);
    await dialog.getByLabel(T.host, { exact: true }).fill(simHost);
    const port = dialog.getByLabel(T.port, { exact: true });
    if ((await port.inputValue()) !== '8728') throw new Error(`default port: ${await port.inputValue()}`);
    await port.fill(simPort);
    await dialog.getByLabel(T.apiUser, { exact: true }).fill('admin');
    // Tested before saving: a wrong password is named as such, nothing is added yet.
    await dialog.getByLabel(T.apiPassword, { exact: true }).fill(`${simPassword}salah`);
    await dialog.getByRole('button', { name: T.test, exact: true }).click();
    const result = dialog.getByTestId('router-test-result');
    await expectText(result, T.wrongPassword, 'test before saving with a wrong password');
    if ((await result.getAttribute('data-ok')) !== 'false') throw new Error('a wrong password tested fine');
    await shot(page, '01-test-before-save-wrong-password.png');
    if (await page.getByRole('link', { name: routerName, exact: true }).count()) throw new Error('testing saved the router');
    await dialog.getByLabel(T.apiPassword, { exact: true }).fill(simPassword);
    await dialog.getByRole('button', { name: T.test, exact: true }).click();
    await expectText(result, T.connected, 'test before saving');
    if ((await result.getAttribute('data-ok')) !== 'true') throw new Error(`test before saving: ${await result.innerText()}`);
    await shot(page, '01-test-before-save-ok.png');
    await dialog.getByRole('button', { name: T.save, exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await visible(page.getByRole('link', { name: routerName, exact: true }));
    await shot(page, '01-added.png');
  });

  await step(page, '"Tes koneksi" shows identity and version in plain words', async () => {
    await page.getByRole('button', { name: `${T.test} ${routerName}`, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `${T.test} ${routerName}` });
    const result = dialog.getByTestId('router-test-result');
    await visible(result);
    if ((await result.getAttribute('data-ok')) !== 'true') throw new Error(`test failed: ${await result.innerText()}`);
    const identity = (await result.getByTestId('probe-identity').innerText()).trim();
    if (!identity) throw new Error('no identity');
    await expectText(result.getByTestId('probe-version'), '7.', 'RouterOS version');
    await expectText(result, `${T.connected} ${identity}`, 'summary');
    await expectText(result, T.canWrite, 'rights');
    await page.waitForTimeout(400); // the dialog's open transition
    await shot(page, '02-test.png');
    await dialog.getByRole('button', { name: T.close, exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: routerName, exact: true }) });
    await expectText(row.getByTestId('router-status'), T.online, 'router status');
  });

  await step(page, 'PPPoE: "Sinkronkan profil" reads the profiles', async () => {
    await page.getByRole('link', { name: T.navPppoe, exact: true }).click();
    await page.getByRole('button', { name: T.sync, exact: true }).click();
    await expectText(page.getByTestId('profiles-synced'), T.synced, 'sync result');
    const own = page.getByRole('row').filter({ hasText: 'default-encryption' }).filter({ hasText: routerName }).first();
    await visible(own);
    // The router's own profiles are only read, and say so.
    await expectText(own, 'Milik router (hanya dibaca)', 'router\'s own profile');
    await shot(page, '03-profiles.png');
    // Each PPPoE user says what the router monitor saw: online since, last online, or never.
    const presence = page.locator('[data-testid^="presence-"]');
    for (let i = 0; i < (await presence.count()); i++) {
      const text = (await presence.nth(i).innerText()).trim();
      if (!/^(● )?(Online sejak|Terakhir online|Belum pernah online)/.test(text)) {
        throw new Error(`PPPoE presence reads "${text}"`);
      }
    }
  });

  await step(page, 'router detail: no sessions, empty command queue, deliver now', async () => {
    await page.getByRole('link', { name: T.navRouters, exact: true }).click();
    await page.getByRole('link', { name: routerName, exact: true }).click();
    await visible(page.getByRole('heading', { name: routerName, exact: true }));
    await visible(page.getByText(T.sessionsEmpty));
    await page.getByRole('tab', { name: T.tabCommands, exact: true }).click();
    await expectText(page.getByTestId('commands-empty'), T.commandsEmpty, 'command queue');
    await page.getByRole('button', { name: T.deliver, exact: true }).click();
    await expectText(page.getByTestId('commands-delivered'), T.delivered, 'delivery');
    await shot(page, '04-commands.png');
  });

  await step(page, 'reconciliation: match, or only secrets missing on the new router', async () => {
    await page.getByRole('tab', { name: T.tabReconcile, exact: true }).click();
    await expectText(page.getByTestId('reconcile-summary'), T.reconcileChecked, 'reconciliation summary');
    const ok = page.getByTestId('reconcile-ok');
    const missing = page.getByTestId('drift-missing');
    await visible(ok.or(missing));
    const repair = page.getByRole('button', { name: T.repairAll, exact: true });
    if (await ok.isVisible()) {
      // A fresh database: nothing is expected on the router.
      await expectText(ok, T.reconcileOk, 'reconciliation');
      if (await repair.isEnabled()) throw new Error('"Perbaiki semua" is enabled without differences');
    } else {
      // Subscriptions made by the earlier tests (before any router existed) belong to the only
      // router and are not on it yet: listed under "Tidak ada di router"; nothing else differs.
      for (const kind of ['extra', 'profile', 'disabled', 'password']) {
        if (await page.getByTestId(`drift-${kind}`).isVisible()) throw new Error(`unexpected "${kind}" differences`);
      }
      await expectText(missing, T.missingOnRouter, 'missing group');
      await repair.click();
      const dialog = page.getByRole('dialog', { name: T.repairTitle });
      await expectText(dialog, T.repairWarning, 'repair confirmation');
      await dialog.getByRole('button', { name: T.cancel, exact: true }).click();
      await dialog.waitFor({ state: 'hidden' });
    }
    await shot(page, '05-reconcile.png');
    await page.getByRole('tab', { name: T.tabAudit, exact: true }).click();
    await visible(page.getByTestId('audit-empty').or(page.getByRole('table', { name: T.tabAudit })));
  });

  await step(page, 'the new-subscription form offers the router', async () => {
    await page.goto(new URL('subscriptions/new', url).href, { waitUntil: 'domcontentloaded' });
    const select = page.getByLabel(T.subRouter, { exact: true });
    await visible(select);
    await expectText(select, routerName, 'router options');
  });

  await step(page, 'a plan profile missing on the router: the subscription says so in words, with "Coba lagi"', async () => {
    // A plan whose "Profil router" was typed by hand and does not exist on the router.
    const routers = await apiCall(page, 'GET', '/api/routers');
    const router = routers.body.items.find((r) => r.name === routerName);
    const stamp = Date.now().toString(36);
    const plan = await apiCall(page, 'POST', '/api/plans', {
      name: `Paket salah ketik ${stamp}`, price: 150000, kind: 'pppoe', router_profile: `pppoe-tidak-ada-${stamp}`,
    });
    if (plan.status !== 201) throw new Error(`plan: ${plan.text}`);
    const customer = await apiCall(page, 'POST', '/api/customers', { name: `Pelanggan uji ${stamp}`, phone: '081234567890' });
    if (customer.status !== 201) throw new Error(`customer: ${customer.text}`);
    const login = `uji-${stamp}`;
    const sub = await apiCall(page, 'POST', '/api/subscriptions', {
      customer_id: customer.body.id, plan_id: plan.body.id, login, password: 'rahasia-uji',
      start_on: new Date().toISOString().slice(0, 10), router_id: router.id,
    });
    if (sub.status !== 201) throw new Error(`subscription: ${sub.text}`);
    const deadline = Date.now() + waitTimeoutMs;
    for (;;) {
      const now = await apiCall(page, 'GET', `/api/subscriptions/${sub.body.id}`);
      if (now.body?.provisioning?.state === 'failed') break;
      if (Date.now() > deadline) throw new Error(`provisioning: ${JSON.stringify(now.body?.provisioning)}`);
      await apiCall(page, 'POST', '/api/routers/commands/deliver');
      await page.waitForTimeout(300);
    }
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(new URL(`subscriptions/${sub.body.id}`, url).href, { waitUntil: 'domcontentloaded' });
    await expectText(page.getByTestId('provisioning-state'), T.provFailed, 'provisioning badge');
    await expectText(page.getByTestId('provisioning-failure'), T.profileMissing, 'what failed');
    await expectText(page.getByTestId('provisioning-failure'), routerName, 'which router');
    await visible(page.getByTestId('provisioning-retry'));
    await shot(page, '06-provisioning-failed.png');
    await page.goto(new URL('subscriptions?provisioning=failed', url).href, { waitUntil: 'domcontentloaded' });
    await expectText(page.getByTestId(`provisioning-${login}`), T.provFailed, 'list badge');
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    await expectText(page.getByTestId('home-unprovisioned'), T.unprovisioned, 'home screen count');
    // Out of the way for the steps after: the subscription ends (its commands stop mattering).
    await apiCall(page, 'POST', `/api/subscriptions/${sub.body.id}/terminate`, { reason: 'uji selesai' });
  });

  await step(page, 'the new-subscription form proposes the router last used, not "Tanpa router"', async () => {
    const routers = await apiCall(page, 'GET', '/api/routers');
    const router = routers.body.items.find((r) => r.name === routerName);
    await page.goto(new URL('subscriptions/new', url).href, { waitUntil: 'domcontentloaded' });
    const select = page.getByLabel(T.subRouter, { exact: true });
    await visible(select);
    await expectValue(select, router.id, 'proposed router');
    await shot(page, '06b-subscription-router-proposed.png');
  });

  await step(page, 'a plan\'s profile is picked from the router, and a missing one made there from the plan\'s speed', async () => {
    const stamp = Date.now().toString(36);
    const profileName = `pppoe-30M-${stamp}`;
    await page.goto(new URL('plans', url).href, { waitUntil: 'domcontentloaded' });
    await page.getByRole('button', { name: 'Tambah paket', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Tambah paket' });
    await dialog.getByLabel('Nama paket', { exact: true }).fill(`Paket 30M ${stamp}`);
    await dialog.getByLabel('Harga', { exact: true }).fill('250000');
    await dialog.getByLabel('Label kecepatan', { exact: true }).fill('30 Mbps');
    // The profiles read from the router are offered as the owner types.
    const field = dialog.getByLabel('Profil router', { exact: true });
    await field.fill('default');
    await visible(page.getByRole('option', { name: 'default-encryption', exact: true }));
    await field.fill(profileName);
    await expectText(dialog.getByTestId('profile-missing'), routerName, 'missing on the router');
    await shot(page, '06c-plan-profile-missing.png');
    await dialog.getByRole('button', { name: `Buat di ${routerName} (30M/30M)`, exact: true }).click();
    await dialog.getByRole('button', { name: `Buat di ${routerName} (30M/30M)`, exact: true }).waitFor({ state: 'hidden' });
    const profiles = await apiCall(page, 'GET', '/api/pppoe/profiles');
    const made = profiles.body.items.find((p) => p.name === profileName && p.router_name === routerName);
    if (!made || !made.marked || made.rate_limit !== '30M/30M') {
      throw new Error(`profile on the router: ${JSON.stringify(made)}`);
    }
    await dialog.getByRole('button', { name: 'Simpan', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByRole('row').filter({ hasText: `Paket 30M ${stamp}` });
    await visible(row);
    const warning = row.getByTestId('plan-profile-missing');
    if ((await warning.count()) > 0 && (await warning.innerText()).includes(routerName)) {
      throw new Error(`the plan still says the profile is missing on ${routerName}`);
    }
  });

  if (tlsMatch) {
    const [, tlsHost, tlsPort] = tlsMatch;
    const tlsName = `${routerName} TLS`;
    let fingerprint = '';
    await step(page, 'TLS router: the certificate is shown and trusted by its fingerprint', async () => {
      await page.getByRole('link', { name: T.navRouters, exact: true }).click();
      await page.getByRole('button', { name: T.addRouter, exact: true }).click();
      const dialog = page.getByRole('dialog', { name: T.addRouter });
      await dialog.getByLabel(T.routerName, { exact: true }).fill(tlsName);
      await dialog.getByLabel(T.host, { exact: true }).fill(tlsHost);
      await dialog.getByLabel(T.tls, { exact: true }).check();
      const port = dialog.getByLabel(T.port, { exact: true });
      if ((await port.inputValue()) !== '8729') throw new Error(`TLS port: ${await port.inputValue()}`);
      await port.fill(tlsPort);
      await dialog.getByLabel(T.apiUser, { exact: true }).fill('admin');
      await dialog.getByLabel(T.apiPassword, { exact: true }).fill('');
      await dialog.getByRole('button', { name: T.save, exact: true }).click();
      await dialog.waitFor({ state: 'hidden' });
      await page.getByRole('button', { name: `${T.test} ${tlsName}`, exact: true }).click();
      const testDialog = page.getByRole('dialog', { name: `${T.test} ${tlsName}` });
      const result = testDialog.getByTestId('router-test-result');
      await visible(result);
      if ((await result.getAttribute('data-ok')) !== 'false') throw new Error('an untrusted certificate was accepted');
      const problem = await result.getByTestId('router-test-problem').getAttribute('data-problem');
      if (problem !== 'certificate_untrusted') throw new Error(`problem: ${problem}`);
      fingerprint = (await result.getByTestId('router-certificate-sha256').innerText()).trim();
      if (!/^([0-9a-f]{8} ){7}[0-9a-f]{8}$/.test(fingerprint)) throw new Error(`fingerprint shown: "${fingerprint}"`);
      await page.waitForTimeout(400); // the dialog's open transition
      await shot(page, '07-tls-untrusted.png');
      await result.getByRole('button', { name: T.trustCertificate, exact: true }).click();
      await page.waitForFunction(
        () => document.querySelector('[data-testid="router-test-result"]')?.getAttribute('data-ok') === 'true',
        undefined,
        { timeout: waitTimeoutMs },
      );
      await expectText(result, T.connected, 'connected over TLS');
      await shot(page, '08-tls-trusted.png');
      await testDialog.getByRole('button', { name: T.close, exact: true }).click();
      await testDialog.waitFor({ state: 'hidden' });
      await page.getByRole('link', { name: tlsName, exact: true }).click();
      await expectText(page.getByTestId('router-tls-fingerprint'), fingerprint, 'trusted fingerprint on the detail page');
    });
  }
}

await run(main);
