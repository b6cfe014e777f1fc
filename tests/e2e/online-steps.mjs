// Steps of online.test.mjs for the gateway cards (four gateways, their key names, server field
// errors, webhook URLs) and the transfer-proof panel on the Payments page. `T` holds the texts.
import { expectFieldError, expectText, shot, step, visible } from './online-lib.mjs';

// A 1×1 PNG: the proof image uploaded to the pay link.
const PROOF_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

/** Uploads a transfer proof to the pay link, as the pay page's form does; returns the payment id. */
async function uploadProof(payUrl, payer) {
  const form = new FormData();
  form.append('amount', '150000');
  form.append('payer_name', payer);
  form.append('proof', new Blob([PROOF_PNG], { type: 'image/png' }), 'bukti.png');
  const response = await fetch(`${payUrl}/manual`, { method: 'POST', body: form });
  const body = await response.text();
  if (!response.ok) throw new Error(`proof upload: ${response.status} ${body}`);
  return JSON.parse(body).payment_id;
}

/** Settings → Pembayaran online (tab open): four cards, their key names, Tripay's field errors. */
export async function gatewaySteps(page, T) {
  await step(page, 'all four gateways are listed with their own key names', async () => {
    for (const [code, name] of Object.entries(T.gateways)) {
      const card = page.getByTestId(`gateway-${code}`);
      await visible(card.getByRole('heading', { name, exact: true }));
      await expectText(card.getByTestId('gateway-state'), T.disabled, `${name} state`);
      await expectText(card.getByTestId('gateway-webhook-missing'), T.webhookNeedsPublic, `${name} webhook hint`);
    }
    const labels = {
      duitku: [T.merchantCode, T.apiKey], tripay: [T.merchantCode, T.apiKey, T.privateKey],
      midtrans: [T.serverKey], xendit: [T.secretKey, T.callbackToken],
    };
    for (const [code, names] of Object.entries(labels)) {
      const card = page.getByTestId(`gateway-${code}`);
      for (const label of names) await visible(card.getByLabel(label, { exact: true }));
    }
    if (await page.getByTestId('gateway-midtrans').getByLabel(T.merchantCode, { exact: true }).count()) {
      throw new Error('Midtrans shows a merchant code');
    }
  });

  await step(page, 'enabling Tripay without keys shows the field errors', async () => {
    const card = page.getByTestId('gateway-tripay');
    // By keyboard: the switch sits at the card's top, where the sticky header would take a click.
    const toggle = card.getByLabel(T.enableTripay, { exact: true });
    await toggle.press('Space');
    if (!(await toggle.isChecked())) throw new Error('the Tripay switch did not turn on');
    await card.getByLabel(T.merchantCode, { exact: true }).fill('T0001');
    await card.getByRole('button', { name: T.save, exact: true }).click();
    await expectFieldError(card.getByLabel(T.apiKey, { exact: true }), T.apiKeyRequired, 'API key');
    await card.getByLabel(T.apiKey, { exact: true }).fill('uji-api-key-tripay');
    await card.getByRole('button', { name: T.save, exact: true }).click();
    await expectFieldError(card.getByLabel(T.privateKey, { exact: true }), T.privateKeyRequired, 'Private key');
    await expectText(card.getByTestId('gateway-state'), T.disabled, 'Tripay state');
    await shot(page, '01b-tripay-errors.png');
  });
}

/** Tab Alamat publik open and empty: a public address gives the webhook URL, then is emptied. */
export async function webhookStep(page, T) {
  await step(page, 'a public address gives each gateway its webhook URL', async () => {
    const base = 'https://bayar.contoh.id';
    const input = page.getByLabel(T.publicUrl, { exact: true });
    await input.fill(base);
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/settings/public-url') && r.request().method() === 'PUT' && r.ok()),
      page.getByRole('button', { name: T.save, exact: true }).click(),
    ]);
    await page.getByRole('tab', { name: T.tabOnline, exact: true }).click();
    const hook = page.getByTestId('gateway-tripay').getByLabel(T.webhookUrl, { exact: true });
    await visible(hook);
    const value = await hook.inputValue();
    if (value !== `${base}/api/payments/webhook/tripay`) throw new Error(`Tripay webhook URL: ${value}`);
    await shot(page, '02b-webhook-url.png');
    await page.getByRole('tab', { name: T.tabPublic, exact: true }).click();
    await visible(input);
    if ((await input.inputValue()) !== base) throw new Error(`the stored address is not shown: ${await input.inputValue()}`);
    await input.fill('');
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/settings/public-url') && r.request().method() === 'PUT' && r.ok()),
      page.getByRole('button', { name: T.save, exact: true }).click(),
    ]);
  });
}

/** On the Payments page after a pay link was made: the proof panel, reject and confirm. */
export async function proofSteps(page, T, { payUrl, customerName }) {
  const panel = page.getByTestId('proofs-panel');
  const reopenPayments = async () => {
    await page.getByRole('link', { name: T.navSettings, exact: true }).click();
    await page.getByRole('link', { name: T.navPayments, exact: true }).click();
  };

  await step(page, 'the transfer-proof panel is on the Payments page, empty', async () => {
    await visible(panel.getByRole('heading', { name: T.proofsTitle, exact: true }));
    await expectText(panel.getByTestId('proofs-empty'), T.proofsEmpty, 'empty proofs panel');
  });

  await step(page, 'a transfer proof is rejected only with a reason', async () => {
    await uploadProof(payUrl, 'Budi Pengirim');
    await reopenPayments();
    const row = panel.getByRole('row').filter({ hasText: customerName });
    await expectText(row, 'Bukti transfer dari Budi Pengirim (menunggu konfirmasi)', 'proof note');
    await expectText(row, 'Rp 150.000', 'proof amount');
    await row.getByRole('button', { name: T.reject, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: T.rejectTitle });
    await dialog.getByRole('button', { name: T.rejectSubmit, exact: true }).click();
    const reason = dialog.getByLabel(T.reason);
    await expectFieldError(reason, T.required, 'reason');
    await reason.fill('Dana belum masuk ke rekening');
    await dialog.getByRole('button', { name: T.rejectSubmit, exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await visible(page.getByText(T.rejected).first());
    await expectText(panel.getByTestId('proofs-empty'), T.proofsEmpty, 'panel after rejecting');
  });

  await step(page, 'a transfer proof is viewed and confirmed', async () => {
    await uploadProof(payUrl, 'Sari Pengirim');
    await reopenPayments();
    const row = panel.getByRole('row').filter({ hasText: customerName });
    await expectText(row, 'Bukti transfer dari Sari Pengirim', 'proof note');
    await row.getByRole('button', { name: T.viewProof, exact: true }).click();
    const viewer = page.getByRole('dialog', { name: `Bukti transfer dari ${customerName}` });
    const image = viewer.getByTestId('proof-image');
    await visible(image);
    await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await image.elementHandle());
    await page.waitForTimeout(400); // the dialog's open transition
    await shot(page, '06-proof-image.png');
    await viewer.getByRole('button', { name: T.confirm, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: T.confirmTitle });
    await dialog.getByRole('button', { name: T.confirmSubmit, exact: true }).click();
    const result = dialog.getByTestId('payment-result');
    await expectText(result, T.confirmed, 'confirm result');
    await expectText(dialog.getByTestId('payment-applied'), 'Rp 150.000', 'applied');
    await expectText(dialog.getByTestId('payment-credit'), 'Rp 0', 'credit');
    await expectText(dialog.getByTestId('payment-invoice-status'), T.paid, 'invoice status');
    await shot(page, '07-proof-confirmed.png');
    await dialog.getByRole('button', { name: T.close, exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expectText(panel.getByTestId('proofs-empty'), T.proofsEmpty, 'panel after confirming');
  });
}
