// What a first search costs a reader: opens the Chorus search page and a Pagefind search
// page over the same built site in headless Chromium, types a word, waits for the results,
// and adds up what the browser fetched. Run by benches/search/run, which builds the site
// and the Pagefind index; by hand:
//
//   node benches/search/measure.mjs PUBLIC_DIR BASE_PATH QUERY
//
// where PUBLIC_DIR/BASE_PATH… holds the built site, with Pagefind's output in its
// `pagefind/` folder. "Transfer" is, per file, the smaller of its size and its gzip size
// (zlib level 6, what hosts commonly use): Pagefind's index files come gzipped already.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kilobytes, launch, record, serve } from './lib.mjs';

const [publicDir, base, query = 'kinship'] = process.argv.slice(2);
if (!publicDir || !base) {
  console.error('usage: node benches/search/measure.mjs PUBLIC_DIR BASE_PATH [QUERY]');
  process.exit(2);
}

/** A search page for Pagefind's default UI, written after indexing so it is not indexed. */
function pagefindPage() {
  const dir = join(publicDir, base, 'pagefind-search');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.html'), `<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Pagefind search</title>
<link href="${base}pagefind/pagefind-ui.css" rel="stylesheet">
<script src="${base}pagefind/pagefind-ui.js"></script></head>
<body><main><div id="search"></div></main>
<script>window.addEventListener('DOMContentLoaded', () => new PagefindUI({ element: '#search', showSubResults: false }));</script>
</body></html>`);
  return `${base}pagefind-search/`;
}

/**
 * Opens `path`, types `query` into `input` the way a person does (a key every 120 ms),
 * waits for `result` to appear and the network to settle, and returns every response with
 * its transfer size and the number of results shown.
 */
async function measure(context, origin, path, input, result) {
  const page = await context.newPage();
  const recorder = record(page);
  await page.goto(origin + path, { waitUntil: 'load' });
  await page.waitForLoadState('networkidle');
  recorder.phase = 'query';
  await page.locator(input).pressSequentially(query, { delay: 120 });
  await page.waitForSelector(result, { timeout: 30000 });
  await recorder.idle(1000);
  const results = await page.locator(result).count();
  await page.close();
  return { responses: recorder.responses, results };
}

/**
 * Milliseconds from the last response to the results being shown, for `query` put into
 * `input` at once (one search, nothing cached in the page): the median of `runs` fresh pages.
 */
async function responseToResults(context, origin, path, input, result, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const page = await context.newPage();
    await page.goto(origin + path, { waitUntil: 'networkidle' });
    await page.evaluate((selector) => {
      window.__shown = null;
      new MutationObserver(() => {
        if (window.__shown === null && document.querySelector(selector)) window.__shown = performance.now();
      }).observe(document.body, { childList: true, subtree: true });
    }, result);
    await page.locator(input).fill(query);
    await page.waitForSelector(result);
    times.push(await page.evaluate(() => window.__shown - Math.max(...performance.getEntriesByType('resource').map((e) => e.responseEnd))));
    await page.close();
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

/**
 * Milliseconds from the last key press to the results being shown again, once the query's
 * files are cached: the query is searched once, then cleared and typed again a key every
 * 120 ms, `runs` times; the median of the time from the last keydown to the last change of
 * the result list.
 */
async function keystrokeToResults(context, origin, path, runs) {
  const page = await context.newPage();
  await page.goto(origin + path, { waitUntil: 'networkidle' });
  await page.locator('#search-input').fill(query);
  await page.waitForSelector('#search-results li');
  await page.waitForLoadState('networkidle');
  await page.evaluate(() => {
    window.__key = 0;
    window.__shown = 0;
    document.getElementById('search-input').addEventListener('keydown', () => { window.__key = performance.now(); });
    new MutationObserver(() => {
      if (document.querySelector('#search-results li')) window.__shown = performance.now();
    }).observe(document.getElementById('search-results'), { childList: true, subtree: true });
  });
  const times = [];
  for (let i = 0; i < runs; i++) {
    await page.locator('#search-input').fill('');
    await page.waitForTimeout(400);
    await page.locator('#search-input').pressSequentially(query, { delay: 120 });
    await page.waitForTimeout(800);
    times.push(await page.evaluate(() => window.__shown - window.__key));
  }
  await page.close();
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

function report(name, run, isPage) {
  const page = run.responses.filter((r) => isPage(new URL(r.url).pathname));
  const index = run.responses.filter((r) => !isPage(new URL(r.url).pathname));
  const sum = (list) => list.reduce((total, r) => total + r.transfer, 0);
  console.log(`\n${name}: ${run.results} results shown`);
  console.log(`  page (HTML, CSS, script):  ${kilobytes(sum(page))} in ${page.length} files`);
  console.log(`  first query (index files): ${kilobytes(sum(index))} in ${index.length} files` +
    ` (${kilobytes(sum(index.filter((r) => r.phase === 'query')))} after the page's load)`);
  for (const r of index) {
    console.log(`    ${kilobytes(r.transfer).padStart(9)} ${kilobytes(r.raw).padStart(9)} raw  ${new URL(r.url).pathname}`);
  }
  return { page: sum(page), index: sum(index), files: index.length, results: run.results };
}

const { server, origin } = await serve(publicDir);
const pagefindPath = pagefindPage();
const { context, close } = await launch();
try {
  const chorus = await measure(context, origin, `${base}search/`, '#search-input', '#search-results li');
  const pagefind = await measure(context, origin, pagefindPath, '.pagefind-ui__search-input', '.pagefind-ui__result');
  console.log(`First query for "${query}", typed a key every 120 ms, on ${origin}${base}`);
  const a = report('Chorus', chorus, (p) => !p.startsWith(`${base}search/en/`));
  const b = report('Pagefind', pagefind, (p) => !p.startsWith(`${base}pagefind/`) || /pagefind-ui\.(js|css)$/.test(p));
  const shown = await responseToResults(context, origin, `${base}search/`, '#search-input', '#search-results li', 5);
  console.log(`\nChorus: first results shown ${shown.toFixed(1)} ms after the last response (median of 5)`);
  const typed = await keystrokeToResults(context, origin, `${base}search/`, 9);
  console.log(`Chorus: with the index files cached, results shown ${typed.toFixed(1)} ms after the last key press (median of 9)`);
  console.log(`\nJSON ${JSON.stringify({ query, chorus: { ...a, shownAfterMs: shown, afterKeyMs: typed }, pagefind: b })}`);
} finally {
  await close();
  server.close();
}
