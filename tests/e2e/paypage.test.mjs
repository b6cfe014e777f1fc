#!/usr/bin/env node
// Pay page on a 360 px phone screen, driven by the Rust test
// `payments::pay_page::customer_pays_by_qris_on_a_phone_and_sees_paid_without_reloading`:
// open PAY_URL, choose QRIS, see the code, print `READY <merchant_ref>`, then wait until the
// page says it is paid (the test marks it paid at the fake gateway) — without a reload.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const url = process.env.PAY_URL;
if (!url) { console.error('FAIL: set PAY_URL'); process.exit(2); }
const artifacts = join(dirname(fileURLToPath(import.meta.url)), 'artifacts');
mkdirSync(artifacts, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let code = 0;
try {
  const page = await browser.newPage({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, locale: 'id-ID' });
  let navigations = 0;
  page.on('framenavigated', (f) => { if (f === page.mainFrame()) navigations += 1; });
  const started = Date.now();
  const response = await page.goto(url);
  const firstRender = Date.now() - started;
  const bytes = (await response.body()).length;
  await page.getByText('Sisa yang harus dibayar').waitFor({ timeout: 10_000 });
  console.log(`ok - pay page rendered in ${firstRender} ms (${bytes} bytes of HTML)`);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  if (width > 360) throw new Error(`the page scrolls sideways on a phone (${width}px)`);
  await page.getByRole('button', { name: /NOBU QRIS/ }).click();
  await page.locator('.qr svg').waitFor({ timeout: 10_000 });
  console.log('ok - QRIS code drawn as SVG');
  await page.screenshot({ path: join(artifacts, 'paypage-qris.png'), fullPage: true });
  const merchantRef = await page.evaluate(() => current && current.merchant_ref);
  if (!merchantRef) throw new Error('no payment reference on the page');
  console.log(`READY ${merchantRef}`);
  await page.getByText('LUNAS').waitFor({ timeout: 20_000 });
  if (navigations !== 1) throw new Error(`the page reloaded (${navigations} navigations)`);
  await page.screenshot({ path: join(artifacts, 'paypage-paid.png'), fullPage: true });
  console.log('ok - the page shows LUNAS without reloading');
} catch (e) {
  console.error(`FAIL: ${e.message}`);
  code = 1;
} finally {
  await browser.close();
}
process.exit(code);
