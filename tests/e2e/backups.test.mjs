#!/usr/bin/env node
// Browser test of "Kesehatan sistem" and "Cadangan" against a running mikrobill admin listener
// whose owner already exists (run last: it restores a backup, so the app switches database).
//
//   MIKROBILL_URL=http://127.0.0.1:7878/ MIKROBILL_USERNAME=owner MIKROBILL_PASSWORD='…' \
//   node tests/e2e/backups.test.mjs
//
// Flow: log in → Monitoring: the page "Kesehatan sistem" shows the database, the data folder's
// free space, the scheduler and the backup line → Cadangan: "Buat cadangan sekarang" adds a
// verified row ("Terverifikasi") → "Unduh" saves a .tar.gz → settings: a relative folder is
// refused under its field, "Jumlah cadangan disimpan" 5 is saved → a customer is added after
// the backup → "Pulihkan" (confirmation dialog "Pulihkan cadangan") → the banner "Pemulihan
// menunggu konfirmasi" shows and the customer added after the backup is gone → "Konfirmasi
// pemulihan" (dialog) → the banner is gone; health says the database is fine again.
// Exact labels are in T below (ui/src/i18n/id.json). Screenshots: tests/e2e/artifacts/backups-*.png.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiCall, artifacts, harness, visible } from './harness.mjs';

const { url, username, password, step, open, run, shot, waitTimeoutMs } = harness('backups', {
  stepTimeoutMs: 120_000, waitTimeoutMs: 60_000,
});
const lateCustomer = `Sesudah Cadangan ${Date.now().toString(36)}`;

// Texts the UI shows (ui/src/i18n/id.json).
const T = {
  loginSubmit: 'Masuk', username: 'Nama pengguna', password: 'Kata sandi',
  navMonitoring: 'Monitoring', navBackups: 'Cadangan',
  healthTitle: 'Kesehatan sistem', dataFolder: 'Folder data', scheduler: 'Penjadwal', dailyBackup: 'Cadangan harian',
  create: 'Buat cadangan sekarang', verified: 'Terverifikasi', download: 'Unduh', restore: 'Pulihkan',
  restoreTitle: 'Pulihkan cadangan', pendingTitle: 'Pemulihan menunggu konfirmasi',
  confirm: 'Konfirmasi pemulihan', folder: 'Folder cadangan', keep: 'Jumlah cadangan disimpan',
  save: 'Simpan', saved: 'Pengaturan cadangan disimpan.', fullPath: 'full path',
};

async function main() {
  const page = await open({ acceptDownloads: true });

  await step(page, 'log in', async () => {
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    await page.getByLabel(T.username, { exact: true }).fill(username);
    await page.getByLabel(T.password, { exact: true }).fill(password);
    await page.getByRole('button', { name: T.loginSubmit, exact: true }).click();
    const alert = page.getByRole('alert');
    await visible(page.getByRole('link', { name: T.navBackups, exact: true }).or(alert));
    if (await alert.isVisible()) throw new Error(`login refused: "${(await alert.innerText()).trim()}"`);
  });

  await step(page, '"Kesehatan sistem" shows every part in plain words', async () => {
    await page.getByRole('link', { name: T.navMonitoring, exact: true }).click();
    await visible(page.getByRole('heading', { name: T.healthTitle, exact: true }));
    const db = page.getByTestId('health-database');
    await visible(db);
    const status = await db.getAttribute('data-status');
    if (status !== 'ok') throw new Error(`database status "${status}"`);
    await visible(page.getByTestId('health-disk-data').filter({ hasText: T.dataFolder }).filter({ hasText: 'GiB' }));
    await visible(page.getByTestId('health-scheduler-scheduler').filter({ hasText: T.scheduler }));
    await visible(page.getByTestId('health-backup-backup').filter({ hasText: T.dailyBackup }));
    await shot(page, '01-health.png');
  });

  await step(page, '"Tugas terjadwal": "Jalankan sekarang" runs the voucher monitor and shows the run', async () => {
    const row = page.getByTestId('job-voucher_monitor');
    await visible(row.filter({ hasText: 'Pantau voucher' }));
    await row.getByRole('button', { name: 'Jalankan sekarang', exact: true }).click();
    await visible(row.filter({ hasText: 'manual' }));
    await visible(row.filter({ hasText: /Berhasil|Gagal/ }));
    await shot(page, '01b-jobs.png');
  });

  // The backup this test makes, by its file name: other tests made earlier ones, and the list
  // may still be loading when the button is pressed, so neither "the first row" nor a row count
  // names it.
  let rowsBefore = 0;
  let made = '';
  const ours = () => page.getByTestId('backup-row').filter({ hasText: made });
  await step(page, '"Buat cadangan sekarang" adds a verified backup', async () => {
    await page.getByRole('link', { name: T.navBackups, exact: true }).click();
    await visible(page.getByRole('button', { name: T.create, exact: true }));
    const before = await apiCall(page, 'GET', '/api/backups');
    const known = new Set((before.body?.items ?? []).map((b) => b.id));
    rowsBefore = known.size;
    await page.getByRole('button', { name: T.create, exact: true }).click();
    const deadline = Date.now() + waitTimeoutMs;
    for (;;) {
      const list = await apiCall(page, 'GET', '/api/backups');
      const fresh = (list.body?.items ?? []).find((b) => !known.has(b.id));
      if (fresh) {
        if (fresh.status !== 'ok') throw new Error(`backup failed: ${JSON.stringify(fresh)}`);
        made = fresh.file_name;
        break;
      }
      if (Date.now() > deadline) throw new Error('no new backup in the list');
      await page.waitForTimeout(200);
    }
    await visible(ours().getByText(T.verified, { exact: true }));
    if ((await ours().getAttribute('data-status')) !== 'ok') throw new Error(`backup failed: ${await ours().innerText()}`);
    // The newest is listed first.
    if (!(await page.getByTestId('backup-row').first().innerText()).includes(made)) {
      throw new Error(`the new backup ${made} is not the first row`);
    }
    await shot(page, '02-created.png');
  });

  await step(page, '"Unduh" saves the backup file', async () => {
    const newest = ours();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      newest.getByRole('button', { name: new RegExp(`^${T.download} `) }).click(),
    ]);
    const name = download.suggestedFilename();
    if (name !== made) throw new Error(`downloaded ${name}, not the new backup ${made}`);
    if (!/^mikrobill-\d{8}-\d{6}-[0-9a-f]{8}\.tar\.gz$/.test(name)) throw new Error(`file name ${name}`);
    const path = join(artifacts, 'backups-download.tar.gz');
    await download.saveAs(path);
    const bytes = readFileSync(path);
    if (bytes.length < 1000 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) throw new Error(`not a gzip file (${bytes.length} bytes)`);
  });

  await step(page, 'settings: a relative folder is refused, "Jumlah cadangan disimpan" is saved', async () => {
    const folder = page.getByLabel(T.folder, { exact: true });
    await folder.fill('cadangan');
    await page.getByRole('button', { name: T.save, exact: true }).click();
    await visible(page.getByText(T.fullPath, { exact: false }));
    await folder.fill('');
    await page.getByLabel(T.keep, { exact: true }).fill('5');
    await page.getByRole('button', { name: T.save, exact: true }).click();
    await visible(page.getByText(T.saved, { exact: true }));
    const saved = await apiCall(page, 'GET', '/api/backups/settings');
    if (saved.body?.keep !== 5) throw new Error(`keep is ${saved.body?.keep}`);
  });

  await step(page, '"Pulihkan" restores the backup and waits for confirmation', async () => {
    const made = await apiCall(page, 'POST', '/api/customers', { name: lateCustomer, phone: '0813-5555-0101', address: 'Jl. Kenanga' });
    if (made.status !== 201) throw new Error(`customer: ${made.status} ${JSON.stringify(made.body)}`);
    await ours().getByRole('button', { name: new RegExp(`^${T.restore} `) }).click();
    const dialog = page.getByRole('dialog', { name: T.restoreTitle });
    await visible(dialog);
    await dialog.getByRole('button', { name: T.restore, exact: true }).click();
    const banner = page.getByTestId('restore-pending');
    await visible(banner.filter({ hasText: T.pendingTitle }));
    const found = await apiCall(page, 'GET', `/api/customers?q=${encodeURIComponent(lateCustomer)}`);
    if (found.body?.total !== 0) throw new Error(`the customer added after the backup is still there: ${JSON.stringify(found.body)}`);
    await shot(page, '03-restore-pending.png');
  });

  await step(page, '"Konfirmasi pemulihan" keeps the restored data', async () => {
    await page.getByTestId('restore-pending').getByRole('button', { name: T.confirm, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: T.confirm });
    await dialog.getByRole('button', { name: T.confirm, exact: true }).click();
    await page.getByTestId('restore-pending').waitFor({ state: 'detached' });
    const list = await apiCall(page, 'GET', '/api/backups');
    if (list.body?.pending_restore !== null) throw new Error(`still pending: ${JSON.stringify(list.body?.pending_restore)}`);
    if ((list.body?.items ?? []).length <= rowsBefore) throw new Error('the backup list lost the new backup');
    await page.getByRole('link', { name: T.navMonitoring, exact: true }).click();
    const db = page.getByTestId('health-database');
    await visible(db);
    if ((await db.getAttribute('data-status')) !== 'ok') throw new Error('health still reports the restore');
    await shot(page, '04-confirmed.png');
  });
}

await run(main);
