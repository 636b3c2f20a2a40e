// SPDX-License-Identifier: AGPL-3.0-or-later
// Screenshots of the demo practice for the README and docs/screenshots/:
//   node screenshots.mjs BASE PASSWORD OUTDIR
// (make screenshots starts the demo and runs this).  Every main page at a
// desk's size (1440 x 900) and a phone's (390 x 844), each checked with
// axe-core on the way (no violations of any impact); the client page
// also whole, and the map and lifeline of two demo clients on their own.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const [BASE, PW, OUT] = process.argv.slice(2);
const SIZES = { desk: { width: 1440, height: 900 }, phone: { width: 390, height: 844 } };
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
let failed = 0;

async function axeCheck(page, what) {
  await page.evaluate(AXE);
  const v = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    (await axe.run(document, { resultTypes: ['violations'] })).violations
      .map(x => `${x.impact} ${x.id} (${x.nodes.length}: ${x.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')})`));
  if (v.length) {
    failed++;
    console.error(`${what}: ${v.join('; ')}`);
  }
}

async function session(user, size) {
  const ctx = await browser.newContext({ viewport: SIZES[size] });
  const page = await ctx.newPage();
  await page.goto(`${BASE}/login`);
  await page.fill('#u', user);
  await page.fill('#p', PW);
  await page.click('button[type=submit]');
  await page.waitForURL(url => !url.pathname.startsWith('/login'));
  return { ctx, page };
}

async function shot(page, name, size, full = false) {
  await axeCheck(page, `${name} (${size})`);
  await page.screenshot({ path: `${OUT}/screenshots/${name}-${size}.png`, fullPage: full });
}

for (const size of Object.keys(SIZES)) {
  const anon = await browser.newContext({ viewport: SIZES[size] });
  const lp = await anon.newPage();
  await lp.goto(`${BASE}/login`);
  await shot(lp, 'login', size);
  await anon.close();

  const { ctx, page } = await session('therapist', size);
  await shot(page, 'caseload', size);
  await page.goto(`${BASE}/inbox`);
  await shot(page, 'inbox', size);
  await page.goto(`${BASE}/clients/3`);
  await shot(page, 'client', size);
  // Each of the client page's sections, whole at a desk.
  for (const s of ['measures', 'attachment', 'history', 'narratives', 'sessions', 'care']) {
    await page.goto(`${BASE}/clients/3?section=${s}`);
    await axeCheck(page, `client ${s} (${size})`);
    if (size === 'desk')
      await page.screenshot({ path: `${OUT}/screenshots/client-${s}-desk.png`, fullPage: true });
  }
  await page.goto(`${BASE}/clients/2/history`);
  await shot(page, 'history', size);
  await page.goto(`${BASE}/clients/1/narratives/caregivers`);
  await shot(page, 'narrative', size);
  await page.goto(`${BASE}/outcomes`);
  await shot(page, 'outcomes', size);
  await page.goto(`${BASE}/account`);
  await shot(page, 'account', size);
  // A link the client opens on their own device.
  await page.goto(`${BASE}/clients/3`);
  await page.selectOption('#i', 'phq9');
  await page.getByRole('button', { name: 'Copy link / QR' }).click();
  await shot(page, 'link-created', size);
  const link = await page.locator('a[href*="/q/"]').getAttribute('href');
  // Ines Calloway (3) is not on track: her PHQ-9 chart with the
  // expected band and the checklist; her plans.
  if (size === 'desk') {
    await page.goto(`${BASE}/clients/3`);
    await page.locator('#measures').locator('..').screenshot({ path: `${OUT}/screenshots/not-on-track-desk.png` });
    await page.goto(`${BASE}/clients/3?section=care`);
    await page.locator('#plans').locator('..').screenshot({ path: `${OUT}/screenshots/plans-desk.png` });
    await page.goto(`${BASE}/clients/41?section=attachment`);
    await page.locator('.plane', { hasText: 'Seen as a couple' }).screenshot({ path: `${OUT}/screenshots/couple-desk.png` });
  }
  // The client's own progress page, from a link the therapist made.
  await page.goto(`${BASE}/clients/1?section=care`);
  await page.getByRole('button', { name: /^Make a (new )?link$/ }).click();
  const progress = await page.locator('a[href*="/p/"]').getAttribute('href');
  if (size === 'desk') {
    // Wide enough that each whole map shows.
    await page.setViewportSize({ width: 2000, height: 1200 });
    for (const id of [2, 10]) {
      await page.goto(`${BASE}/clients/${id}/history`);
      await page.locator('svg.map').screenshot({ path: `${OUT}/screenshots/map-${id}.png` });
      await page.locator('svg.lifeline').screenshot({ path: `${OUT}/screenshots/lifeline-${id}.png` });
    }
  }
  await ctx.close();
  const client = await browser.newContext({ viewport: SIZES[size], isMobile: size === 'phone' });
  const q = await client.newPage();
  await q.goto(link);
  await shot(q, 'questionnaire', size);
  await q.goto(progress);
  await shot(q, 'progress', size, size === 'phone');
  await client.close();

  // The waiting room's tablet: today's queue, and a code asked for.
  const tab = await session('tablet', size);
  await shot(tab.page, 'kiosk', size);
  await tab.page.locator('ul.names a').first().click();
  await shot(tab.page, 'kiosk-code', size);
  await tab.ctx.close();
  const sup = await session('supervisor', size);
  await shot(sup.page, 'caseload-supervisor', size);
  await sup.ctx.close();
  const adm = await session('admin', size);
  await shot(adm.page, 'admin', size);
  await adm.ctx.close();
}
await browser.close();
if (failed) {
  console.error(`${failed} page(s) with accessibility violations`);
  process.exit(1);
}
