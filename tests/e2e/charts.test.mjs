// SPDX-License-Identifier: AGPL-3.0-or-later
// Charts that never collide: every chart of every demo client (the
// measures, the attachment planes, a couple's plane, the relationship
// map and the lifeline), drawn by Debian's Chromium at a
// desk's and a phone's size, and no two words in one picture on top of
// each other, from the boxes the browser lays them out in (rotated
// words too).  tests/e2e/run.sh starts the demo beside the e2e practice.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './lib.mjs';

const BASE = process.env.SB_DEMO;
const PW = process.env.SB_DEMO_PASSWORD;
let browser;

before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// Words that overlap by more than a pixel across and a pixel and a half
// down (a line box is taller than its letters: two lines of one name
// set 13 px apart touch by a pixel and do not collide).
async function collisions(page) {
  return page.evaluate(() => {
    const out = [];
    document.querySelectorAll('svg').forEach(svg => {
      const what = (svg.querySelector('title')?.textContent || 'a picture').slice(0, 40);
      const boxes = [...svg.querySelectorAll('text')]
        .filter(e => e.textContent.trim() !== '')
        .map(e => ({ r: e.getBoundingClientRect(), s: e.textContent.trim() }))
        .filter(b => b.r.width > 0);
      for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i].r, b = boxes[j].r;
          const dx = Math.min(a.right, b.right) - Math.max(a.left, b.left);
          const dy = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
          if (dx > 1 && dy > 1.5)
            out.push(`${what}: "${boxes[i].s}" on "${boxes[j].s}"`);
        }
    });
    return out;
  });
}

test('no two words collide in any chart of any demo client, at a desk or on a phone', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(`${BASE}/login`);
  await page.fill('#u', 'therapist');
  await page.fill('#p', PW);
  await page.click('button[type=submit]');
  await page.waitForURL(u => !u.pathname.startsWith('/login'));
  const clients = [...new Set(await page.evaluate(() => [...document
    .querySelectorAll('table.caseload a[href^="/clients/"]')]
    .map(a => a.getAttribute('href'))))];
  assert.equal(clients.length, 14, 'the demo lists 14 clients');
  let charts = 0;
  const found = [];
  for (const size of [{ width: 1440, height: 900 }, { width: 390, height: 844 }]) {
    await page.setViewportSize(size);
    for (const c of clients)
      for (const u of [c, `${c}?section=attachment`,
          `${c}?section=history&timeline=life`, `${c}/history`]) {
        const r = await page.goto(BASE + u);
        assert.equal(r.status(), 200, u);
        charts += await page.locator('svg').count();
        for (const f of await collisions(page))
          found.push(`${u} at ${size.width}: ${f}`);
      }
  }
  assert.ok(charts > 200, `only ${charts} pictures drawn: the check proves little`);
  assert.deepEqual(found, []);
  await ctx.close();
});
