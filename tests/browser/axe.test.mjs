// axe-core in headless Chromium: zero violations of WCAG 2.0–2.2 A and AA and axe's best
// practices, plus the AAA contrast of 7:1 that the theme promises, on a page of every template
// and on every template's longest page; and the colour rules again in dark mode
// (`prefers-color-scheme: dark`), where the theme has a palette of its own.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { label, launch, missingKinds, open, samplePages } from './lib/sites.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/** Every rule of the tags, and text contrast of at least 7:1 (WCAG 1.4.6, AAA). */
const ALL = {
  runOnly: { type: 'tag', values: TAGS },
  rules: { 'color-contrast-enhanced': { enabled: true } },
};

/** The rules that depend on the colour palette, for the second, dark, pass. */
const COLOUR = {
  runOnly: { type: 'rule', values: ['color-contrast', 'color-contrast-enhanced', 'link-in-text-block'] },
};

let context;
before(async () => {
  context = await launch();
});
after(async () => {
  await context?.close();
});

/** The violations of the axe `rules` on the open `page`, each with its failing nodes. */
function violations(page, rules) {
  return page.evaluate(async (rules) => {
    const result = await window.axe.run(document, { ...rules, resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
    }));
  }, rules);
}

function report(sample, light, dark) {
  const lines = [`${light.length + dark.length} axe violation(s) on ${label(sample)}:`];
  for (const [mode, found] of [['light', light], ['dark', dark]]) {
    for (const v of found) {
      lines.push(`- ${v.id} (${v.impact}, ${mode} mode): ${v.help} <${v.helpUrl}>`);
      for (const node of v.nodes) {
        lines.push(`    at ${node.target}`);
        if (node.summary) lines.push(...node.summary.split('\n').map((l) => `      ${l}`));
      }
    }
  }
  return lines.join('\n');
}

test('every template has a page to test', () => {
  assert.deepEqual(missingKinds(), [], 'templates with no page in any site');
});

test('axe: no violations on a page of every template and every template\'s longest page, in light and dark mode', { concurrency: 2, timeout: 600_000 }, async (t) => {
  await Promise.all(samplePages().map((sample) => t.test(label(sample), async () => {
    const page = await open(context, sample, { colorScheme: 'light' });
    try {
      await page.addScriptTag({ path: AXE });
      const light = await violations(page, ALL);
      await page.emulateMedia({ colorScheme: 'dark' });
      const dark = await violations(page, COLOUR);
      assert.equal(light.length + dark.length, 0, report(sample, light, dark));
    } finally {
      await page.close();
    }
  })));
});
