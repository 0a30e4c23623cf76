// axe-core in headless Chromium: zero violations of WCAG 2.0–2.2 A and AA and axe's best
// practices, on a page of every template and on every template's longest page, in light mode,
// and on a page of every template in dark mode (the theme has a dark palette of its own).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { label, launch, missingKinds, open, samplePages } from './lib/sites.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

let context;
before(async () => {
  context = await launch();
});
after(async () => {
  await context?.close();
});

/** The axe violations of `sample` as opened with `options`, each with its failing nodes. */
async function violations(sample, options) {
  const page = await open(context, sample, options);
  try {
    await page.addScriptTag({ path: AXE });
    return await page.evaluate(async (tags) => {
      const result = await window.axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      });
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
      }));
    }, TAGS);
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

test('axe: no violations on a page of every template and every template\'s longest page', { concurrency: 2 }, async (t) => {
  await Promise.all(samplePages().map((sample) => t.test(label(sample), async () => {
    const found = await violations(sample);
    assert.equal(found.length, 0, report(sample, found));
  })));
});

test('axe: no violations in dark mode on a page of every template', { concurrency: 2 }, async (t) => {
  await Promise.all(samplePages({ longest: false }).map((sample) => t.test(label(sample), async () => {
    const found = await violations(sample, { colorScheme: 'dark' });
    assert.equal(found.length, 0, report(sample, found));
  })));
});
