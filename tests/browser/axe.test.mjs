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

/**
 * The violations of the axe `rules` on `sample` as opened with `options`, each with its
 * failing nodes.
 */
async function violations(sample, rules, options) {
  const page = await open(context, sample, options);
  try {
    await page.addScriptTag({ path: AXE });
    return await page.evaluate(async (rules) => {
      const result = await window.axe.run(document, { ...rules, resultTypes: ['violations'] });
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
      }));
    }, rules);
  } finally {
    await page.close();
  }
}

function report(sample, found) {
  const lines = [`${found.length} axe violation(s) on ${label(sample)}:`];
  for (const v of found) {
    lines.push(`- ${v.id} (${v.impact}): ${v.help} <${v.helpUrl}>`);
    for (const node of v.nodes) {
      lines.push(`    at ${node.target}`);
      if (node.summary) lines.push(...node.summary.split('\n').map((l) => `      ${l}`));
    }
  }
  return lines.join('\n');
}

test('every template has a page to test', () => {
  assert.deepEqual(missingKinds(), [], 'templates with no page in any site');
});

test('axe: no violations (A, AA, best practice, 7:1 contrast) on a page of every template and every template\'s longest page', { concurrency: 2, timeout: 600_000 }, async (t) => {
  await Promise.all(samplePages().map((sample) => t.test(label(sample), async () => {
    const found = await violations(sample, ALL);
    assert.equal(found.length, 0, report(sample, found));
  })));
});

test('axe: no colour violations (contrast 4.5:1 and 7:1, links in text) in dark mode on a page of every template and every template\'s longest page', { concurrency: 2, timeout: 600_000 }, async (t) => {
  await Promise.all(samplePages().map((sample) => t.test(label(sample), async () => {
    const found = await violations(sample, COLOUR, { colorScheme: 'dark' });
    assert.equal(found.length, 0, report(sample, found));
  })));
});
