#!/usr/bin/env node
// Pay page on a 360 px phone screen, driven by the Rust test
// `payments::pay_page::customer_pays_by_qris_on_a_phone_and_sees_paid_without_reloading`:
// open PAY_URL, choose QRIS, see the code, print `READY <merchant_ref>`, then wait until the
// page says it is paid (the test marks it paid at the fake gateway) — without a reload.
// No login: only PAY_URL is needed. Screenshots: tests/e2e/artifacts/paypage-*.png.
import { harness } from './harness.mjs';

const { step, open, run, shot } = harness('paypage', {
  login: false, needs: ['PAY_URL'], stepTimeoutMs: 60_000, waitTimeoutMs: 30_000,
});
const url = process.env.PAY_URL;

async function main() {
  const page = await open({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true });
  let navigations = 0;
  page.on('framenavigated', (f) => { if (f === page.mainFrame()) navigations += 1; });
  // The page's Content-Security-Policy allows its one script and style sheet by hash: any
  // refusal means part of the page did not run or was not styled.
  const refused = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) refused.push(m.text()); });

  await step(page, 'the pay page renders on a phone without scrolling sideways', async () => {
    const started = Date.now();
    const response = await page.goto(url);
    const firstRender = Date.now() - started;
    const bytes = (await response.body()).length;
    await page.getByText('Sisa yang harus dibayar').waitFor({ timeout: 10_000 });
    console.log(`  pay page rendered in ${firstRender} ms (${bytes} bytes of HTML)`);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    if (width > 360) throw new Error(`the page scrolls sideways on a phone (${width}px)`);
  });

  await step(page, 'QRIS code drawn as SVG', async () => {
    await page.getByRole('button', { name: /NOBU QRIS/ }).click();
    await page.locator('.qr svg').waitFor({ timeout: 10_000 });
    await shot(page, 'qris.png');
    const merchantRef = await page.evaluate(() => current && current.merchant_ref);
    if (!merchantRef) throw new Error('no payment reference on the page');
    console.log(`READY ${merchantRef}`);
  });

  await step(page, 'the page shows LUNAS without reloading', async () => {
    await page.getByText('LUNAS').waitFor({ timeout: 20_000 });
    if (navigations !== 1) throw new Error(`the page reloaded (${navigations} navigations)`);
    if (refused.length) throw new Error(`the browser refused parts of the page: ${refused.join(' | ')}`);
    const styled = await page.evaluate(() => getComputedStyle(document.querySelector('.card')).borderRadius);
    if (styled !== '12px') throw new Error(`the style sheet did not apply (card radius ${styled})`);
    await shot(page, 'paid.png');
  });
}

await run(main);
