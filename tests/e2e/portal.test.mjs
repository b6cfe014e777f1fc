#!/usr/bin/env node
// The customer page on a 360 px phone, driven by the Rust test
// `portal::a_subscriber_on_a_phone_signs_in_and_opens_the_pay_page`: open PORTAL_URL, type the
// phone number, "Kirim kode lewat WhatsApp", print `READY`, read the code the test sends on
// stdin (the one WhatsApp was asked to send), sign in, see the subscription and the invoice,
// "Bayar" → the pay page of that invoice; then sign out.
// No login. Screenshots: tests/e2e/artifacts/portal-*.png.
import { createInterface } from 'node:readline';
import { harness } from './harness.mjs';

const { step, open, run, shot } = harness('portal', {
  login: false, needs: ['PORTAL_URL', 'PORTAL_PHONE', 'PORTAL_INVOICE'], stepTimeoutMs: 60_000, waitTimeoutMs: 30_000,
});
const url = process.env.PORTAL_URL;
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

async function noSidewaysScroll(page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  if (width > 360) throw new Error(`the page scrolls sideways on a phone (${width}px)`);
}

async function main() {
  const page = await open({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true });
  const refused = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) refused.push(m.text()); });

  await step(page, 'ask for a code with the phone number', async () => {
    await page.goto(url);
    await page.getByLabel('Nomor HP (WhatsApp) atau nama login internet').fill(process.env.PORTAL_PHONE);
    await noSidewaysScroll(page);
    await shot(page, 'sign-in.png');
    await page.getByRole('button', { name: 'Kirim kode lewat WhatsApp' }).click();
    await page.getByLabel('Kode 6 angka').waitFor();
    console.log('READY');
  });

  await step(page, 'sign in with the code and see the invoice', async () => {
    const { value: code } = await lines.next();
    await page.getByLabel('Kode 6 angka').fill(code.trim());
    await page.getByRole('button', { name: 'Masuk', exact: true }).click();
    await page.getByText(process.env.PORTAL_INVOICE).waitFor();
    await page.getByText('Belum dibayar').first().waitFor();
    await noSidewaysScroll(page);
    await shot(page, 'home.png');
  });

  await step(page, '"Bayar" opens the pay page of that invoice', async () => {
    await page.getByRole('button', { name: /^Bayar Rp/ }).first().click();
    await page.waitForURL(/\/pay\//);
    await page.getByText('Sisa yang harus dibayar').waitFor();
    await page.getByText(process.env.PORTAL_INVOICE).waitFor();
    await shot(page, 'pay.png');
  });

  await step(page, 'sign out', async () => {
    await page.goto(url);
    await page.getByRole('button', { name: 'Keluar' }).click();
    await page.getByRole('button', { name: 'Kirim kode lewat WhatsApp' }).waitFor();
    if (refused.length) throw new Error(`the browser refused parts of the page: ${refused.join(' | ')}`);
  });
}

await run(main);
