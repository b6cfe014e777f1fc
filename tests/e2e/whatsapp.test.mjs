#!/usr/bin/env node
// Browser test of the WhatsApp screen against a running mikrobill admin listener whose owner
// already exists. No WhatsApp provider is needed: the session points at http://127.0.0.1:9
// (nothing listens there), so queued messages stay in the queue.
//
//   MIKROBILL_URL=http://127.0.0.1:7878/ MIKROBILL_USERNAME=owner \
//   MIKROBILL_PASSWORD='correct horse battery' node tests/e2e/whatsapp.test.mjs
//
// Flow: log in → WhatsApp → "Sesi": "Tambah sesi" (dialog "Tambah sesi": "Nama sesi", "Penyedia"
// Fonnte, "Alamat API", "Token perangkat Fonnte") → the session's card shows up with its status
// → "Template": "Ubah Pembayaran lunas" (dialog "Ubah template: Pembayaran lunas") with
// "{pelanggan}" added to "Isi template": the live preview and the server's answer to "Simpan" name
// the variable → "Kembalikan bawaan" (confirmed) → the card is "Bawaan" again → "Kirim pesan"
// (dialog "Kirim pesan WhatsApp": "Nomor tujuan" 0812-3456-7890, "Pesan") → "Antrean & log"
// lists it to 6281234567890 as "Dalam antrean" → "Batalkan" (dialog "Batalkan pesan", a reason)
// → the row reads "Dibatalkan" with no "Batalkan" left → "Pengaturan": "Jam tenang mulai" 22:00,
// "Jam tenang selesai" 06:00, "Simpan", kept after a reload. Exact labels are in T below
// (ui/src/i18n/id.json). Screenshots: tests/e2e/artifacts/whatsapp-*.png.
import { harness, visible } from './harness.mjs';

const t = harness('whatsapp', { stepTimeoutMs: 30_000, waitTimeoutMs: 15_000 });
const { url, username, password, step, open, shot, expectText, waitTimeoutMs } = t;
const run = Date.now().toString(36);
const sessionName = `WA Uji ${run}`;
const messageBody = `Pesan uji ${run}: gangguan jaringan sudah diperbaiki.`;

// Texts the UI shows (ui/src/i18n/id.json).
const T = {
  loginSubmit: 'Masuk', username: 'Nama pengguna', password: 'Kata sandi',
  navWhatsapp: 'WhatsApp', save: 'Simpan',
  addSession: 'Tambah sesi', sessionName: 'Nama sesi', provider: 'Penyedia', baseUrl: 'Alamat API',
  fonnteToken: 'Token perangkat Fonnte', sentToday: 'Terkirim hari ini',
  tabTemplates: 'Template', editFull: 'Ubah Pembayaran lunas', editFullTitle: 'Ubah template: Pembayaran lunas',
  templateBody: 'Isi template', restore: 'Kembalikan bawaan', isDefault: 'Bawaan',
  send: 'Kirim pesan', sendTitle: 'Kirim pesan WhatsApp', to: 'Nomor tujuan', body: 'Pesan',
  queue: 'Masukkan ke antrean', tabQueue: 'Antrean & log', queued: 'Dalam antrean',
  cancel: 'Batalkan', cancelTitle: 'Batalkan pesan', cancelReason: 'Alasan (tidak wajib)',
  cancelConfirm: 'Ya, batalkan pesan', cancelled: 'Dibatalkan',
  tabSettings: 'Pengaturan', quietStart: 'Jam tenang mulai', quietEnd: 'Jam tenang selesai',
  settingsSaved: 'Pengaturan WhatsApp disimpan.',
};

async function main() {
  const page = await open();

  await step(page, 'log in and open WhatsApp', async () => {
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    await page.getByLabel(T.username, { exact: true }).fill(username);
    await page.getByLabel(T.password, { exact: true }).fill(password);
    await page.getByRole('button', { name: T.loginSubmit, exact: true }).click();
    const alert = page.getByRole('alert');
    const nav = page.getByRole('link', { name: T.navWhatsapp, exact: true });
    await visible(nav.or(alert));
    if (await alert.isVisible()) throw new Error(`login refused: "${(await alert.innerText()).trim()}"`);
    await nav.click();
    await visible(page.getByRole('heading', { name: T.navWhatsapp, exact: true }));
    await visible(page.getByRole('button', { name: T.addSession, exact: true }));
  });

  await step(page, '"Tambah sesi" adds a Fonnte session and shows its card', async () => {
    await page.getByRole('button', { name: T.addSession, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: T.addSession });
    await dialog.getByLabel(T.sessionName, { exact: true }).fill(sessionName);
    await dialog.getByLabel(T.provider, { exact: true }).selectOption('fonnte');
    await dialog.getByLabel(T.baseUrl, { exact: true }).fill('http://127.0.0.1:9');
    await dialog.getByLabel(T.fonnteToken, { exact: true }).fill('token-uji-fonnte');
    await dialog.getByRole('button', { name: T.save, exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    const card = page.getByTestId('wa-session-card').filter({ hasText: sessionName });
    await visible(card);
    await expectText(card, 'Fonnte', 'provider on the card');
    await expectText(card, T.sentToday, 'sent today on the card');
    await visible(card.getByTestId('wa-session-status'));
    await shot(page, '01-session.png');
  });

  await step(page, 'a template with an unknown variable is refused, then the default restored', async () => {
    await page.getByRole('tab', { name: T.tabTemplates, exact: true }).click();
    await page.getByRole('button', { name: T.editFull, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: T.editFullTitle });
    const body = dialog.getByLabel(T.templateBody, { exact: true });
    await visible(body);
    await body.fill(`${await body.inputValue()}\nSalam untuk {pelanggan}.`);
    await expectText(dialog.getByTestId('wa-template-preview-error'), '{pelanggan}', 'live preview error');
    await dialog.getByRole('button', { name: T.save, exact: true }).click();
    await expectText(dialog.getByTestId('wa-template-body-error'), '{pelanggan}', 'server error under the text');
    await shot(page, '02-template-error.png');
    await dialog.getByRole('button', { name: T.restore, exact: true }).click();
    const confirm = page.getByRole('dialog', { name: T.restore });
    await confirm.getByRole('button', { name: T.restore, exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    const card = page.locator('[data-testid="wa-template"][data-key="payment_received_full"]');
    await expectText(card.getByTestId('wa-template-state'), T.isDefault, 'template state');
    if ((await card.innerText()).includes('{pelanggan}')) throw new Error('the refused text was kept');
  });

  await step(page, '"Kirim pesan" queues a message that the log shows as queued', async () => {
    await page.getByRole('button', { name: T.send, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: T.sendTitle });
    await dialog.getByLabel(T.to, { exact: true }).fill('0812-3456-7890');
    await dialog.getByLabel(T.body, { exact: true }).fill(messageBody);
    await dialog.getByRole('button', { name: T.queue, exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await visible(page.getByRole('tab', { name: T.tabQueue, exact: true, selected: true }));
    const row = page.getByTestId('wa-message-row').filter({ hasText: messageBody });
    await visible(row);
    await expectText(row, '6281234567890', 'recipient in the log');
    await expectText(row.getByTestId('wa-message-status'), T.queued, 'message status');
    await shot(page, '03-queue.png');
  });

  await step(page, '"Batalkan" takes the queued message out of the queue; the log keeps it as cancelled', async () => {
    const row = page.getByTestId('wa-message-row').filter({ hasText: messageBody });
    await row.getByRole('button', { name: T.cancel, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: T.cancelTitle });
    await dialog.getByLabel(T.cancelReason, { exact: true }).fill('salah kirim');
    await shot(page, '04-cancel-dialog.png');
    await dialog.getByRole('button', { name: T.cancelConfirm, exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expectText(row.getByTestId('wa-message-status'), T.cancelled, 'status after cancelling');
    if ((await row.getByRole('button', { name: T.cancel, exact: true }).count()) !== 0) {
      throw new Error('a cancelled message still offers "Batalkan"');
    }
    await shot(page, '05-cancelled.png');
  });

  await step(page, 'quiet hours 22:00–06:00 are saved', async () => {
    await page.getByRole('tab', { name: T.tabSettings, exact: true }).click();
    await page.getByLabel(T.quietStart, { exact: true }).fill('22:00');
    await page.getByLabel(T.quietEnd, { exact: true }).fill('06:00');
    await page.getByRole('button', { name: T.save, exact: true }).click();
    await expectText(page.getByTestId('wa-settings-saved'), T.settingsSaved, 'save result');
    await page.reload({ waitUntil: 'domcontentloaded' });
    const start = page.getByLabel(T.quietStart, { exact: true });
    await visible(start);
    const deadline = Date.now() + waitTimeoutMs;
    while ((await start.inputValue()) !== '22:00' && Date.now() < deadline) await page.waitForTimeout(150);
    const saved = [await start.inputValue(), await page.getByLabel(T.quietEnd, { exact: true }).inputValue()];
    if (saved.join('–') !== '22:00–06:00') throw new Error(`quiet hours after reload: ${saved.join('–')}`);
    await shot(page, '06-settings.png');
  });
}

await t.run(main);
