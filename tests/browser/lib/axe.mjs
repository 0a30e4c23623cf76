// axe-core as the suite runs it: every rule of WCAG 2.0–2.2 A and AA and axe's best practices,
// plus the AAA contrast of 7:1 that the theme promises; and the colour rules alone, for the
// second pass in dark mode.

import { createRequire } from 'node:module';

export const AXE = createRequire(import.meta.url).resolve('axe-core');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/** Every rule of the tags, and text contrast of at least 7:1 (WCAG 1.4.6, AAA). */
export const ALL = {
  runOnly: { type: 'tag', values: TAGS },
  rules: { 'color-contrast-enhanced': { enabled: true } },
};

/** The rules that depend on the colour palette, for the second, dark, pass. */
export const COLOUR = {
  runOnly: { type: 'rule', values: ['color-contrast', 'color-contrast-enhanced', 'link-in-text-block'] },
};

/** The violations of the axe `rules` on the open `page`, each with its failing nodes. */
export async function violations(page, rules) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
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

/** A report of the violations found on the page named `name`, in light and dark mode. */
export function report(name, light, dark) {
  const lines = [`${light.length + dark.length} axe violation(s) on ${name}:`];
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
