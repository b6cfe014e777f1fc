#!/usr/bin/env node
// Browser test of the billing-core screens against a running mikrobill admin listener whose
// owner already exists (run dashboard.test.mjs first on a fresh server).
//
//   MIKROBILL_URL=http://127.0.0.1:7878/ MIKROBILL_USERNAME=owner \
//   MIKROBILL_PASSWORD='correct horse battery' node tests/e2e/billing.test.mjs
//
// Flow: log in → Pengaturan: tax rate 0 (only changed when it is not) → Paket: create a Rp 150.000 plan → Pelanggan: a landline number is refused
// under the field, 0812-3456-7890 is stored as 6281234567890 → Langganan from the first day
// of this month (billing day 1, so the first invoice is the full 150.000) → its invoice →
// cash 100.000 (Sebagian, owed Rp 50.000) → cash 70.000 (Lunas, credit Rp 20.000) → PDF
// receipt → the customer's balance card and history. Names carry a run suffix so the test can
// run again on the same database. Screenshots: tests/e2e/artifacts/billing-*.png.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { artifacts, harness, visible } from './harness.mjs';

const { url, username, password, step, open, run, shot, expectText, expectValue } = harness('billing', {
  stepTimeoutMs: 20_000, waitTimeoutMs: 15_000,
});

const suffix = Date.now().toString(36);
const planName = `Paket Uji ${suffix}`;
const customerName = `Budi Uji ${suffix}`;
const login = `budi-${suffix}`;
const now = new Date();
const firstOfMonth = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-01`;

// Texts the UI shows (ui/src/i18n/id.json).
const T = {
  loginSubmit: 'Masuk', username: 'Nama pengguna', password: 'Kata sandi',
  navPlans: 'Paket', navCustomers: 'Pelanggan', navSettings: 'Pengaturan',
  taxRate: 'Tarif pajak (%)', profileSaved: 'Profil usaha tersimpan.',
  addPlan: 'Tambah paket', planName: 'Nama paket', price: 'Harga', kind: 'Jenis layanan',
  routerProfile: 'Profil router', speed: 'Label kecepatan', save: 'Simpan',
  addCustomer: 'Tambah pelanggan', name: 'Nama', phone: 'Nomor WhatsApp', address: 'Alamat',
  phoneInvalid: 'Nomor WhatsApp tidak valid', search: 'Cari pelanggan',
  addSubscription: 'Tambah langganan', customer: 'Pelanggan', plan: 'Paket', login: 'Login',
  servicePassword: 'Kata sandi layanan', startOn: 'Tanggal mulai', billingDay: 'Tanggal tagih',
  saveSubscription: 'Simpan langganan', active: 'Aktif',
  recordPayment: 'Catat pembayaran', amount: 'Jumlah', method: 'Metode', savePayment: 'Simpan pembayaran',
  close: 'Tutup', unpaid: 'Belum dibayar', partial: 'Sebagian', paid: 'Lunas', downloadPdf: 'Unduh PDF', print58: 'Cetak struk 58 mm', print: 'Cetak',
  paymentReceived: 'Pembayaran diterima',
  navSubscriptions: 'Langganan', searchSubscription: 'Cari langganan', navPayments: 'Pembayaran',
  renew: 'Terbitkan tagihan berikutnya', renewTitle: 'Terbitkan tagihan lebih awal?', renewConfirm: 'Ya, terbitkan',
  cancel: 'Batal',
};
// Dates as the UI shows them (ui/src/lib/dates.ts).
const dateId = (y, m, d) =>
  new Intl.DateTimeFormat('id-ID', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })
    .format(new Date(Date.UTC(y, m, d)))
    .replace(/[\u00a0\u202f]/g, ' ');
// Billing day 1 from the first of this month: the next period is next month.
const nextPeriod = `${dateId(now.getFullYear(), now.getMonth() + 1, 1)} – ${dateId(now.getFullYear(), now.getMonth() + 2, 1)}`;

async function recordPayment(page, amount, prefilled) {
  await page.getByRole('button', { name: T.recordPayment, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: T.recordPayment });
  await visible(dialog);
  const input = dialog.getByLabel(T.amount, { exact: true });
  await expectValue(input, prefilled, 'amount prefilled with what is owed');
  await input.fill(String(amount));
  await dialog.getByLabel(T.method, { exact: true }).selectOption('cash');
  await dialog.getByRole('button', { name: T.savePayment, exact: true }).click();
  await visible(dialog.getByTestId('payment-result'));
  return dialog;
}

async function main() {
  const page = await open({ acceptDownloads: true });

  await step(page, 'log in', async () => {
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    await page.getByLabel(T.username, { exact: true }).fill(username);
    await page.getByLabel(T.password, { exact: true }).fill(password);
    await page.getByRole('button', { name: T.loginSubmit, exact: true }).click();
    const alert = page.getByRole('alert');
    const nav = page.getByRole('link', { name: T.navPlans, exact: true });
    await visible(nav.or(alert));
    if (await alert.isVisible()) throw new Error(`login refused: "${(await alert.innerText()).trim()}"`);
  });

  await step(page, 'the business profile charges no tax (the invoice is exactly the plan price)', async () => {
    await page.getByRole('link', { name: T.navSettings, exact: true }).click();
    const tax = page.getByLabel(T.taxRate, { exact: true });
    await visible(tax);
    if ((await tax.inputValue()) !== '0') {
      await tax.fill('0');
      await page.getByRole('button', { name: T.save, exact: true }).click();
      await visible(page.getByText(T.profileSaved));
    }
  });

  await step(page, 'create a Rp 150.000 plan', async () => {
    await page.getByRole('link', { name: T.navPlans, exact: true }).click();
    await page.getByRole('button', { name: T.addPlan, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: T.addPlan });
    await dialog.getByLabel(T.planName, { exact: true }).fill(planName);
    const price = dialog.getByLabel(T.price, { exact: true });
    await price.fill('150000');
    await expectValue(price, '150.000', 'price shown with thousands separators');
    await dialog.getByLabel(T.kind, { exact: true }).selectOption('pppoe');
    await dialog.getByLabel(T.routerProfile, { exact: true }).fill('uji-10M');
    await dialog.getByLabel(T.speed, { exact: true }).fill('10 Mbps');
    await dialog.getByRole('button', { name: T.save, exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expectText(page.getByRole('row').filter({ hasText: planName }), 'Rp 150.000', 'plan row');
    await shot(page, '01-plan.png');
  });

  await step(page, 'a landline number is refused under the WhatsApp field', async () => {
    await page.getByRole('link', { name: T.navCustomers, exact: true }).click();
    await page.getByRole('button', { name: T.addCustomer, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: T.addCustomer });
    await dialog.getByLabel(T.name, { exact: true }).fill(customerName);
    const phone = dialog.getByLabel(T.phone, { exact: true });
    await phone.fill('021-5551234');
    await dialog.getByLabel(T.address, { exact: true }).fill('Jl. Melati 7, RT 03/RW 05');
    await dialog.getByRole('button', { name: T.save, exact: true }).click();
    await visible(dialog.getByText(T.phoneInvalid));
    if ((await phone.getAttribute('aria-invalid')) !== 'true') throw new Error('the phone input is not marked invalid');
    await shot(page, '02-customer-bad-phone.png');
  });

  await step(page, 'a mobile number is stored as 62…', async () => {
    const dialog = page.getByRole('dialog', { name: T.addCustomer });
    await dialog.getByLabel(T.phone, { exact: true }).fill('0812-3456-7890');
    await dialog.getByRole('button', { name: T.save, exact: true }).click();
    await visible(page.getByRole('heading', { name: customerName, exact: true }));
    await expectText(page.getByTestId('customer-phone'), '6281234567890', 'stored phone');
    await shot(page, '03-customer.png');
  });

  await step(page, 'create a subscription from the first of this month', async () => {
    await page.getByRole('link', { name: T.addSubscription, exact: true }).click();
    await expectValue(page.getByRole('textbox', { name: T.customer, exact: true }), `${customerName} (6281234567890)`, 'preselected customer');
    await page.getByLabel(T.plan, { exact: true }).selectOption({ label: `${planName} — Rp 150.000` });
    await page.getByLabel(T.login, { exact: true }).fill(login);
    await page.getByLabel(T.servicePassword, { exact: true }).fill('rahasia-pppoe-1');
    await page.getByLabel(T.startOn, { exact: true }).fill(firstOfMonth);
    await page.getByLabel(T.billingDay, { exact: true }).fill('1');
    await page.getByRole('button', { name: T.saveSubscription, exact: true }).click();
    await visible(page.getByRole('heading', { name: login, exact: true }));
    await expectText(page.getByTestId('subscription-status'), T.active, 'subscription status');
    await expectText(page.getByRole('row').filter({ hasText: T.unpaid }), 'Rp 150.000', 'first invoice row');
    await shot(page, '04-subscription.png');
  });

  await step(page, 'the customer and subscription lists show the Rp 150.000 owed, not only the credit', async () => {
    await page.getByRole('link', { name: T.navCustomers, exact: true }).click();
    await page.getByLabel(T.search, { exact: true }).fill(customerName);
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: customerName, exact: true }) });
    await expectText(row.getByTestId(/^customer-owed-/), 'Rp 150.000', 'owed in the customer list');
    await expectText(row.getByTestId(/^customer-credit-/), 'Rp 0', 'credit in the customer list');
    await shot(page, '04a-customers-owed.png');
    await row.getByRole('link', { name: customerName, exact: true }).click();
    await visible(page.getByRole('heading', { name: customerName, exact: true }));
    await expectText(page.getByTestId('customer-owed'), 'Rp 150.000', 'owed on the customer page');
    await page.getByRole('link', { name: T.navSubscriptions, exact: true }).click();
    await page.getByLabel(T.searchSubscription, { exact: true }).fill(login);
    await expectText(page.getByTestId(`subscription-owed-${login}`), 'Rp 150.000', 'owed in the subscription list');
    await shot(page, '04b-subscriptions-owed.png');
    await page.getByRole('link', { name: login, exact: true }).click();
    await visible(page.getByRole('heading', { name: login, exact: true }));
  });

  await step(page, 'open the first invoice: the full Rp 150.000', async () => {
    await page.getByRole('row').filter({ hasText: T.unpaid }).getByRole('link').first().click();
    await expectText(page.getByTestId('invoice-status'), T.unpaid, 'invoice status');
    await expectText(page.getByTestId('invoice-total'), 'Rp 150.000', 'invoice total');
    await expectText(page.getByTestId('invoice-owed'), 'Rp 150.000', 'amount owed');
    await shot(page, '05-invoice.png');
  });

  await step(page, 'a partial cash payment of 100.000', async () => {
    const dialog = await recordPayment(page, 100000, '150.000');
    await expectText(dialog.getByTestId('payment-applied'), 'Rp 100.000', 'applied');
    await expectText(dialog.getByTestId('payment-invoice-status'), T.partial, 'status after payment');
    await shot(page, '06-payment-partial.png');
    await dialog.getByRole('button', { name: T.close, exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expectText(page.getByTestId('invoice-status'), T.partial, 'invoice status');
    await expectText(page.getByTestId('invoice-owed'), 'Rp 50.000', 'amount owed');
    await shot(page, '07-invoice-partial.png');
  });

  await step(page, 'paying 70.000 settles it with Rp 20.000 credit', async () => {
    const dialog = await recordPayment(page, 70000, '50.000');
    await expectText(dialog.getByTestId('payment-applied'), 'Rp 50.000', 'applied');
    await expectText(dialog.getByTestId('payment-credit'), 'Rp 20.000', 'credit');
    await expectText(dialog.getByTestId('payment-invoice-status'), T.paid, 'status after payment');
    await dialog.getByRole('button', { name: T.close, exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expectText(page.getByTestId('invoice-status'), T.paid, 'invoice status');
    await expectText(page.getByTestId('invoice-owed'), 'Rp 0', 'amount owed');
    await expectText(page.getByTestId('invoice-paid'), 'Rp 150.000', 'paid');
    await shot(page, '08-invoice-paid.png');
  });

  await step(page, 'the PDF receipt downloads with the bearer token', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: T.downloadPdf, exact: true }).click(),
    ]);
    const file = join(artifacts, 'billing-receipt.pdf');
    await download.saveAs(file);
    const head = readFileSync(file).subarray(0, 5).toString('latin1');
    if (head !== '%PDF-') throw new Error(`the receipt is not a PDF (starts with ${JSON.stringify(head)})`);
  });

  await step(page, '"Cetak struk 58 mm" opens a receipt for 58 mm paper', async () => {
    await visible(page.getByRole('button', { name: T.print, exact: true }));
    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      page.getByRole('button', { name: T.print58, exact: true }).click(),
    ]);
    await popup.waitForFunction(() => !!document.querySelector('main.paper-58mm'), undefined, { timeout: 15_000 });
    const receipt = await popup.evaluate(() => ({
      css: document.querySelector('style')?.textContent ?? '',
      text: document.body.innerText,
    }));
    if (!/@page\{size:58mm \d+mm/.test(receipt.css)) throw new Error(`the receipt page is not 58 mm wide: ${receipt.css.slice(0, 80)}`);
    for (const needle of [customerName, 'Rp 150.000', 'KUITANSI']) {
      if (!receipt.text.includes(needle)) throw new Error(`the 58 mm receipt lacks "${needle}"`);
    }
    await popup.screenshot({ path: join(artifacts, 'billing-receipt-58mm.png'), fullPage: true });
    await popup.close();
  });

  await step(page, 'the customer shows Rp 20.000 credit and the balance history', async () => {
    await page.getByRole('link', { name: customerName, exact: true }).click();
    await visible(page.getByRole('heading', { name: customerName, exact: true }));
    await expectText(page.getByTestId('total-credit'), 'Rp 20.000', 'total credit');
    const ledger = page.getByTestId('ledger-table');
    await expectText(ledger, T.paymentReceived, 'balance history');
    await expectText(ledger, 'Rp 20.000', 'a balance_after of Rp 20.000 in the history');
    await shot(page, '09-customer-balance.png');
  });

  await step(page, 'the customer list search finds the customer', async () => {
    await page.getByRole('link', { name: T.navCustomers, exact: true }).click();
    await page.getByLabel(T.search, { exact: true }).fill(customerName);
    await visible(page.getByRole('link', { name: customerName, exact: true }));
    await shot(page, '10-customer-search.png');
  });

  await step(page, 'the payments list names the cashier, not a UUID', async () => {
    await page.getByRole('link', { name: T.navPayments, exact: true }).click();
    await visible(page.getByRole('heading', { name: T.navPayments, exact: true }));
    const rows = page.getByRole('row').filter({ hasText: customerName }).filter({ has: page.getByTestId('payment-cashier') });
    const deadline = Date.now() + 10_000;
    let count = await rows.count();
    while (count !== 2 && Date.now() < deadline) {
      await page.waitForTimeout(150);
      count = await rows.count();
    }
    if (count !== 2) throw new Error(`expected the two payments of ${customerName}, found ${count}`);
    for (let i = 0; i < count; i += 1) {
      await expectText(rows.nth(i).getByTestId('payment-cashier'), username, 'cashier');
    }
    await shot(page, '11-payments-cashier.png');
  });

  await step(page, '"Terbitkan tagihan berikutnya" asks first, with the period and amount', async () => {
    await page.getByRole('link', { name: T.navSubscriptions, exact: true }).click();
    await page.getByLabel(T.searchSubscription, { exact: true }).fill(login);
    await page.getByRole('link', { name: login, exact: true }).click();
    await visible(page.getByRole('heading', { name: login, exact: true }));
    const invoiceRows = page.getByRole('row').filter({ hasText: /INV\// });
    await visible(invoiceRows.first());
    const before = await invoiceRows.count();
    await page.getByRole('button', { name: T.renew, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: T.renewTitle });
    await expectText(dialog.getByTestId('renew-period'), nextPeriod, 'period in the confirmation');
    await expectText(dialog.getByTestId('renew-total'), 'Rp 150.000', 'amount in the confirmation');
    // The Rp 20.000 credit pays part of it.
    await expectText(dialog.getByTestId('renew-owed'), 'Rp 130.000', 'left to pay in the confirmation');
    await shot(page, '12-renew-confirm.png');
    await dialog.getByRole('button', { name: T.cancel, exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.waitForTimeout(500);
    if ((await invoiceRows.count()) !== before) throw new Error('"Batal" issued an invoice');
    await page.getByRole('button', { name: T.renew, exact: true }).click();
    await dialog.getByRole('button', { name: T.renewConfirm, exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expectText(page.getByRole('row').filter({ hasText: dateId(now.getFullYear(), now.getMonth() + 1, 1) }).first(), 'Rp 150.000', 'the new invoice row');
    const after = await invoiceRows.count();
    if (after !== before + 1) throw new Error(`expected ${before + 1} invoices after confirming, found ${after}`);
    await shot(page, '13-renewed.png');
  });
}

await run(main);
