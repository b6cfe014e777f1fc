// What every browser test needs, in one place: the server's address and the owner's login from
// the environment, Chromium, named steps with a time limit and a screenshot on failure, the API
// with the dashboard's own token, polling text checks, and the summary and exit code at the end.
//
//   const t = harness('imports');           // screenshots tests/e2e/artifacts/imports-*.png
//   await t.run(async () => { const page = await t.open(); await t.step(page, 'log in', …); });
//
// Options: stepTimeoutMs (per step), waitTimeoutMs (Playwright's default wait and the expect*
// helpers), needs (more environment variables the test requires), login: false (a test that does
// not log in, so MIKROBILL_USERNAME/MIKROBILL_PASSWORD are not required). open(contextOptions)
// passes extra options to the browser context (acceptDownloads, a phone's viewport, …).
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const artifacts = join(dirname(fileURLToPath(import.meta.url)), 'artifacts');

export const visible = (locator) => locator.waitFor({ state: 'visible' });

/**
 * The API with the signed-in user's token, from inside the page (for what the screens under test
 * do not do): `{ status, body }`, body the parsed JSON or null, and `text`, the start of the raw
 * answer (for messages, or a page that is not JSON).
 */
export async function apiCall(page, method, path, body) {
  return page.evaluate(
    async ([method, path, body]) => {
      const token = localStorage.getItem('mikrobill.access_token');
      const res = await fetch(path, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      let json = null;
      try {
        json = JSON.parse(text);
      } catch {
        // not JSON (printable HTML, an empty answer, or a route that does not exist)
      }
      return { status: res.status, body: json, text: text.slice(0, 2000) };
    },
    [method, path, body],
  );
}

export function harness(prefix, { stepTimeoutMs = 120_000, waitTimeoutMs = 60_000, needs = [], login = true } = {}) {
  mkdirSync(artifacts, { recursive: true });
  const url = (process.env.MIKROBILL_URL ?? 'http://127.0.0.1:7878/').replace(/\/?$/, '/');
  const username = process.env.MIKROBILL_USERNAME;
  const password = process.env.MIKROBILL_PASSWORD;
  const missing = [login && !username && 'MIKROBILL_USERNAME', login && !password && 'MIKROBILL_PASSWORD',
    ...needs.filter((name) => !process.env[name])].filter(Boolean);
  if (missing.length) {
    console.error(`FAIL: set ${missing.join(', ')}${login ? ' (and MIKROBILL_URL)' : ''}`);
    process.exit(2);
  }
  const results = [];
  const consoleErrors = [];
  let browser;

  async function step(page, name, fn) {
    const started = Date.now();
    let timer;
    try {
      const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${stepTimeoutMs / 1000} s`)), stepTimeoutMs);
      });
      await Promise.race([fn(), timeout]);
      results.push({ name, ok: true });
      console.log(`ok - ${name} (${Date.now() - started} ms)`);
    } catch (err) {
      results.push({ name, ok: false });
      console.log(`not ok - ${name}`);
      const file = join(artifacts, `${prefix}-failure-${name.replace(/[^a-z0-9]+/gi, '-')}.png`);
      await page?.screenshot({ path: file, fullPage: true }).catch(() => undefined);
      throw new Error(`step "${name}" failed: ${err instanceof Error ? err.message : err}\n  screenshot: ${file}`);
    } finally {
      clearTimeout(timer);
    }
  }

  /** A fresh page in headless Chromium (Indonesian locale); console errors are kept. */
  async function open(contextOptions = {}) {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'id-ID', ...contextOptions });
    const page = await context.newPage();
    page.setDefaultTimeout(waitTimeoutMs);
    page.on('console', (msg) => { if (msg.type() === 'error') consoleErrors.push(msg.text()); });
    page.on('pageerror', (err) => consoleErrors.push(String(err)));
    return page;
  }

  /** Runs the test, prints the summary and exits with its result. */
  async function run(main) {
    let failure;
    try {
      await main();
    } catch (err) {
      failure = err;
    } finally {
      await browser?.close().catch(() => undefined);
    }
    const passed = results.filter((r) => r.ok).length;
    if (failure) {
      console.error(`\nFAIL: ${failure instanceof Error ? failure.message : failure}`);
      if (consoleErrors.length) console.error(`browser console errors:\n  ${consoleErrors.join('\n  ')}`);
    }
    console.log(`screenshots: ${artifacts}`);
    console.log(`${passed} passed, ${failure ? Math.max(results.length - passed, 1) : 0} failed`);
    process.exit(failure ? 1 : 0);
  }

  const shot = (page, file) => page.screenshot({ path: join(artifacts, `${prefix}-${file}`), fullPage: true });

  /** Polls `read()` until `done(value)` or the wait timeout; then throws `message(last)`. */
  async function poll(read, done, message) {
    const deadline = Date.now() + waitTimeoutMs;
    let last;
    while (Date.now() < deadline) {
      last = await read();
      if (done(last)) return;
      await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error(message(last));
  }

  /** Waits until the locator's text contains `expected` (polling), with a clear message. */
  const expectText = (locator, expected, what) => poll(
    async () => ((await locator.first().textContent().catch(() => '')) ?? '').replace(/[\u00a0\u202f]/g, ' '),
    (last) => last.includes(expected),
    (last) => `${what}: expected "${expected}", saw "${last ?? ''}"`);

  /** Waits until an input's value is exactly `expected`. */
  const expectValue = (locator, expected, what) => poll(
    () => locator.inputValue().catch(() => ''),
    (last) => last === expected,
    (last) => `${what}: expected value "${expected}", saw "${last ?? ''}"`);

  /** The error text Mantine links to an input (aria-describedby), i.e. what is shown under it. */
  const expectFieldError = (input, expected, what) => poll(
    async () => {
      const text = await input.evaluate((el) => (el.getAttribute('aria-describedby') ?? '').split(/\s+/)
        .map((id) => (id && document.getElementById(id)?.textContent) || '').join(' | ')).catch(() => '');
      // TextInput marks the input aria-invalid; PasswordInput marks its inner input data-invalid.
      const invalid = await input.evaluate((el) => el.getAttribute('aria-invalid') === 'true' || el.hasAttribute('data-invalid'))
        .catch(() => false);
      return { text, invalid };
    },
    (last) => last.text.includes(expected) && last.invalid,
    (last) => `${what}: expected the field error "${expected}", saw "${last?.text ?? ''}"`);

  return {
    url, username, password, step, open, run, shot, consoleErrors, stepTimeoutMs, waitTimeoutMs,
    expectText, expectValue, expectFieldError, poll,
  };
}
