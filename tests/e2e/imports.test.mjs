#!/usr/bin/env node
// Browser test of "Impor" against a running mikrobill admin listener whose owner exists.
//
//   MIKROBILL_URL=http://127.0.0.1:7878/ MIKROBILL_USERNAME=owner MIKROBILL_PASSWORD='…' \
//   node tests/e2e/imports.test.mjs
//
// Flow: log in → a plan is added (API) → "Impor": a CSV made here (one good row with a plan,
// one customer-only row, one bad phone, one duplicate) is read → the preview shows its columns
// → the phone column (header "Kontak", not guessed) is mapped by hand → "Uji coba" lists every
// row, the bad ones marked → "Impor 2 baris yang benar" → the report says 2 imported → the
// customers are in "Pelanggan"; the history lists the import.
// Exact labels are in T below (ui/src/i18n/id.json). Screenshots: tests/e2e/artifacts/imports-*.png.
import { apiCall, harness, visible } from './harness.mjs';

const { url, username, password, step, open, run, shot } = harness('imports');
const tag = Date.now().toString(36);
const digits = String(Date.now()).slice(-8);
const planName = `Impor 10M ${tag}`;
const good = `Budi Impor ${tag}`;
const only = `Rina Impor ${tag}`;
const csv = [
  'Nama,Kontak,Alamat,Paket,Username,Password',
  `${good},0812${digits},Jl. Mawar 1,${planName},imp${tag},rahasia-${tag}`,
  `${only},0813${digits},Jl. Melati,,,`,
  `Salah Nomor ${tag},12345,Jl. Kenanga,,,`,
  `Dobel ${tag},0812${digits},Jl. Anggrek,,,`,
].join('\n');

// Texts the UI shows (ui/src/i18n/id.json).
const T = {
  loginSubmit: 'Masuk', username: 'Nama pengguna', password: 'Kata sandi',
  navImports: 'Impor', navCustomers: 'Pelanggan', read: 'Baca', dryRun: 'Uji coba',
  phoneField: 'No. WhatsApp', commit: 'Impor 2 baris yang benar', imported: '2 diimpor', errors: '1 salah',
  duplicates: '1 sudah ada', history: 'Riwayat impor', search: 'Cari',
};

async function main() {
  const page = await open();

  await step(page, 'log in', async () => {
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    await page.getByLabel(T.username, { exact: true }).fill(username);
    await page.getByLabel(T.password, { exact: true }).fill(password);
    await page.getByRole('button', { name: T.loginSubmit, exact: true }).click();
    const alert = page.getByRole('alert');
    await visible(page.getByRole('link', { name: T.navImports, exact: true }).or(alert));
    if (await alert.isVisible()) throw new Error(`login refused: "${(await alert.innerText()).trim()}"`);
    const plan = await apiCall(page, 'POST', '/api/plans', { name: planName, price: 150000, kind: 'pppoe', router_profile: '10M' });
    if (plan.status !== 201) throw new Error(`plan: ${plan.status} ${JSON.stringify(plan.body)}`);
  });

  await step(page, '"Baca" reads the CSV and shows its columns and first rows', async () => {
    await page.getByRole('link', { name: T.navImports, exact: true }).click();
    await page.locator('input[type=file]').setInputFiles({ name: 'pelanggan.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByTestId('import-read').click();
    const preview = page.getByTestId('import-preview');
    await visible(preview.getByRole('columnheader', { name: 'Kontak', exact: true }));
    await visible(preview.getByText(good, { exact: true }));
    await shot(page, '01-preview.png');
  });

  await step(page, 'the phone column is mapped by hand; "Uji coba" marks the bad rows', async () => {
    await page.getByTestId('map-phone').click();
    await page.getByRole('option', { name: 'Kontak', exact: true }).click();
    await page.getByTestId('import-dry-run').click();
    const results = page.getByTestId('import-results');
    await visible(results);
    await visible(page.getByTestId('import-totals').getByText(T.errors, { exact: true }));
    await visible(page.getByTestId('import-totals').getByText(T.duplicates, { exact: true }));
    const bad = results.locator('tr[data-status="error"]');
    if ((await bad.count()) !== 1) throw new Error(`${await bad.count()} error rows`);
    await visible(bad.filter({ hasText: `Salah Nomor ${tag}` }).filter({ hasText: T.phoneField }));
    const dup = results.locator('tr[data-status="duplicate"]');
    await visible(dup.filter({ hasText: `Dobel ${tag}` }));
    const found = await apiCall(page, 'GET', `/api/customers?q=${encodeURIComponent(tag)}`);
    if (found.body?.total !== 0) throw new Error(`the dry run wrote customers: ${JSON.stringify(found.body)}`);
    await shot(page, '02-dry-run.png');
  });

  await step(page, '"Impor" writes the good rows and reports them', async () => {
    await page.getByRole('button', { name: T.commit, exact: true }).click();
    await visible(page.getByTestId('import-totals').getByText(T.imported, { exact: true }));
    await visible(page.getByText(T.history, { exact: true }));
    await visible(page.getByRole('cell', { name: 'pelanggan.csv', exact: true }).first());
    await shot(page, '03-report.png');
  });

  await step(page, 'the imported customers are in "Pelanggan"', async () => {
    await page.getByRole('link', { name: T.navCustomers, exact: true }).click();
    await visible(page.getByText(good, { exact: true }).or(page.getByRole('searchbox')).first());
    const found = await apiCall(page, 'GET', `/api/customers?q=${encodeURIComponent(tag)}`);
    const names = (found.body?.items ?? []).map((c) => c.name).sort();
    if (JSON.stringify(names) !== JSON.stringify([good, only].sort())) throw new Error(`customers: ${JSON.stringify(names)}`);
    const subs = await apiCall(page, 'GET', `/api/subscriptions?q=imp${tag}`);
    if (subs.body?.total !== 1) throw new Error(`subscriptions: ${JSON.stringify(subs.body)}`);
    await shot(page, '04-customers.png');
  });
}

await run(main);
