// axe-core in headless Chromium: zero violations of WCAG 2.0–2.2 A and AA and axe's best
// practices, plus the AAA contrast of 7:1 that the theme promises, on a page of every template
// and on every template's longest page; and the colour rules again in dark mode
// (`prefers-color-scheme: dark`), where the theme has a palette of its own.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL, COLOUR, report, violations } from './lib/axe.mjs';
import { label, launch, missingKinds, open, samplePages } from './lib/sites.mjs';

let context;
before(async () => {
  context = await launch();
});
after(async () => {
  await context?.close();
});

test('every template has a page to test', () => {
  assert.deepEqual(missingKinds(), [], 'templates with no page in any site');
});

test('axe: no violations on a page of every template and every template\'s longest page, in light and dark mode', { concurrency: 2, timeout: 600_000 }, async (t) => {
  await Promise.all(samplePages().map((sample) => t.test(label(sample), async () => {
    const page = await open(context, sample, { colorScheme: 'light' });
    try {
      const light = await violations(page, ALL);
      await page.emulateMedia({ colorScheme: 'dark' });
      const dark = await violations(page, COLOUR);
      assert.equal(light.length + dark.length, 0, report(label(sample), light, dark));
    } finally {
      await page.close();
    }
  })));
});
