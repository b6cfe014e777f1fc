#!/usr/bin/env node
// Browser check of every page at the laptop sizes shops use (1366×768 and 1280×720, Indonesian):
// nothing clipped, every button named, keyboard basics. Runs against a mikrobill admin listener
// whose owner already exists (ideally after the other browser tests, so the lists hold rows);
// with ROUTEROS_SIM_ADDR it adds a router of its own so the router table has a full row.
//
//   MIKROBILL_URL=http://127.0.0.1:7878/ MIKROBILL_USERNAME=owner \
//   MIKROBILL_PASSWORD='correct horse battery' node tests/e2e/layout.test.mjs
//
// On every route of the navigation (and the voucher sections, and one detail page of each kind),
// at each size, it fails when:
// - a table is wider than the box it scrolls in (scrollWidth > clientWidth + 1), or the page
//   itself scrolls sideways;
// - a badge's text is cut ("AKT…": its label's scrollWidth > clientWidth);
// - the navigation scrolls (at 768 and at 720 px high);
// - a button (or link-button) has no accessible name (icon-only buttons, modal close buttons).
// Also: the login page focuses the username; the first Tab stop is "Lewati ke konten", which
// moves focus to the main content; the form dialogs (add customer, plan, router, user, …) focus
// their first field and their close button is named.
// Screenshots (look at them): tests/e2e/artifacts/layout-<size>-<route>.png.
import { apiCall, harness, visible } from './harness.mjs';

const { url, username, password, step, open, run, shot } = harness('layout', {
  stepTimeoutMs: 60_000, waitTimeoutMs: 20_000,
});

const SIZES = [
  { width: 1366, height: 768 },
  { width: 1280, height: 720 },
];

// Texts the UI shows (ui/src/i18n/id.json).
const T = {
  loginSubmit: 'Masuk', username: 'Nama pengguna', password: 'Kata sandi', navDashboard: 'Dasbor',
  skip: 'Lewati ke konten', closeDialog: 'Tutup dialog',
};

// Dialogs with a form, opened from a page's button: each must focus its first field.
const FORM_DIALOGS = [
  { route: '/customers', button: 'Tambah pelanggan' },
  { route: '/plans', button: 'Tambah paket' },
  { route: '/routers', button: 'Tambah router' },
  { route: '/users', button: 'Tambah pengguna' },
  { route: '/vouchers/profiles', button: 'Tambah profil' },
  { route: '/vouchers/resellers', button: 'Tambah reseller' },
];

/** Waits until the page has rendered its data: a heading in main, no loader left. */
async function settle(page) {
  await visible(page.locator('main h2').first());
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const busy = await page.locator('main .mantine-Loader-root').count();
    if (busy === 0) break;
    await page.waitForTimeout(150);
  }
  // Transitions (collapses, fades) end within Mantine's 200 ms.
  await page.waitForTimeout(400);
}

/** What is wrong with the page as laid out now (an empty list when nothing is). */
function layoutProblems() {
  const problems = [];
  const describe = (el) => {
    const label = el.getAttribute('aria-label') || el.closest('[aria-label]')?.getAttribute('aria-label') || '';
    return `${el.tagName.toLowerCase()}${label ? ` "${label}"` : ''}`;
  };
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1) {
    problems.push(`the page scrolls sideways (${root.scrollWidth} px content in ${root.clientWidth} px)`);
  }
  for (const table of document.querySelectorAll('main table')) {
    if (!table.offsetParent) continue; // hidden (inactive tab)
    // The box the table scrolls in: the nearest ancestor that clips or scrolls; else main.
    let box = table.parentElement;
    while (box && box.tagName !== 'MAIN') {
      const overflow = getComputedStyle(box).overflowX;
      if (overflow !== 'visible') break;
      box = box.parentElement;
    }
    if (!box) continue;
    if (box.scrollWidth > box.clientWidth + 1) {
      problems.push(`table ${describe(table)} overflows its box: ${box.scrollWidth} px in ${box.clientWidth} px`);
    }
  }
  for (const badge of document.querySelectorAll('.mantine-Badge-root')) {
    if (!badge.offsetParent) continue;
    for (const el of [badge, badge.querySelector('.mantine-Badge-label')].filter(Boolean)) {
      if (el.scrollWidth > el.clientWidth + 1) {
        problems.push(`badge "${badge.textContent}" is cut (${el.scrollWidth} px text in ${el.clientWidth} px)`);
        break;
      }
    }
  }
  const nav = document.querySelector('nav.mantine-AppShell-navbar');
  for (const el of [nav, ...(nav?.querySelectorAll('*') ?? [])]) {
    if (!el) continue;
    const overflowY = getComputedStyle(el).overflowY;
    const scrolls = overflowY === 'auto' || overflowY === 'scroll' || el === nav;
    if (scrolls && el.scrollHeight > el.clientHeight + 1) {
      problems.push(`the navigation scrolls: ${el.scrollHeight} px in ${el.clientHeight} px`);
      break;
    }
  }
  for (const button of document.querySelectorAll('button, [role="button"], a.mantine-Button-root, a.mantine-ActionIcon-root')) {
    const style = getComputedStyle(button);
    if (style.display === 'none' || style.visibility === 'hidden' || button.closest('[aria-hidden="true"]')) continue;
    const labelledBy = (button.getAttribute('aria-labelledby') ?? '').split(/\s+/)
      .map((id) => (id && document.getElementById(id)?.textContent) || '').join(' ');
    const labels = [...(button.labels ?? [])].map((l) => l.textContent).join(' ');
    const name = (button.getAttribute('aria-label') || labelledBy || labels || button.textContent || button.getAttribute('title') || '').trim();
    if (!name) {
      const where = button.closest('[role="dialog"]') ? ' (in a dialog)' : '';
      problems.push(`a button without an accessible name${where}: ${button.outerHTML.slice(0, 160)}`);
    }
  }
  return problems;
}

const slug = (route) => route.replace(/^\/$/, 'home').replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '');

async function logIn(page) {
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  const user = page.getByLabel(T.username, { exact: true });
  await visible(user);
  // The username is focused on arrival: type at once.
  const focused = await page.evaluate(() => document.activeElement?.getAttribute('id'));
  const userId = await user.getAttribute('id');
  if (!focused || focused !== userId) {
    throw new Error(`the login page does not focus the username (focused: ${focused ?? 'nothing'})`);
  }
  await page.keyboard.type(username);
  await page.getByLabel(T.password, { exact: true }).fill(password);
  await page.getByRole('button', { name: T.loginSubmit, exact: true }).click();
  const refused = page.getByTestId('form-error');
  await visible(page.getByRole('navigation').getByRole('link', { name: T.navDashboard, exact: true }).or(refused).first());
  if (await refused.isVisible()) throw new Error(`login refused: "${(await refused.innerText()).trim()}"`);
}

async function main() {
  const page = await open({ viewport: SIZES[0] });
  await step(page, 'the login page focuses the username', () => logIn(page));

  await step(page, 'a router with a long name (full status row)', async () => {
    const sim = /^(.+):(\d+)$/.exec(process.env.ROUTEROS_SIM_ADDR ?? '');
    if (!sim) return;
    const name = `Router Kantor Pusat Lantai 2 ${Date.now().toString(36)}`;
    const made = await apiCall(page, 'POST', '/api/routers', {
      name, host: sim[1], port: Number(sim[2]), api_user: 'admin',
      password: process.env.ROUTEROS_SIM_PASSWORD ?? '',
    });
    if (made.status !== 201) throw new Error(`adding the router answered ${made.status}: ${made.text}`);
    await apiCall(page, 'POST', `/api/routers/${made.body.id}/test`);
  });

  const routes = new Set();
  await step(page, 'collect every page of the navigation', async () => {
    for (const href of await page.getByRole('navigation').locator('a[href]').evaluateAll(
      (links) => links.map((a) => new URL(a.href).pathname))) routes.add(href);
    // Sections of an area (the voucher tabs) and one detail page of each list.
    for (const route of [...routes]) {
      await page.goto(new URL(route, url).href, { waitUntil: 'domcontentloaded' });
      await settle(page);
      const sections = await page.locator('[data-section-nav] a[href]').evaluateAll(
        (links) => links.map((a) => new URL(a.href).pathname));
      for (const s of sections) routes.add(s);
      const detail = await page.locator('main table a[href]').evaluateAll((links, base) => links
        .map((a) => new URL(a.href).pathname)
        .find((p) => p.startsWith(`${base}/`) && /\/[0-9a-f-]{36}$/.test(p)), route).catch(() => undefined);
      if (detail && ['/customers', '/subscriptions', '/invoices', '/routers'].includes(route)) routes.add(detail);
    }
    if (routes.size < 15) throw new Error(`only ${routes.size} pages found in the navigation: ${[...routes].join(', ')}`);
    console.log(`  ${routes.size} pages: ${[...routes].join(' ')}`);
  });

  for (const size of SIZES) {
    await page.setViewportSize(size);
    const label = `${size.width}x${size.height}`;
    await step(page, `every page at ${label}: nothing clipped, every button named`, async () => {
      const failures = [];
      for (const route of routes) {
        await page.goto(new URL(route, url).href, { waitUntil: 'domcontentloaded' });
        await settle(page);
        const problems = await page.evaluate(layoutProblems);
        await shot(page, `${label}-${slug(route)}.png`);
        for (const p of problems) failures.push(`${route}: ${p}`);
      }
      if (failures.length) throw new Error(`\n  ${failures.join('\n  ')}`);
    });
  }

  await page.setViewportSize(SIZES[0]);
  await step(page, 'the first Tab stop skips to the content', async () => {
    for (const route of ['/', '/customers', '/routers']) {
      await page.goto(new URL(route, url).href, { waitUntil: 'domcontentloaded' });
      await settle(page);
      await page.evaluate(() => (document.activeElement instanceof HTMLElement ? document.activeElement.blur() : undefined));
      await page.keyboard.press('Tab');
      const first = await page.evaluate(() => ({
        text: document.activeElement?.textContent?.trim(),
        visible: (() => { const r = document.activeElement?.getBoundingClientRect(); return !!r && r.width > 0 && r.height > 0 && r.top >= 0; })(),
      }));
      if (first.text !== T.skip) throw new Error(`${route}: the first Tab stop is "${first.text}", not "${T.skip}"`);
      if (!first.visible) throw new Error(`${route}: the skip link is not visible when focused`);
      await page.keyboard.press('Enter');
      const inMain = await page.evaluate(() => !!document.activeElement?.closest('main'));
      if (!inMain) throw new Error(`${route}: "${T.skip}" did not move focus into the main content`);
      // The next Tab goes to the page's own first control, not back into the navigation.
      await page.keyboard.press('Tab');
      const next = await page.evaluate(() => ({ inMain: !!document.activeElement?.closest('main'), tag: document.activeElement?.tagName }));
      if (!next.inMain) throw new Error(`${route}: Tab after the skip link left the main content (${next.tag})`);
    }
  });

  await step(page, 'form dialogs focus their first field and name their close button', async () => {
    for (const { route, button } of FORM_DIALOGS) {
      await page.goto(new URL(route, url).href, { waitUntil: 'domcontentloaded' });
      await settle(page);
      const opener = page.getByRole('button', { name: button, exact: true }).first();
      if (!(await opener.isVisible())) throw new Error(`${route}: no "${button}" button`);
      await opener.click();
      const dialog = page.getByRole('dialog');
      await visible(dialog);
      await page.waitForTimeout(300);
      const focus = await page.evaluate(() => {
        const el = document.activeElement;
        const dialogEl = el?.closest('[role="dialog"]');
        const field = dialogEl?.querySelector('form input:not([type="hidden"]):not([disabled]), form textarea, form select');
        return { tag: el?.tagName, type: el?.getAttribute('type'), inDialog: !!dialogEl, isFirst: !!field && field === el };
      });
      if (!focus.inDialog || !focus.isFirst) {
        throw new Error(`${route} "${button}": focus is on ${focus.tag}${focus.type ? `[${focus.type}]` : ''}, not the form's first field`);
      }
      await visible(dialog.getByRole('button', { name: T.closeDialog, exact: true }));
      await shot(page, `dialog-${slug(route)}.png`);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
    }
  });
}

await run(main);
