// The search page with JavaScript: a phrase finds its quote first, a quoted phrase finds only
// its words in order, matches are marked in an excerpt around the best match, a filter narrows
// the results and lives in the URL (Back undoes it), filters alone list what they choose (from
// the URL too, Back and Forward included, by keyboard alone), quote text that looks like markup
// stays text, the first query fetches little, and axe finds nothing in any of these states.
//
// The DOM contract is that of docs/search.md: `#search-input`, the live region `#search-status`
// ("N results for “q”"), `ol#search-results > li.search-result` with `h3 a[href]`,
// `p.search-result__meta` ("Kind · Summary · Speaker") and `p.search-result__teaser`, the
// filters `details.search-facet[data-facet=…]` with checkboxes `#facet-{key}-{slug}`, and
// `button#search-more` for the next ten results.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { ALL, COLOUR, report, violations } from './lib/axe.mjs';
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
    () => /results?( for|$)|No results/.test(document.getElementById('search-status')?.textContent ?? ''),
    null,
    { timeout: 15_000 },
  );
  return (await page.locator('#search-status').textContent()).trim();
}

/** The number of results the status text gives ("No results…" is 0). */
function countIn(status) {
  const match = /^(\d+) results?\b/.exec(status);
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
    // …": "alert" is a word of it twice.
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

/** The results' links, teasers and marked words. */
function shownResults(page) {
  return page.$$eval('#search-results > li.search-result', (items) =>
    items.map((li) => ({
      href: li.querySelector('h3.search-result__title a')?.getAttribute('href'),
      title: li.querySelector('h3.search-result__title a')?.textContent ?? '',
      teaser: li.querySelector('p.search-result__teaser')?.textContent ?? '',
      marks: [...li.querySelectorAll('p.search-result__teaser mark')].map((m) => m.textContent),
    })),
  );
}

/** Waits until the live region says something other than `before`, and returns it. */
async function newStatus(page, before) {
  await page.waitForFunction(
    (b) => {
      const text = document.getElementById('search-status').textContent;
      return text !== b && /results?( for|$)|No results/.test(text);
    },
    before,
    { timeout: 15_000 },
  );
  return (await page.locator('#search-status').textContent()).trim();
}

/** Zero axe violations on the search page as it is now, in light and dark mode. */
async function assertAccessible(page, state) {
  await page.emulateMedia({ colorScheme: 'light' });
  const light = await violations(page, ALL);
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await violations(page, COLOUR);
  await page.emulateMedia({ colorScheme: 'light' });
  assert.equal(light.length + dark.length, 0, report(`the search page, ${state}`, light, dark));
}

test('search (review): a quoted phrase finds only its words in that order, marked in an excerpt around it', { timeout: 60_000 }, async () => {
  const s = site('review');
  const page = await open(context, searchPage(s, '?q=%22junction+of+issues%22'));
  try {
    const status = await settledStatus(page);
    const results = await shownResults(page);
    assert.ok(countIn(status) >= 1, status);
    assert.equal(results[0].href, `${s.base}quotes/adults-050/`);
    for (const r of results) {
      assert.match(r.teaser.toLowerCase(), /junction of issues/, `${r.href} has the phrase`);
    }
    assert.deepEqual(results[0].marks, ['junction of issues'], 'the phrase is marked as one');
    assert.equal(results[0].title, 'Quote from Kinship carer', 'the link text is the title, whole');
    await assertAccessible(page, 'with a phrase found');

    await page.goto(searchPage(s, '?q=%22issues+of+junction%22').visit);
    assert.match(await settledStatus(page), /^No results/, 'the words in another order are not the phrase');
    await assertAccessible(page, 'with no results');

    // Deep in a long section: the excerpt is taken around the match, not from the start.
    await page.goto(searchPage(s, '?q=%22obvious+location+for+exploiters%22').visit);
    await settledStatus(page);
    const [deep] = await shownResults(page);
    assert.equal(deep.href, `${s.base}summaries/workforce/the-care-system/`);
    assert.ok(deep.teaser.startsWith('\u2026'), `the excerpt starts inside the text: ${deep.teaser}`);
    assert.ok(deep.marks.includes('obvious location for exploiters'), `marked: ${deep.marks}`);
  } finally {
    await page.close();
  }
});

test('search (review): loose words together and in order rank above the same words scattered', { timeout: 60_000 }, async () => {
  const s = site('review');
  const page = await open(context, searchPage(s, '?q=spaghetti+junction+issues'));
  try {
    await settledStatus(page);
    const [first] = await shownResults(page);
    assert.equal(first.href, `${s.base}quotes/adults-050/`);
    assert.deepEqual(first.marks, ['spaghetti junction of issues'], 'the run of matched words is one mark');
  } finally {
    await page.close();
  }
});

/** The count the taxonomy page `path` gives for the term linked as `href`. */
async function termCount(page, s, path, href) {
  await page.goto(`${s.origin}${s.base}${path}`);
  const text = await page.locator(`a[href="${href}"] + .count`).textContent();
  return Number(text.trim());
}

test('search (review): filters alone list what they choose, from the URL, with Back and Forward', { timeout: 90_000 }, async () => {
  const s = site('review');
  const page = await context.newPage();
  try {
    const expected = await termCount(page, s, 'voices/', `${s.base}voices/kinship-carer/`);
    await page.goto(searchPage(s, '?voices=kinship-carer').visit);
    const status = await settledStatus(page);
    assert.equal(status, `${expected} results`, 'the count of the voice page');
    const listed = await allResults(page);
    assert.equal(listed.length, expected, 'every result is listed');
    assert.ok(listed.every((r) => r.meta.startsWith('Quote · ')), 'all quotes');
    assert.equal(await page.locator('#facet-voices-kinship-carer').isChecked(), true);
    await assertAccessible(page, 'browsing by a filter');

    // A second filter narrows; Back and Forward move between the two.
    const theme = page.locator('details.search-facet[data-facet=themes] input[type=checkbox]').first();
    await page.locator('details.search-facet[data-facet=themes] > summary').click();
    const slug = await theme.getAttribute('value');
    await theme.check();
    const narrowed = await newStatus(page, status);
    assert.ok(countIn(narrowed) > 0 && countIn(narrowed) < expected, narrowed);
    const params = new URL(page.url()).searchParams;
    assert.deepEqual([params.getAll('voices'), params.getAll('themes')], [['kinship-carer'], [slug]]);
    await page.goBack();
    assert.equal(await newStatus(page, narrowed), status, 'Back restores the one filter');
    assert.equal(new URL(page.url()).searchParams.has('themes'), false);
    await page.goForward();
    assert.equal(await newStatus(page, status), narrowed, 'Forward restores both');
    assert.equal(await page.locator(`#facet-themes-${slug}`).isChecked(), true);
  } finally {
    await page.close();
  }
});

test('search (fixture): the filters work from the keyboard alone', { timeout: 60_000 }, async () => {
  const s = site('fixture');
  const page = await open(context, searchPage(s));
  try {
    const summary = page.locator('details.search-facet[data-facet=voices] > summary');
    await summary.waitFor({ timeout: 15_000 });
    await assertAccessible(page, 'before any search');
    await page.locator('#search-input').focus();
    let found = false;
    for (let i = 0; i < 40 && !found; i++) {
      await page.keyboard.press('Tab');
      found = await summary.evaluate((node) => node === document.activeElement);
    }
    assert.ok(found, 'Tab reaches the voice filter');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    const box = await page.evaluate(() => document.activeElement?.id ?? '');
    assert.match(box, /^facet-voices-/, 'Tab reaches its first value');
    await page.keyboard.press('Space');
    const status = await settledStatus(page);
    assert.ok(countIn(status) > 0, status);
    assert.deepEqual(new URL(page.url()).searchParams.getAll('voices'), [box.replace('facet-voices-', '')]);
    assert.equal(await page.evaluate(() => document.activeElement?.id), box, 'focus stays on the box');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('voices'), null, { timeout: 15_000 });
  } finally {
    await page.close();
  }
});
