#!/usr/bin/env node
// Browser test of the online-payment screens against a running mikrobill admin listener whose
// owner already exists (run dashboard.test.mjs first on a fresh server).
//
//   MIKROBILL_URL=http://127.0.0.1:7878/ MIKROBILL_USERNAME=owner \
//   MIKROBILL_PASSWORD='correct horse battery' node tests/e2e/online.test.mjs
//
// Flow: log in → Pengaturan, tab "Pembayaran online": the Duitku card is "Nonaktif" and its
// "Aktifkan Duitku" switch is off; there are four cards (Duitku, Tripay, Midtrans, Xendit) with
// their own key names ("Private key", "Server key", "Secret key", "Token verifikasi callback") and,
// with no public address, "Atur alamat publik dulu…" instead of a webhook URL → Tripay switched on
// with a merchant code but no keys: "Simpan" shows the server's "Isi API key untuk mengaktifkan
// Tripay." under "API key", then (API key given) "Isi Private key …" under "Private key", and the
// card stays "Nonaktif" → tab "Alamat publik": save http://127.0.0.1:9 in "Alamat
// publik (URL)", "Periksa" shows the red "Alamat publik belum bisa dijangkau" alert (nothing
// listens there), then the field is emptied and saved again so pay links use the local public
// listener → a Rp 150.000 plan, a customer (0812-3456-7890) and a subscription from the first of
// this month → its unpaid invoice → "Tautan bayar": the dialog "Tautan bayar tagihan <no>" shows
// a URL with /pay/ (input labelled "Tautan") and a "Kirim via WhatsApp" link to
// wa.me/6281234567890 whose text has the invoice number, Rp 150.000 and the URL → that URL in
// the same browser shows "Sisa yang harus dibayar" and Rp 150.000 → Pembayaran: "Cek semua
// pembayaran tertunda" shows "Diperiksa: …"; the panel "Pembayaran ditahan untuk ditinjau" says
// "Tidak ada pembayaran yang ditahan untuk ditinjau." (empty state only); the panel "Bukti
// transfer menunggu konfirmasi" says
// "Tidak ada bukti transfer yang menunggu konfirmasi." → a proof uploaded to the pay link
// (POST /pay/<token>/manual, as the pay page's form does) appears in the panel with the note
// "Bukti transfer dari <payer> (menunggu konfirmasi)"; "Tolak" needs "Alasan penolakan", then
// rejects it → a second proof: "Lihat bukti" shows the image, "Konfirmasi" → "Ya, transfer sudah
// masuk" shows "Transfer dikonfirmasi" with Rp 150.000 applied and the invoice "Lunas". Between
// the settings steps, a public address https://bayar.contoh.id gives Tripay the webhook URL
// https://bayar.contoh.id/api/payments/webhook/tripay and is shown again when the tab reopens.
// Exact labels are in T below (ui/src/i18n/id.json).
// The test expects a 0 % tax rate (billing.test.mjs sets it). Screenshots:
// tests/e2e/artifacts/online-*.png.
import { expectText, open, password, run, shot, step, url, username, visible } from './online-lib.mjs';
import { gatewaySteps, proofSteps, webhookStep } from './online-steps.mjs';

const suffix = Date.now().toString(36);
const planName = `Paket Online ${suffix}`;
const customerName = `Sari Online ${suffix}`;
const login = `sari-${suffix}`;
const now = new Date();
const firstOfMonth = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-01`;

// Texts the UI shows (ui/src/i18n/id.json) and the pay page (billing-http public/page.rs).
const T = {
  loginSubmit: 'Masuk', username: 'Nama pengguna', password: 'Kata sandi',
  navPlans: 'Paket', navCustomers: 'Pelanggan', navSettings: 'Pengaturan', navPayments: 'Pembayaran',
  tabOnline: 'Pembayaran online', tabPublic: 'Alamat publik', duitku: 'Duitku', disabled: 'Nonaktif',
  enableDuitku: 'Aktifkan Duitku', publicUrl: 'Alamat publik (URL)', publicSaved: 'Alamat publik tersimpan.',
  check: 'Periksa', checkFailed: 'Alamat publik belum bisa dijangkau', save: 'Simpan',
  addPlan: 'Tambah paket', planName: 'Nama paket', price: 'Harga', kind: 'Jenis layanan',
  routerProfile: 'Profil router', speed: 'Label kecepatan',
  addCustomer: 'Tambah pelanggan', name: 'Nama', phone: 'Nomor WhatsApp', address: 'Alamat',
  addSubscription: 'Tambah langganan', plan: 'Paket', login: 'Login', servicePassword: 'Kata sandi layanan',
  startOn: 'Tanggal mulai', billingDay: 'Tanggal tagih', saveSubscription: 'Simpan langganan',
  unpaid: 'Belum dibayar', payLink: 'Tautan bayar', link: 'Tautan', whatsapp: 'Kirim via WhatsApp',
  owedOnPayPage: 'Sisa yang harus dibayar', checkAll: 'Cek semua pembayaran tertunda', checked: 'Diperiksa:',
  gateways: { duitku: 'Duitku', tripay: 'Tripay', midtrans: 'Midtrans', xendit: 'Xendit' },
  enableTripay: 'Aktifkan Tripay', merchantCode: 'Kode merchant', apiKey: 'API key', privateKey: 'Private key',
  serverKey: 'Server key', secretKey: 'Secret key', callbackToken: 'Token verifikasi callback',
  apiKeyRequired: 'Isi API key untuk mengaktifkan Tripay.', privateKeyRequired: 'Isi Private key untuk mengaktifkan Tripay.',
  webhookUrl: 'URL webhook', webhookNeedsPublic: 'Atur alamat publik dulu',
  proofsTitle: 'Bukti transfer menunggu konfirmasi', proofsEmpty: 'Tidak ada bukti transfer yang menunggu konfirmasi.',
  viewProof: 'Lihat bukti', confirm: 'Konfirmasi', reject: 'Tolak', rejectTitle: 'Tolak bukti transfer',
  reason: 'Alasan penolakan', rejectSubmit: 'Tolak bukti', required: 'Wajib diisi.', rejected: 'Bukti transfer ditolak.',
  confirmTitle: 'Konfirmasi transfer', confirmSubmit: 'Ya, transfer sudah masuk', confirmed: 'Transfer dikonfirmasi',
  paid: 'Lunas', close: 'Tutup', cancel: 'Batal',
  reviewTitle: 'Pembayaran ditahan untuk ditinjau', reviewEmpty: 'Tidak ada pembayaran yang ditahan untuk ditinjau.',
};

async function main() {
  const page = await open();

  await step(page, 'log in', async () => {
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    await page.getByLabel(T.username, { exact: true }).fill(username);
    await page.getByLabel(T.password, { exact: true }).fill(password);
    await page.getByRole('button', { name: T.loginSubmit, exact: true }).click();
    const alert = page.getByRole('alert');
    await visible(page.getByRole('link', { name: T.navPlans, exact: true }).or(alert));
    if (await alert.isVisible()) throw new Error(`login refused: "${(await alert.innerText()).trim()}"`);
  });

  await step(page, 'Settings → Online payments shows Duitku, disabled', async () => {
    await page.getByRole('link', { name: T.navSettings, exact: true }).click();
    await page.getByRole('tab', { name: T.tabOnline, exact: true }).click();
    const card = page.getByTestId('gateway-duitku');
    await visible(card.getByRole('heading', { name: T.duitku, exact: true }));
    await expectText(card.getByTestId('gateway-state'), T.disabled, 'Duitku state');
    if (await card.getByLabel(T.enableDuitku, { exact: true }).isChecked()) throw new Error('the Duitku switch is on');
    await shot(page, '01-gateways.png');
  });

  await gatewaySteps(page, T);


  await step(page, 'an unreachable public address gets a red explanation', async () => {
    await page.getByRole('tab', { name: T.tabPublic, exact: true }).click();
    const input = page.getByLabel(T.publicUrl, { exact: true });
    await input.fill('http://127.0.0.1:9');
    await page.getByRole('button', { name: T.save, exact: true }).click();
    await visible(page.getByText(T.publicSaved).first());
    await page.getByRole('button', { name: T.check, exact: true }).click();
    const result = page.getByTestId('public-url-check');
    await visible(result);
    await expectText(result, T.checkFailed, 'check result');
    if ((await result.getAttribute('data-ok')) !== 'false') throw new Error('the check did not fail');
    await shot(page, '02-public-url-check.png');
    // Back to the local public listener, so the pay link below can be opened.
    await input.fill('');
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/settings/public-url') && r.ok()),
      page.getByRole('button', { name: T.save, exact: true }).click(),
    ]);
  });

  await webhookStep(page, T);


  await step(page, 'a Rp 150.000 plan, a customer and a subscription', async () => {
    await page.getByRole('link', { name: T.navPlans, exact: true }).click();
    await page.getByRole('button', { name: T.addPlan, exact: true }).click();
    let dialog = page.getByRole('dialog', { name: T.addPlan });
    await dialog.getByLabel(T.planName, { exact: true }).fill(planName);
    await dialog.getByLabel(T.price, { exact: true }).fill('150000');
    await dialog.getByLabel(T.kind, { exact: true }).selectOption('pppoe');
    await dialog.getByLabel(T.routerProfile, { exact: true }).fill('uji-10M');
    await dialog.getByLabel(T.speed, { exact: true }).fill('10 Mbps');
    await dialog.getByRole('button', { name: T.save, exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('link', { name: T.navCustomers, exact: true }).click();
    await page.getByRole('button', { name: T.addCustomer, exact: true }).click();
    dialog = page.getByRole('dialog', { name: T.addCustomer });
    await dialog.getByLabel(T.name, { exact: true }).fill(customerName);
    await dialog.getByLabel(T.phone, { exact: true }).fill('0812-3456-7890');
    await dialog.getByLabel(T.address, { exact: true }).fill('Jl. Kenanga 3');
    await dialog.getByRole('button', { name: T.save, exact: true }).click();
    await visible(page.getByRole('heading', { name: customerName, exact: true }));
    await page.getByRole('link', { name: T.addSubscription, exact: true }).click();
    await page.getByLabel(T.plan, { exact: true }).selectOption({ label: `${planName} — Rp 150.000` });
    await page.getByLabel(T.login, { exact: true }).fill(login);
    await page.getByLabel(T.servicePassword, { exact: true }).fill('rahasia-pppoe-1');
    await page.getByLabel(T.startOn, { exact: true }).fill(firstOfMonth);
    await page.getByLabel(T.billingDay, { exact: true }).fill('1');
    await page.getByRole('button', { name: T.saveSubscription, exact: true }).click();
    await visible(page.getByRole('heading', { name: login, exact: true }));
    await expectText(page.getByRole('row').filter({ hasText: T.unpaid }), 'Rp 150.000', 'first invoice row');
  });

  let payUrl = '';
  await step(page, '"Tautan bayar" gives a /pay/ link and a WhatsApp link', async () => {
    await page.getByRole('row').filter({ hasText: T.unpaid }).getByRole('link').first().click();
    await expectText(page.getByTestId('invoice-owed'), 'Rp 150.000', 'amount owed');
    const number = (await page.getByRole('heading', { level: 2 }).innerText()).replace(/^Tagihan\s+/, '').trim();
    await page.getByRole('button', { name: T.payLink, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `${T.payLink} tagihan ${number}` });
    const input = dialog.getByLabel(T.link, { exact: true });
    await visible(input);
    // No public address is set: the link only opens on this PC, and the dialog says so, with
    // the way to fix it.
    const warning = dialog.getByTestId('pay-link-warning');
    await visible(warning);
    await visible(warning.getByRole('link'));
    payUrl = await input.inputValue();
    if (!/^https?:\/\/.+\/pay\/[A-Za-z0-9_-]{20,}$/.test(payUrl)) throw new Error(`not a pay link: ${payUrl}`);
    const wa = dialog.getByRole('link', { name: T.whatsapp, exact: true });
    const href = (await wa.getAttribute('href')) ?? '';
    if (!href.startsWith('https://wa.me/6281234567890?text=')) throw new Error(`WhatsApp link: ${href}`);
    const text = decodeURIComponent(href.split('?text=')[1] ?? '');
    for (const part of [number, 'Rp 150.000', payUrl]) {
      if (!text.includes(part)) throw new Error(`the WhatsApp message lacks "${part}": ${text}`);
    }
    if ((await wa.getAttribute('target')) !== '_blank' || !(await wa.getAttribute('rel'))?.includes('noopener')) {
      throw new Error('the WhatsApp link must open in a new tab with rel=noopener');
    }
    await page.waitForTimeout(400); // the dialog's open transition
    await shot(page, '03-pay-link.png');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  await step(page, 'the pay link opens the pay page with the amount owed', async () => {
    const pay = await page.context().newPage();
    await pay.goto(payUrl, { waitUntil: 'domcontentloaded' });
    await visible(pay.getByText(T.owedOnPayPage));
    await expectText(pay.locator('#amount'), 'Rp 150.000', 'amount on the pay page');
    await shot(pay, '04-pay-page.png');
    // On a 360 px phone: the shop's name on top, no sideways scrolling, and always a way to pay
    // (the gateway's methods, a bank transfer with proof, or the counter).
    await pay.setViewportSize({ width: 360, height: 740 });
    const name = (await pay.locator('header h1').innerText()).trim();
    if (!name) throw new Error('the pay page does not name the shop');
    const width = await pay.evaluate(() => document.documentElement.scrollWidth);
    if (width > 360) throw new Error(`the pay page scrolls sideways on a phone (${width}px)`);
    const ways = await pay.evaluate(() => {
      const shown = (el) => el && !el.closest('.hidden') && el.getClientRects().length > 0;
      return {
        methods: [...document.querySelectorAll('#choose button')].some(shown),
        transfer: shown(document.querySelector('#proof')),
        counter: /kantor kami|hubungi kami/i.test(document.body.innerText),
      };
    });
    if (!ways.methods && !ways.transfer && !ways.counter) {
      throw new Error(`the pay page offers no way to pay: ${JSON.stringify(ways)}`);
    }
    await shot(pay, '04b-pay-page-phone.png');
    await pay.close();
  });

  await step(page, '"Cek semua pembayaran tertunda" reports the counts', async () => {
    await page.getByRole('link', { name: T.navPayments, exact: true }).click();
    await page.getByRole('button', { name: T.checkAll, exact: true }).click();
    await visible(page.getByText(T.checked).first());
    await shot(page, '05-payments-checked.png');
  });

  // Only the empty state: no gateway here reports a mismatching amount, so nothing is held.
  await step(page, 'the held-for-review panel is on the Payments page, empty', async () => {
    const panel = page.getByTestId('review-panel');
    await visible(panel.getByRole('heading', { name: T.reviewTitle, exact: true }));
    await expectText(panel.getByTestId('review-empty'), T.reviewEmpty, 'empty held-for-review panel');
  });

  await proofSteps(page, T, { payUrl, customerName });

}

await run(main);
