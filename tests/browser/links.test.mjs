// The crawl: from each site's home page, over plain HTTP against nginx, every internal link,
// anchor, image, script and stylesheet resolves with HTTP 200; every page is reachable;
// every internal address is under the /review/ sub-path; and no page loads anything from
// another host.

import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { crawl, problem } from './lib/crawl.mjs';
import { sites } from './lib/sites.mjs';

const crawls = new Map();
before(async () => {
  const results = await Promise.all(sites.map((site) => crawl(site)));
  sites.forEach((site, i) => crawls.set(site.name, results[i]));
}, { timeout: 300_000 });

const isWeb = (url) => url.protocol === 'http:' || url.protocol === 'https:';

/** Lines that group failing references by target, each with the pages that refer to it. */
function byTarget(failures) {
  const groups = new Map();
  for (const { edge, why } of failures) {
    const key = `${edge.url?.href ?? edge.value}: ${why}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(`${edge.from} (${edge.tag}[${edge.attr}]="${edge.value}")`);
  }
  const lines = [];
  for (const [key, from] of groups) {
    lines.push(`- ${key}`);
    lines.push(...from.slice(0, 5).map((f) => `    from ${f}`));
    if (from.length > 5) lines.push(`    and from ${from.length - 5} more`);
  }
  return lines.join('\n');
}

for (const site of sites) {
  test(`crawl (${site.name}): every internal link, anchor, image, script and stylesheet resolves`, () => {
    const { edges, resources, pages } = crawls.get(site.name);
    assert.ok(pages.length > 1, `the crawl found ${pages.length} page(s) from ${site.origin}${site.base}`);
    const failures = edges
      .filter((edge) => !edge.url || (edge.url.origin === site.origin && isWeb(edge.url)))
      .map((edge) => ({ edge, why: problem(site, edge, resources) }))
      .filter(({ why }) => why !== null);
    const checked = edges.filter((e) => e.url?.origin === site.origin).length;
    assert.equal(failures.length, 0, `${failures.length} of ${checked} internal references on ${pages.length} pages are broken:\n${byTarget(failures)}`);
  });

  test(`crawl (${site.name}): every built page is reachable by links from the home page`, () => {
    const { unreached } = crawls.get(site.name);
    const orphans = unreached.filter((p) => p.kind !== '404' && p.kind !== 'redirect');
    assert.deepEqual(orphans.map((p) => p.url), [], 'built pages that no link leads to');
  });

  test(`sub-path (${site.name}): every internal address starts with ${site.base}`, () => {
    const { edges } = crawls.get(site.name);
    const outside = edges
      .filter((edge) => edge.url?.origin === site.origin && !edge.url.pathname.startsWith(site.base))
      .map((edge) => ({ edge, why: `not under ${site.base}` }));
    assert.equal(outside.length, 0, byTarget(outside));
  });

  test(`hosts (${site.name}): no page loads a stylesheet, script, image or frame from another host`, () => {
    const { edges } = crawls.get(site.name);
    const foreign = edges
      .filter((edge) => edge.loads && edge.url && edge.url.protocol !== 'data:' && edge.url.origin !== site.origin)
      .map((edge) => ({ edge, why: 'loaded from another host' }));
    assert.equal(foreign.length, 0, byTarget(foreign));
  });
}
