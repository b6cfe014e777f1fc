#!/usr/bin/env node
// The online voucher shop on a 360 px phone, driven by the Rust test
// `vouchers::shop::a_buyer_on_a_phone_buys_a_voucher_and_sees_the_code_without_reloading_by_hand`:
// open SHOP_URL, see the voucher for sale, give a WhatsApp number, "Beli" → the order page,
// choose QRIS, see the code, print `READY <merchant_ref>`, then wait until the page shows the
// voucher code by itself (the test marks the payment paid at the fake gateway; the page follows
// the order's live status) and print `CODE <code>` and how long it took.
// No login. Screenshots: tests/e2e/artifacts/shop-*.png.
import { harness } from './harness.mjs';

const { step, open, run, shot } = harness('shop', {
  login: false, needs: ['SHOP_URL'], stepTimeoutMs: 60_000, waitTimeoutMs: 30_000,
});
const url = process.env.SHOP_URL;

async function noSidewaysScroll(page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  if (width > 360) throw new Error(`the page scrolls sideways on a phone (${width}px)`);
}

async function main() {
  const page = await open({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true });
  const refused = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) refused.push(m.text()); });

  await step(page, 'the shop lists the voucher for sale on a phone', async () => {
    const response = await page.goto(url);
    const bytes = (await response.body()).length;
    await page.getByText('Harian 5rb').waitFor({ timeout: 10_000 });
    await page.getByText('Rp 5.000').first().waitFor();
    console.log(`  shop page: ${bytes} bytes of HTML`);
    if (bytes > 10 * 1024) throw new Error(`the shop page is ${bytes} bytes (more than 10 KB)`);
    await noSidewaysScroll(page);
    await shot(page, 'list.png');
  });

  await step(page, 'buying opens the order page with the payment methods', async () => {
    await page.getByLabel('Nomor WhatsApp (tidak wajib)').fill('0812 3456 7890');
    await page.getByRole('button', { name: 'Beli', exact: true }).click();
    await page.waitForURL(/\/shop\/o\//);
    await page.getByText('Pilih cara bayar').waitFor();
    await noSidewaysScroll(page);
  });

  let readyAt = 0;
  await step(page, 'QRIS code drawn as SVG', async () => {
    await page.getByRole('button', { name: /NOBU QRIS/ }).click();
    await page.locator('.qr svg').waitFor({ timeout: 10_000 });
    await noSidewaysScroll(page);
    await shot(page, 'qris.png');
    const merchantRef = await page.evaluate(async () => {
      const r = await fetch(location.pathname + '/payments', {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ gateway: 'duitku', method: 'NQ' }),
      });
      return (await r.json()).merchant_ref;
    });
    if (!merchantRef) throw new Error('no payment reference for the order');
    readyAt = Date.now();
    console.log(`READY ${merchantRef}`);
  });

  await step(page, 'the code appears by itself once paid, with a one-tap login', async () => {
    const code = page.locator('#voucher-code');
    await code.waitFor({ timeout: 20_000 });
    const shownAfter = Date.now() - readyAt;
    const text = (await code.textContent()).trim();
    if (!/^[A-Za-z0-9]{4,16}$/.test(text)) throw new Error(`not a voucher code: ${text}`);
    const login = await page.getByRole('link', { name: 'Masuk ke hotspot sekarang' }).getAttribute('href');
    if (!login.includes(`username=${text}`)) throw new Error(`the login link does not sign ${text} in: ${login}`);
    await page.locator('#delivered .qr svg').waitFor();
    await page.getByText('Kode juga dikirim ke WhatsApp Anda.', { exact: false }).waitFor();
    if (refused.length) throw new Error(`the browser refused parts of the page: ${refused.join(' | ')}`);
    await noSidewaysScroll(page);
    await shot(page, 'code.png');
    console.log(`CODE ${text}`);
    console.log(`  code on screen ${shownAfter} ms after the payment was ready to be paid`);
  });
}

await run(main);
