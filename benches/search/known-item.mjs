// The known-item benchmark (issue 16): can a reader who remembers something of a quote or an
// idea find it again? For a seeded sample of the site's quotes and responses it makes two
// queries per item from the item's text as published, puts each to the Chorus search page
// and to Pagefind in the same headless Chromium, and scores the first ten results. Run by
// `benches/search/run --known-item`, which builds the site and Pagefind's index; by hand:
//
//   node benches/search/known-item.mjs PUBLIC_DIR BASE_PATH [--items N] [--bytes N] [--seed S] [--json FILE]
//
// where PUBLIC_DIR/BASE_PATH… holds the built site, with Pagefind's output in its
// `pagefind/` folder. docs/search.md ("Known-item benchmark") describes the method and
// keeps the figures of a run.
//
// Items and their text come from the site's open data (`data/quotes.json` and the
// responses' `data/<responses>.json`): the plain text of each rendered body and its
// permalink, which is what the site publishes. Half the sample is quotes, half responses.
// Queries, each made so that no other item matches it (a reader remembers what is in the
// item, and an engine can then put it first):
//
// - words: 3 words a reader would remember, unquoted, in the order of the text, from one
//   window of 10 words: words that are not stop words, have 3 letters or more, and are in
//   at most 5% of the items (the collection's common words, "children", "care", "social",
//   are not what tells one item from another); no other item has all three;
// - phrase: 4 consecutive words of the text in double quotes, not crossing punctuation
//   (a reader quotes within a clause), with at least 2 words that are not stop words; no
//   other item has the four in a row.
//
// A result is a hit when its page contains the item: when the text of the page's <main>,
// reduced to lower-case letters and digits separated by single spaces, contains the item's
// text reduced the same way, up to its first 200 characters (enough to tell items apart;
// listings that show an item in full count, pages that only link to it do not).
//
// Every query is ranked in one search page per engine, kept open; the bytes are those of a
// first search, each query put to a freshly opened page, for the first --bytes items only
// (opening Pagefind takes most of a second here; see `weigh`).

import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { Parser } from 'htmlparser2';
import { launch, record, serve } from './lib.mjs';

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    items: { type: 'string', default: '300' },
    bytes: { type: 'string', default: '30' },
    seed: { type: 'string', default: 'chorus-known-item-1' },
    json: { type: 'string' },
  },
});
const [publicDir, base] = positionals;
if (!publicDir || !base) {
  console.error('usage: node benches/search/known-item.mjs PUBLIC_DIR BASE_PATH [--items N] [--bytes N] [--seed S] [--json FILE]');
  process.exit(2);
}
const siteDir = join(publicDir, base);
const ITEMS = Number(options.items);
const WEIGH = Number(options.bytes); // items whose queries are also put to a fresh page
const PAGEFIND_PAGE = 'pagefind-known-item/';
const WINDOW = 10; // words a "words" query is taken from
const COMMON = 0.05; // share of items above which a word is too common to be remembered
const PREFIX = 200; // characters of an item's text that must be on a page
const TOP = 10; // results read per query

// English function words (pronouns, articles, prepositions, conjunctions, auxiliaries):
// what a reader leaves out of remembered words, and what a quoted phrase needs two words
// besides. The benchmark's own list, so that it favours neither engine's stop words.
const STOP = new Set(`a about above after again against all also am an and any are as at be because been before
being below between both but by can cannot could did do does doing down during each either etc few for from
further had has have having he her here hers herself him himself his how i if in into is it its itself just
may me might more most must my myself neither no nor not now of off on once only or other our ours ourselves
out over own same shall she should so some such than that the their theirs them themselves then there these
they this those through to too under until up very was we were what when where which while who whom why will
with would you your yours yourself yourselves
can't don't doesn't didn't isn't aren't wasn't weren't won't wouldn't couldn't shouldn't haven't hasn't
hadn't it's i'm i've i'd i'll we're we've we'd we'll you're you've you'd you'll they're they've they'd
they'll he's he'd she's she'd that's there's what's who's here's let's`.split(/\s+/));

// ---- Text

/** Lower-case letters and digits, one space between runs: what containment compares. */
function reduce(text) {
  return (text.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).join(' ');
}

/** A word as typed: without the punctuation around it; curly apostrophes as published. */
function core(word) {
  return word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
}

function isStop(word) {
  return STOP.has(core(word).toLowerCase().replace(/[‘’´]/g, "'"));
}

// Elements that do not break a word: their text runs on from what precedes them.
const INLINE = new Set(['a', 'abbr', 'b', 'bdi', 'cite', 'code', 'em', 'i', 'mark', 'q', 'small', 'span',
  'strong', 'sub', 'sup', 'time', 'u']);
const SKIP = new Set(['script', 'style', 'template']);

/** The text of the <main> of an HTML page, block elements kept apart by a space. */
function mainText(html) {
  let inMain = 0;
  let skipping = 0;
  const parts = [];
  const parser = new Parser({
    onopentag(name) {
      if (name === 'main') inMain++;
      if (SKIP.has(name)) skipping++;
      if (!INLINE.has(name)) parts.push(' ');
    },
    ontext(text) {
      if (inMain > 0 && skipping === 0) parts.push(text);
    },
    onclosetag(name) {
      if (name === 'main') inMain--;
      if (SKIP.has(name)) skipping--;
      if (!INLINE.has(name)) parts.push(' ');
    },
  }, { decodeEntities: true });
  parser.write(html);
  parser.end();
  return parts.join('');
}

/** Every HTML page of the site: `{ key, text }`, `key` its address below the base path. */
function scanPages() {
  const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path) : [path];
  });
  return walk(siteDir)
    .filter((file) => file.endsWith('.html'))
    .map((file) => ({ file, key: relative(siteDir, file).split(sep).join('/').replace(/(^|\/)index\.html$/, '$1') }))
    // Not the search pages the benchmarks write for Pagefind.
    .filter(({ key }) => !key.startsWith('pagefind'))
    .map(({ file, key }) => ({ key, text: ` ${reduce(mainText(readFileSync(file, 'utf8')))} ` }));
}

/** A result's or permalink's address as a page key (see scanPages). */
function pageKey(url) {
  const path = decodeURIComponent(new URL(url, 'http://x').pathname);
  return (path.startsWith(base) ? path.slice(base.length) : path.replace(/^\//, '')).replace(/(^|\/)index\.html$/, '$1');
}

// ---- Sampling: FNV-1a hashes and xorshift32, so that a seed fixes every choice.

function hash(text) {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return h;
}

/** A generator of numbers in [0, 1) for one item: its choices do not depend on the others. */
function random(id) {
  let state = hash(`${options.seed}:${id}:queries`) || 1;
  return () => {
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    return state / 2 ** 32;
  };
}

/** The items of the open data: `{ id, kind, text, key }`. */
function loadItems() {
  const dataDir = join(siteDir, 'data');
  return readdirSync(dataDir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .flatMap((name) => {
      const kind = name === 'quotes.json' ? 'quote' : 'response';
      return JSON.parse(readFileSync(join(dataDir, name), 'utf8'))
        .map((row) => ({ id: row.id, kind, text: row.text, key: pageKey(row.permalink) }));
    });
}

/** `list` in an order drawn with `rand` (Fisher–Yates). */
function shuffle(list, rand) {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * What queries are judged against: every item's reduced text and set of words, and in how
 * many items each word is. `identifies(query, item)` says whether `item` is the only item
 * with all the query's words, or, for a quoted query, with its words in a row.
 */
function collection(items) {
  const texts = new Map(items.map((i) => [i, ` ${reduce(i.text)} `]));
  const words = new Map(items.map((i) => [i, new Set(texts.get(i).trim().split(' '))]));
  const frequency = new Map();
  for (const set of words.values()) for (const w of set) frequency.set(w, (frequency.get(w) ?? 0) + 1);
  return {
    frequency,
    identifies(query, item) {
      const reduced = reduce(query);
      const has = query.startsWith('"')
        ? (i) => texts.get(i).includes(` ${reduced} `)
        : (i) => reduced.split(' ').every((w) => words.get(i).has(w));
      return has(item) && items.every((i) => i === item || !has(i));
    },
  };
}

/**
 * The "words" query of an item: from a window of the text, three of its memorable words in
 * their order, that no other item has all of; null when no window has them.
 */
function wordsQuery(item, corpus, limit, rand) {
  const words = item.text.split(/\s+/).filter(Boolean);
  const memorable = (w) => /^\p{L}/u.test(core(w)) && [...core(w)].length >= 3 && !isStop(w) &&
    reduce(w).split(' ').every((part) => corpus.frequency.get(part) <= limit);
  const windows = [];
  for (let start = 0; start < words.length; start++) {
    // Windows are told apart by their first word, so each is taken once.
    if (!memorable(words[start])) continue;
    const chosen = [];
    for (const w of words.slice(start, start + WINDOW)) {
      if (memorable(w) && !chosen.some((c) => reduce(c) === reduce(w))) chosen.push(w);
    }
    if (chosen.length >= 3) windows.push(chosen);
  }
  for (const window of shuffle(windows, rand)) {
    const chosen = [...window];
    while (chosen.length > 3) chosen.splice(Math.floor(rand() * chosen.length), 1);
    const query = chosen.map(core).join(' ');
    if (corpus.identifies(query, item)) return query;
  }
  return null;
}

/**
 * The "phrase" query of an item: 4 words in a row, quoted, within a clause (no punctuation
 * between them), at least 2 of them not stop words, that no other item has; null when the
 * item has no such span.
 */
function phraseQuery(item, corpus, rand) {
  const words = item.text.split(/\s+/).filter(Boolean);
  const spans = [];
  for (let start = 0; start + 4 <= words.length; start++) {
    const span = words.slice(start, start + 4);
    const clean = span.every((w, i) =>
      core(w) !== '' && !/["“”]/.test(core(w)) &&
      (i === 0 || /^[\p{L}\p{N}]/u.test(w)) && (i === 3 || /[\p{L}\p{N}]$/u.test(w)));
    if (clean && span.filter((w) => !isStop(w)).length >= 2) spans.push(span);
  }
  for (const span of shuffle(spans, rand)) {
    const query = `"${span.map(core).join(' ')}"`;
    if (corpus.identifies(query, item)) return query;
  }
  return null;
}

/**
 * The sample: per kind, the first ITEMS/2 items that have both queries, in the order of a
 * hash of the seed and their id, each with the pages that contain it. The first WEIGH/2 of
 * each kind are also weighed (see weigh).
 */
function sample(items, pages) {
  const corpus = collection(items);
  const limit = Math.floor(items.length * COMMON);
  const chosen = [];
  for (const kind of ['quote', 'response']) {
    const ordered = items.filter((i) => i.kind === kind)
      .sort((a, b) => hash(`${options.seed}:${a.id}`) - hash(`${options.seed}:${b.id}`));
    let taken = 0;
    for (const item of ordered) {
      if (taken === Math.ceil(ITEMS / 2)) break;
      const rand = random(item.id);
      const words = wordsQuery(item, corpus, limit, rand);
      const phrase = phraseQuery(item, corpus, rand);
      if (!words || !phrase) continue;
      let needle = reduce(item.text);
      if (needle.length > PREFIX) needle = needle.slice(0, needle.lastIndexOf(' ', PREFIX));
      const containing = new Set(pages.filter((p) => p.text.includes(` ${needle} `)).map((p) => p.key));
      if (!containing.has(item.key)) {
        throw new Error(`${item.id}: its text is not on its own page ${item.key}; the open data and the pages disagree`);
      }
      chosen.push({ ...item, queries: { words, phrase }, containing, weigh: taken < Math.ceil(WEIGH / 2) });
      taken++;
    }
  }
  return chosen;
}

// ---- The engines, each driven in its own tab of one Chromium

/**
 * The Chorus search page, used as a reader does: the query put into #search-input and the
 * form submitted; then it waits for #search-status to report that query and for the first
 * page of results to be on show (the DOM contract of docs/search.md). All in the page, in
 * one round trip: Playwright's own typing and waiting cost more than the search.
 */
const chorus = {
  name: 'Chorus',
  path: () => `${base}search/`,
  isIndex: (path) => path.startsWith(`${base}search/en/`),
  async run(page, query) {
    return page.evaluate(async ([q, top]) => {
      const input = document.getElementById('search-input');
      input.value = q;
      input.dispatchEvent(new Event('input', { bubbles: true }));
      document.getElementById('search-form').requestSubmit();
      const shown = () => {
        const status = document.getElementById('search-status').textContent;
        if (!status.includes(`\u201c${q.trim()}\u201d`)) return false;
        if (status.startsWith('No results')) return true;
        const count = Number.parseInt(status.replace(/,/g, ''), 10);
        return document.querySelectorAll('#search-results li.search-result').length >= Math.min(count, top);
      };
      const deadline = Date.now() + 15000;
      while (!shown()) {
        if (Date.now() > deadline) throw new Error(`no results shown for ${q}`);
        await new Promise((r) => setTimeout(r, 5));
      }
      return [...document.querySelectorAll('li.search-result h3.search-result__title > a')].map((a) => a.href);
    }, [query, TOP]);
  },
};

/**
 * Pagefind through its JS API, from a blank page of the same origin: `search()`, then
 * `data()` of the first ten results, as its default UI does for the results it shows.
 */
const pagefind = {
  name: 'Pagefind',
  path: () => `${base}${PAGEFIND_PAGE}`,
  isIndex: (path) => path.startsWith(`${base}pagefind/`),
  async run(page, query) {
    return page.evaluate(async ([bundle, baseUrl, q, top]) => {
      const api = await import(bundle);
      await api.options({ baseUrl });
      const found = await api.search(q);
      const data = await Promise.all(found.results.slice(0, top).map((r) => r.data()));
      return data.map((d) => new URL(d.url, location.href).href);
    }, [`${base}pagefind/pagefind.js`, base, query, TOP]);
  },
};

/** The blank page Pagefind is driven from, written after indexing so it is not indexed. */
function writePagefindPage() {
  const dir = join(siteDir, PAGEFIND_PAGE);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8">' +
    '<title>Pagefind known-item benchmark</title></head><body><main></main></body></html>\n');
}

/** `engine.run`, with a failure (a timeout, a script error) kept as the query's result. */
async function attempt(engine, page, query) {
  try {
    return { urls: (await engine.run(page, query)).slice(0, TOP), error: null };
  } catch (e) {
    return { urls: [], error: e.message.split('\n')[0] };
  }
}

/**
 * Puts every query to `engine` in one open search page, and returns the result URLs of
 * each (`{ urls, error }`). The page keeps what it loaded from one query to the next, which
 * changes what is fetched, not what is found.
 */
async function rank(context, origin, engine, queries) {
  const started = Date.now();
  const page = await context.newPage();
  await page.goto(origin + engine.path(), { waitUntil: 'load' });
  const runs = [];
  for (const query of queries) runs.push(await attempt(engine, page, query));
  await page.close();
  console.log(`${engine.name}: ${queries.length} queries ranked in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return runs;
}

/**
 * What each query costs as a reader's first search: the query put to a freshly opened
 * search page, and the index files the engine then fetched, as a map path → transfer bytes
 * (everything under `search/en/`, resp. `pagefind/`, the manifest and Pagefind's script
 * and WebAssembly included). Opening the page costs far more time than the search, so this
 * is done for a subset of the queries only.
 */
async function weigh(context, origin, engine, queries) {
  const started = Date.now();
  const page = await context.newPage();
  const recorder = record(page);
  const weights = [];
  for (const query of queries) {
    recorder.responses.length = 0;
    await page.goto(origin + engine.path(), { waitUntil: 'load' });
    const { error } = await attempt(engine, page, query);
    await recorder.idle();
    const files = new Map();
    for (const r of recorder.responses) {
      const path = new URL(r.url).pathname;
      if (engine.isIndex(path)) files.set(path, (files.get(path) ?? 0) + r.transfer);
    }
    weights.push({ files, error });
  }
  await page.close();
  console.log(`${engine.name}: ${queries.length} queries weighed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return weights;
}

// ---- Scores

function median(values) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * recall@1, recall@5 and MRR@10 of one engine over some of its queries, and over those
 * weighed, the median bytes per query: all the index files fetched (the cost of a first
 * search), and those not in `fixed`, the files every query of the engine fetched (Chorus's
 * manifest; Pagefind's script, worker, WebAssembly, entry and metadata): what depends on
 * the query.
 */
function score(results, fixed) {
  const ranks = results.map((r) => r.rank);
  const share = (test) => ranks.filter(test).length / ranks.length;
  const weighed = results.filter((r) => r.files);
  const bytes = (r, keep) => [...r.files].reduce((sum, [path, size]) => sum + (keep(path) ? size : 0), 0);
  return {
    queries: results.length,
    recall1: share((rank) => rank === 1),
    recall5: share((rank) => rank !== null && rank <= 5),
    mrr10: ranks.reduce((sum, rank) => sum + (rank ? 1 / rank : 0), 0) / ranks.length,
    weighed: weighed.length,
    bytes: median(weighed.map((r) => bytes(r, () => true))),
    queryBytes: median(weighed.map((r) => bytes(r, (path) => !fixed.has(path)))),
    errors: results.filter((r) => r.error).length,
  };
}

const fmt = (x) => x.toFixed(3);
const kb = (bytes) => (bytes === null ? '–' : `${(bytes / 1024).toFixed(1)} KB`);

// ---- The run

const started = Date.now();
const pages = scanPages();
const items = sample(loadItems(), pages);
const QUERY_TYPES = ['words', 'phrase'];
console.log(`${items.length} items (${items.filter((i) => i.kind === 'quote').length} quotes, ` +
  `${items.filter((i) => i.kind === 'response').length} responses) of ${pages.length} pages, seed "${options.seed}"; ` +
  `each item on ${median(items.map((i) => i.containing.size))} pages (median)`);

writePagefindPage();
const queries = items.flatMap((item) => QUERY_TYPES.map((type) => ({ item, type, query: item.queries[type] })));
const toWeigh = queries.filter((q) => q.item.weigh);
const { server, origin } = await serve(publicDir);
const { context, close } = await launch();
const results = [];
try {
  // The two engines in two tabs at once, each given the queries in the same order.
  const runs = await Promise.all([chorus, pagefind].map(async (engine) => {
    const ranked = await rank(context, origin, engine, queries.map((q) => q.query));
    const weighed = await weigh(context, origin, engine, toWeigh.map((q) => q.query));
    return { ranked, weights: new Map(toWeigh.map((q, i) => [q, weighed[i]])) };
  }));
  [chorus, pagefind].forEach((engine, e) => queries.forEach((q, i) => {
    const { urls, error } = runs[e].ranked[i];
    const weight = runs[e].weights.get(q);
    const index = urls.findIndex((url) => q.item.containing.has(pageKey(url)));
    results.push({ engine: engine.name, type: q.type, id: q.item.id, kind: q.item.kind, query: q.query,
      rank: index < 0 ? null : index + 1, urls: urls.map(pageKey), files: weight?.files, error: error ?? weight?.error ?? null });
  }));
} finally {
  await close();
  server.close();
}

const table = [];
for (const engine of [chorus, pagefind]) {
  const mine = results.filter((r) => r.engine === engine.name);
  const weighed = mine.filter((r) => r.files);
  const fixed = new Set([...(weighed[0]?.files.keys() ?? [])].filter((path) => weighed.every((r) => r.files.has(path))));
  for (const type of QUERY_TYPES) table.push({ engine: engine.name, type, ...score(mine.filter((r) => r.type === type), fixed) });
  table.push({ engine: engine.name, type: 'all', ...score(mine, fixed) });
}
console.log('\n| engine | queries | recall@1 | recall@5 | MRR@10 | bytes per first query | of which query-dependent |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const row of table) {
  console.log(`| ${row.engine} | ${row.type} (${row.queries}) | ${fmt(row.recall1)} | ${fmt(row.recall5)} | ` +
    `${fmt(row.mrr10)} | ${kb(row.bytes)} | ${kb(row.queryBytes)} |`);
}
// Quotes are short and responses long, which the engines rank differently.
for (const engine of [chorus, pagefind]) {
  const shares = ['quote', 'response'].flatMap((kind) => QUERY_TYPES.map((type) => {
    const some = results.filter((r) => r.engine === engine.name && r.kind === kind && r.type === type);
    return `${kind}s ${type} ${fmt(some.filter((r) => r.rank === 1).length / some.length)}`;
  }));
  console.log(`${engine.name} recall@1 by kind: ${shares.join(', ')}`);
}
console.log(`\nBytes: medians over the ${toWeigh.length / QUERY_TYPES.length} items' queries put to a freshly opened page.`);
const errors = results.filter((r) => r.error);
if (errors.length) console.log(`${errors.length} queries failed, e.g. ${errors[0].engine} ${errors[0].query}: ${errors[0].error}`);

// The queries Chorus does not answer first, for whoever improves it.
const misses = results.filter((r) => r.engine === 'Chorus' && r.rank !== 1);
console.log(`\nChorus misses at rank 1 (${misses.length}): rank, kind, query, first result [item]`);
for (const r of misses) {
  console.log(`  ${String(r.rank ?? '-').padStart(2)}  ${r.kind.padEnd(8)} ${r.type.padEnd(6)} ${r.query}  → ${r.urls[0] ?? '(none)'}  [${r.id}]`);
}
console.log(`\n${((Date.now() - started) / 1000).toFixed(0)} s`);

if (options.json) {
  writeFileSync(options.json, JSON.stringify({
    seed: options.seed,
    table,
    results: results.map((r) => ({ ...r, files: r.files && Object.fromEntries(r.files) })),
  }, null, 1));
}
