// SPDX-License-Identifier: AGPL-3.0-or-later
// lib.mjs - what the browser test files share: Debian's Chromium,
// launched one way (no sandbox inside the test's container, no GPU, no
// calls home).
import { chromium } from 'playwright-core';

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic',
      '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}
