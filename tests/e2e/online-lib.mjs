// Shared helpers of online.test.mjs (and its step modules): steps with a timeout and a failure
// screenshot, polling text and field-error checks, screenshots in tests/e2e/artifacts/online-*.png.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const STEP_TIMEOUT_MS = 30_000;
export const WAIT_TIMEOUT_MS = 15_000;
export const artifacts = join(dirname(fileURLToPath(import.meta.url)), 'artifacts');
mkdirSync(artifacts, { recursive: true });

export const results = [];
export const consoleErrors = [];

export async function step(page, name, fn) {
  const started = Date.now();
  let timer;
  try {
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${STEP_TIMEOUT_MS / 1000} s`)), STEP_TIMEOUT_MS);
    });
    await Promise.race([fn(), timeout]);
    results.push({ name, ok: true });
    console.log(`ok - ${name} (${Date.now() - started} ms)`);
  } catch (err) {
    results.push({ name, ok: false });
    console.log(`not ok - ${name}`);
    const file = join(artifacts, `online-failure-${name.replace(/[^a-z0-9]+/gi, '-')}.png`);
    await page?.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    throw new Error(`step "${name}" failed: ${err instanceof Error ? err.message : err}\n  screenshot: ${file}`);
  } finally {
    clearTimeout(timer);
  }
}

export const shot = (page, file) => page.screenshot({ path: join(artifacts, `online-${file}`), fullPage: true });
export const visible = (locator) => locator.waitFor({ state: 'visible' });

/** Waits until the locator's text contains `expected` (polling), with a clear message. */
export async function expectText(locator, expected, what) {
  const deadline = Date.now() + WAIT_TIMEOUT_MS;
  let last = '';
  while (Date.now() < deadline) {
    last = ((await locator.first().textContent().catch(() => '')) ?? '').replace(/[\u00a0\u202f]/g, ' ');
    if (last.includes(expected)) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${what}: expected "${expected}", saw "${last}"`);
}

/** The error text Mantine links to an input (aria-describedby), i.e. what is shown under it. */
export async function expectFieldError(input, expected, what) {
  const deadline = Date.now() + WAIT_TIMEOUT_MS;
  let last = '';
  while (Date.now() < deadline) {
    last = await input.evaluate((el) => (el.getAttribute('aria-describedby') ?? '').split(/\s+/)
      .map((id) => (id && document.getElementById(id)?.textContent) || '').join(' | ')).catch(() => '');
    // TextInput marks the input aria-invalid; PasswordInput marks its inner input data-invalid.
    const invalid = await input.evaluate((el) => el.getAttribute('aria-invalid') === 'true' || el.hasAttribute('data-invalid'))
      .catch(() => false);
    if (last.includes(expected) && invalid) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${what}: expected the field error "${expected}", saw "${last}"`);
}
