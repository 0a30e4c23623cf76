// The search page with JavaScript: a phrase finds its quote first, a filter narrows the
// results and lives in the URL (Back undoes it), quote text that looks like markup stays text,
// and the first query fetches little.
//
// The DOM contract is that of docs/search.md: `#search-input`, the live region `#search-status`
// ("N results for “q”"), `ol#search-results > li.search-result` with `h3 a[href]`,
// `p.search-result__meta` ("Kind · Summary · Speaker") and `p.search-result__teaser`, the
// filters `details.search-facet[data-facet=…]` with checkboxes `#facet-{key}-{slug}`, and
// `button#search-more` for the next ten results.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { launch, open, pagesByKind, sites } from './lib/sites.mjs';

/** The most gzipped bytes the first query may fetch: the target of docs/search.md. */
const FIRST_QUERY_BUDGET = 100 * 1024;

/**
 * For each site, a distinctive phrase typed as a reader would and the quote it must find first:
 * on the fixture the whole of workforce-001, on the review site part of adults-004.
 */
const PHRASES = {
  fixture: { words: 'paperwork meetings emails', first: 'quotes/workforce-001/' },
  review: { words: 'sheer trauma of actually asking for help', first: 'quotes/adults-004/' },
};

let context;
before(async () => {
  context = await launch();
});
after(async () => {
  await context?.close();
});

const site = (name) => sites.find((s) => s.name === name);

/** The search page of `s`, as a page of `htmlPages`, optionally with a query string. */
function searchPage(s, query = '') {
  const page = pagesByKind(s).get('search')[0];
  assert.ok(page, `${s.name} has a search page`);
  return { ...page, visit: page.visit + query };
}

/** Waits until the live region reports a finished search, and returns its text. */
async function settledStatus(page) {
  await page.waitForFunction(
    () => /results? for|No results/.test(document.getElementById('search-status')?.textContent ?? ''),
    null,
    { timeout: 15_000 },
  );
  return (await page.locator('#search-status').textContent()).trim();
}

/** The number of results the status text gives ("No results…" is 0). */
function countIn(status) {
  const match = /^(\d+) results? for/.exec(status);
  return match ? Number(match[1]) : 0;
}

/** Clicks "Show more results" until every result is listed, then returns each one's parts. */
async function allResults(page) {
  const more = page.locator('#search-more');
  for (let i = 0; i < 50 && (await more.isVisible()); i++) {
    const before = await page.locator('#search-results > li.search-result').count();
    await more.click();
    await page.waitForFunction(
      (n) => document.querySelectorAll('#search-results > li.search-result').length > n,
      before,
      { timeout: 15_000 },
    );
  }
  return page.$$eval('#search-results > li.search-result', (items) =>
    items.map((li) => ({
      href: li.querySelector('h3.search-result__title a')?.getAttribute('href'),
      meta: li.querySelector('p.search-result__meta')?.textContent.trim() ?? '',
    })),
  );
}

for (const [name, phrase] of Object.entries(PHRASES)) {
  test(`search (${name}): a distinctive phrase finds its quote first`, { timeout: 60_000 }, async () => {
    const s = site(name);
    const page = await open(context, searchPage(s));
    try {
      await page.locator('#search-input').pressSequentially(phrase.words);
      await page.locator('#search-results > li.search-result').first().waitFor({ timeout: 15_000 });
      const first = await page
        .locator('#search-results > li.search-result h3.search-result__title a')
        .first()
        .getAttribute('href');
      assert.equal(first, `${s.base}${phrase.first}`, `first result for "${phrase.words}"`);
    } finally {
      await page.close();
    }
  });
}

test('search (fixture): the kind filter narrows the results, is in the URL, and Back undoes it', { timeout: 60_000 }, async () => {
  const s = site('fixture');
  const page = await open(context, searchPage(s, '?q=kinship'));
  try {
    const before = countIn(await settledStatus(page));
    const kinds = new Set((await allResults(page)).map((r) => r.meta.split(' · ')[0]));
    assert.ok(kinds.has('Quote') && kinds.size > 1, `"kinship" finds quotes and other kinds: ${[...kinds]}`);

    await page.locator('details.search-facet[data-facet=kind] > summary').click();
    await page.locator('#facet-kind-quote').check();
    await page.waitForFunction(() => new URL(location.href).searchParams.getAll('kind').includes('quote'), null, {
      timeout: 15_000,
    });
    await page.waitForFunction(
      (n) => /^(\d+) results? for/.test(document.getElementById('search-status').textContent) &&
        Number(/^(\d+)/.exec(document.getElementById('search-status').textContent)[1]) < n,
      before,
      { timeout: 15_000 },
    );
    const narrowed = countIn(await settledStatus(page));
    const params = new URL(page.url()).searchParams;
    assert.equal(params.get('q'), 'kinship', 'the URL keeps the query');
    assert.deepEqual(params.getAll('kind'), ['quote'], 'the URL carries the filter');
    assert.ok(narrowed > 0 && narrowed < before, `filtered ${narrowed} < ${before}`);
    const results = await allResults(page);
    assert.equal(results.length, narrowed, 'every filtered result is listed');
    for (const result of results) {
      assert.match(result.meta, /^Quote( · |$)/, `${result.href} is a quote`);
    }

    await page.goBack();
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('kind'), null, { timeout: 15_000 });
    await page.waitForFunction(
      (n) => document.getElementById('search-status').textContent.startsWith(`${n} result`),
      before,
      { timeout: 15_000 },
    );
    assert.equal(new URL(page.url()).searchParams.get('q'), 'kinship', 'Back keeps the query');
    assert.equal(await page.locator('#facet-kind-quote').isChecked(), false, 'Back clears the box');
    assert.equal(countIn(await settledStatus(page)), before, 'Back restores the count');
  } finally {
    await page.close();
  }
});

test('search (fixture): a quote that contains <script> shows it as text and never runs it', { timeout: 60_000 }, async () => {
  const s = site('fixture');
  const page = await open(context, searchPage(s));
  const dialogs = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    dialog.dismiss().catch(() => {});
  });
  try {
    // The fixture's adults-002 reads "No alert came up when someone wrote <script>alert(1)</script>
    // …": the tokenizer splits on white space only, so "alert" is found by its standalone word.
    await page.locator('#search-input').pressSequentially('alert');
    await page.locator('#search-results > li.search-result').first().waitFor({ timeout: 15_000 });
    const found = await page.$$eval('#search-results > li.search-result', (items) =>
      items.map((li) => ({
        href: li.querySelector('h3.search-result__title a')?.getAttribute('href'),
        teaser: li.querySelector('p.search-result__teaser')?.textContent ?? '',
      })),
    );
    const quote = found.find((r) => r.href === `${s.base}quotes/adults-002/`);
    assert.ok(quote, `adults-002 is found for "alert": ${JSON.stringify(found)}`);
    assert.ok(quote.teaser.includes('<script>alert(1)</script>'), `teaser shows the markup as text: ${quote.teaser}`);
    assert.equal(await page.locator('#search-results script').count(), 0, 'no script element in the results');
    assert.deepEqual(dialogs, [], 'no dialog opened');
  } finally {
    await page.close();
  }
});

test('search (review): the first query for "kinship" fetches at most 100 KB gzipped', { timeout: 60_000 }, async (t) => {
  const s = site('review');
  const indexPrefix = `${s.origin}${s.base}search/en/`;
  let typing = false;
  const bodies = [];
  const page = await context.newPage();
  try {
    // The index files are counted whenever they are fetched (the manifest may come before any
    // typing); anything else only once typing has begun, so the page's own HTML, CSS and JS
    // are left out.
    page.on('response', (response) => {
      if (typing || response.url().startsWith(indexPrefix)) {
        bodies.push(
          response.body().then(
            (body) => ({ url: response.url(), gzip: gzipSync(body).length }),
            () => ({ url: response.url(), gzip: 0 }),
          ),
        );
      }
    });
    const response = await page.goto(searchPage(s).visit, { waitUntil: 'load' });
    assert.equal(response?.status(), 200);
    await page.locator('#search-app').waitFor({ state: 'visible', timeout: 15_000 });
    typing = true;
    await page.locator('#search-input').pressSequentially('kinship');
    await page.locator('#search-results > li.search-result').first().waitFor({ timeout: 15_000 });
    await settledStatus(page);
    await page.waitForLoadState('networkidle');
    const fetched = await Promise.all(bodies);
    const total = fetched.reduce((sum, f) => sum + f.gzip, 0);
    t.diagnostic(`first query: ${fetched.length} responses, ${total} bytes gzipped`);
    assert.ok(fetched.some((f) => f.url.startsWith(indexPrefix)), 'the index was fetched');
    assert.ok(
      total <= FIRST_QUERY_BUDGET,
      `the first query fetched ${total} gzipped bytes: ${JSON.stringify(fetched)}`,
    );
  } finally {
    await page.close();
  }
});
