#!/usr/bin/env node
// Browser test of the users page and of menus per role, against a running mikrobill admin
// listener whose owner already exists.
//
//   MIKROBILL_URL=http://127.0.0.1:7878/ MIKROBILL_USERNAME=owner \
//   MIKROBILL_PASSWORD='correct horse battery' node tests/e2e/users.test.mjs
//
// Flow: log in as the owner → Pengguna: "Tambah pengguna" (a cashier) → the row shows "Kasir"
// and "Aktif" → log out, log in as the cashier: the menu has Pelanggan, Tagihan, Pembayaran and
// Voucher but no Router, PPPoE, Pengaturan, Pengguna or Log aktivitas, and no screen they open
// asks the server for something it refuses (403) → log out, log in as the owner, "Nonaktifkan"
// the cashier → "Nonaktif", the cashier's login is refused → Log aktivitas lists the new user,
// Log keamanan lists the refused login → the owner turns on "Verifikasi dua langkah", logs in
// with a code computed from the secret shown, and turns it off again.
// Screenshots: tests/e2e/artifacts/users-*.png.
import { createHmac } from 'node:crypto';
import { harness, visible } from './harness.mjs';

const { url, username, password, step, open, run, shot, expectText } = harness('users', {
  stepTimeoutMs: 45_000, waitTimeoutMs: 20_000,
});
const suffix = Date.now().toString(36);
const cashier = `kasir-${suffix}`;
const cashierPassword = 'kasir-aman-12345';

// Texts the UI shows (ui/src/i18n/id.json).
const T = {
  loginSubmit: 'Masuk', username: 'Nama pengguna', password: 'Kata sandi', logout: 'Keluar', loginTitle: 'Masuk ke mikrobill',
  navUsers: 'Pengguna', navAudit: 'Log aktivitas', navSecurity: 'Log keamanan', navDashboard: 'Dasbor',
  navCustomers: 'Pelanggan', navInvoices: 'Tagihan', navPayments: 'Pembayaran', navVouchers: 'Voucher',
  navRouters: 'Router', navPppoe: 'PPPoE', navSettings: 'Pengaturan',
  addUser: 'Tambah pengguna', role: 'Peran', cashierRole: 'Kasir', save: 'Simpan', active: 'Aktif', disabled: 'Nonaktif',
  disable: 'Nonaktifkan', loginFailed: 'Gagal masuk',
  accessTab: 'Masuk & keluar', signedIn: 'Masuk berhasil', signedOut: 'Keluar',
  refusedDisabled: 'Masuk ditolak: akun dinonaktifkan',
};

/** The current TOTP code for a base32 secret (RFC 6238: HMAC-SHA1, 30 s, 6 digits). */
function totp(secret, at = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[19] & 15;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

async function logIn(page, user, pass) {
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await page.getByLabel(T.username, { exact: true }).fill(user);
  await page.getByLabel(T.password, { exact: true }).fill(pass);
  await page.getByRole('button', { name: T.loginSubmit, exact: true }).click();
  const refused = page.getByTestId('form-error');
  const nav = page.getByRole('navigation').getByRole('link', { name: T.navDashboard, exact: true });
  await visible(nav.or(refused).first());
  if (await refused.isVisible()) throw new Error(`login refused: "${(await refused.innerText()).trim()}"`);
}

async function logOut(page, user) {
  await page.getByRole('button', { name: user, exact: true }).click();
  await page.getByRole('menuitem', { name: T.logout, exact: true }).click();
  await visible(page.getByRole('heading', { name: T.loginTitle, exact: true }));
}

async function openArea(page, name) {
  await page.getByRole('navigation').getByRole('link', { name, exact: true }).click();
}

async function main() {
  const page = await open();
  const forbidden = [];
  page.on('response', (response) => {
    if (response.url().includes('/api/') && response.status() === 403) forbidden.push(response.url());
  });

  await step(page, 'the owner adds a cashier on "Pengguna"', async () => {
    await logIn(page, username, password);
    await openArea(page, T.navUsers);
    await page.getByRole('button', { name: T.addUser, exact: true }).click();
    const dialog = page.getByRole('dialog');
    // Required fields carry a " *" in their label.
    await dialog.getByLabel(new RegExp(`^${T.username}`)).fill(cashier);
    await dialog.getByLabel(new RegExp(`^${T.password}`)).fill(cashierPassword);
    const role = dialog.getByRole('textbox', { name: T.role, exact: true });
    if ((await role.inputValue()) !== T.cashierRole) throw new Error(`default role "${await role.inputValue()}"`);
    await dialog.getByRole('button', { name: T.save, exact: true }).click();
    const row = page.locator(`[data-testid="user-row"][data-username="${cashier}"]`);
    await visible(row);
    await expectText(row.getByTestId('user-status'), T.active, 'new user status');
    await shot(page, '01-users.png');
    await logOut(page, username);
  });

  await step(page, 'the cashier sees money menus only and nothing answers 403', async () => {
    forbidden.length = 0;
    await logIn(page, cashier, cashierPassword);
    const nav = page.getByRole('navigation');
    for (const name of [T.navCustomers, T.navInvoices, T.navPayments]) {
      await visible(nav.getByRole('link', { name, exact: true }));
    }
    await visible(nav.getByRole('link', { name: T.navVouchers, exact: true }));
    for (const name of [T.navRouters, T.navPppoe, T.navSettings, T.navUsers, T.navAudit, T.navSecurity]) {
      if ((await nav.getByRole('link', { name, exact: true }).count()) > 0) throw new Error(`"${name}" is shown to a cashier`);
    }
    for (const name of [T.navCustomers, T.navInvoices, T.navPayments]) {
      await openArea(page, name);
      await page.waitForLoadState('networkidle');
    }
    await shot(page, '02-cashier-menu.png');
    if (forbidden.length > 0) throw new Error(`the cashier's screens asked for refused data: ${forbidden.join(', ')}`);
    await logOut(page, cashier);
  });

  await step(page, 'the owner disables the cashier, who can no longer log in', async () => {
    await logIn(page, username, password);
    await openArea(page, T.navUsers);
    const row = page.locator(`[data-testid="user-row"][data-username="${cashier}"]`);
    await row.getByRole('button', { name: `${T.disable} ${cashier}`, exact: true }).click();
    await expectText(row.getByTestId('user-status'), T.disabled, 'disabled status');
    await logOut(page, username);
    await page.getByLabel(T.username, { exact: true }).fill(cashier);
    await page.getByLabel(T.password, { exact: true }).fill(cashierPassword);
    await page.getByRole('button', { name: T.loginSubmit, exact: true }).click();
    await visible(page.getByTestId('form-error'));
  });

  await step(page, 'the activity and security logs show what happened', async () => {
    await logIn(page, username, password);
    await openArea(page, T.navAudit);
    await expectText(page.locator('table'), `mengubah pengguna ${cashier}`, 'activity log');
    await shot(page, '03-audit.png');
    await page.getByRole('tab', { name: T.accessTab, exact: true }).click();
    await page.getByTestId('audit-user').fill(cashier);
    const access = page.getByTestId('access-log');
    await expectText(access, T.refusedDisabled, 'access log: the disabled cashier refused');
    await expectText(access, T.signedIn, 'access log: the cashier signed in');
    await expectText(access, T.signedOut, 'access log: the cashier signed out');
    await expectText(access, '127.0.0.1', 'access log: address');
    await expectText(access, 'Chrome', 'access log: user agent');
    await shot(page, '03b-access.png');
    await openArea(page, T.navSecurity);
    await expectText(page.locator('table'), T.loginFailed, 'security log');
    await expectText(page.locator('table'), cashier, 'security log username');
    await shot(page, '04-security.png');
  });

  await step(page, 'the owner turns on two-step verification and logs in with a code', async () => {
    const openDialog = async () => {
      await page.getByRole('button', { name: username, exact: true }).click();
      await page.getByRole('menuitem', { name: 'Verifikasi dua langkah', exact: true }).click();
    };
    await openDialog();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Mulai atur', exact: true }).click();
    const secret = (await dialog.getByTestId('totp-secret').innerText()).trim();
    // Each code is accepted once and never an older one: enrol with the previous step's code,
    // log in with the current one, turn it off with the next (each within the allowed drift).
    const base = Date.now();
    await dialog.getByLabel('Kode 6 angka').fill(totp(secret, base - 30_000));
    await dialog.getByRole('button', { name: 'Aktifkan', exact: true }).click();
    await visible(dialog.getByRole('button', { name: 'Matikan', exact: true }));
    await page.keyboard.press('Escape');
    await logOut(page, username);
    await page.getByLabel(T.username, { exact: true }).fill(username);
    await page.getByLabel(T.password, { exact: true }).fill(password);
    await page.getByRole('button', { name: T.loginSubmit, exact: true }).click();
    const codeInput = page.getByLabel('Kode autentikator');
    await visible(codeInput);
    await shot(page, '05-login-code.png');
    await codeInput.fill(totp(secret, base));
    await page.getByRole('button', { name: T.loginSubmit, exact: true }).click();
    await visible(page.getByRole('navigation').getByRole('link', { name: T.navDashboard, exact: true }));
    // Off again, so the owner's password alone works for whatever runs next.
    await openDialog();
    await dialog.getByLabel('Kode 6 angka').fill(totp(secret, base + 30_000));
    await dialog.getByRole('button', { name: 'Matikan', exact: true }).click();
    await visible(dialog.getByRole('button', { name: 'Mulai atur', exact: true }));
  });
}

await run(main);
