// What the browser actually requests: on a few pages of every template (the first, the middle
// one in path order and the longest), every request goes to the test server, under the
// /review/ sub-path. Nothing from another host: no fonts, scripts or analytics.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { label, launch, open, pagesByKind, sites } from './lib/sites.mjs';

let context;
before(async () => {
  context = await launch();
});
after(async () => {
  await context?.close();
});

/** A few pages of every template of `site`: first, middle and longest, without repeats. */
function fewPages(site) {
  const chosen = [];
  for (const pages of pagesByKind(site).values()) {
    if (pages.length === 0) continue;
    const longest = pages.reduce((a, b) => (b.size > a.size ? b : a));
    const picks = [pages[0], pages[Math.floor(pages.length / 2)], longest];
    const unique = [...new Map(picks.map((p) => [p.path, p])).values()];
    chosen.push(...unique);
  }
  return chosen;
}

for (const site of sites) {
  test(`requests (${site.name}): pages request nothing from another host or outside ${site.base}`, { concurrency: 2, timeout: 600_000 }, async (t) => {
    await Promise.all(fewPages(site).map((sample) => t.test(label(sample), async () => {
      const requests = [];
      const page = await open(context, sample, {
        waitUntil: 'networkidle',
        onRequest: (request) => requests.push(request.url()),
      });
      await page.close();
      const wrong = requests.filter((address) => {
        const url = new URL(address);
        if (url.protocol === 'data:' || url.protocol === 'blob:') return false;
        return url.origin !== site.origin || !url.pathname.startsWith(site.base);
      });
      assert.ok(requests.length > 0, 'no request recorded');
      assert.deepEqual(wrong, [], `requests to another host or outside ${site.base} from ${label(sample)}`);
    })));
  });
}
