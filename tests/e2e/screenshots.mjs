// Screenshots of the demo practice for the README and docs/:
//   node screenshots.mjs BASE PASSWORD OUTDIR
// (make screenshots starts the demo and runs this).
import { chromium } from 'playwright-core';

const [BASE, PW, OUT] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const ctx = await browser.newContext({ viewport: { width: 1000, height: 900 } });
const page = await ctx.newPage();
await page.goto(`${BASE}/login`);
await page.fill('#u', 'therapist');
await page.fill('#p', PW);
await page.click('button[type=submit]');
await page.waitForURL(`${BASE}/`);
await page.screenshot({ path: `${OUT}/screenshot-caseload.png`, fullPage: true });
await page.goto(`${BASE}/clients/3`);
await page.screenshot({ path: `${OUT}/screenshot-client.png`, fullPage: true });
// The map and the lifeline of two demo clients: 2 (divorce, a
// stepfather, cut-offs in two generations) and 10 (three years in foster
// care, two sons).
for (const id of [2, 10]) {
  await page.goto(`${BASE}/clients/${id}`);
  await page.locator('svg.map').screenshot({ path: `${OUT}/screenshot-map-${id}.png` });
  await page.locator('svg.lifeline').screenshot({ path: `${OUT}/screenshot-lifeline-${id}.png` });
}
// A narrative with its indicators marked, and its drafts.
await page.goto(`${BASE}/clients/1/narratives/caregivers`);
await page.screenshot({ path: `${OUT}/screenshot-narrative.png`, fullPage: true });
await browser.close();
