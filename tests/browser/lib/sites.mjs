// The built sites under test, their pages grouped by template, and the browser.
//
// tests/browser/run builds the sites, serves them with nginx and describes them in the
// environment; every test file reads them from here so that all agree on which page stands
// for which template.

import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { chromium } from 'playwright-core';

if (!process.env.CHORUS_BROWSER_SITES) {
  throw new Error('CHORUS_BROWSER_SITES is not set: run the suite with tests/browser/run');
}

/**
 * The sites under test: `{ name, origin, base, dir }`, where `origin + base` is the served
 * home page and `dir` the built output folder. `review` is the repository's own site,
 * `fixture` the small site of tests/fixtures/basic that has a page of every template.
 */
export const sites = JSON.parse(process.env.CHORUS_BROWSER_SITES);

/**
 * Every template of the review theme that the browser tests open, by the name they report;
 * the sites together must have a page of each. Redirect pages (kind `redirect`, made for `aliases`) exist only where content has aliases:
 * they are checked by the Nu Html Checker and the crawler, but not opened in the browser,
 * which would follow them at once.
 */
export const KINDS = [
  'home',
  'summary',
  'section',
  'quote',
  'response',
  'responses index',
  'responses page',
  'taxonomy list',
  'theme term',
  'voice term',
  'topic term',
  'news list',
  'news item',
  'page',
  'data',
  'search',
  'updates',
  '404',
];

const TAXONOMIES = { themes: 'theme term', voices: 'voice term', topics: 'topic term' };

/**
 * The template that renders the page at `path`, an output path such as
 * `summaries/workforce/index.html`, following the URL scheme of docs/content.md; `html` is
 * the file's text, which tells a redirect page from the page whose address it took over, and
 * `responses` the first segment of the responses' URLs (`responses.path` in site.yaml).
 */
export function kindOf(path, html, responses) {
  if (/<meta\b[^>]*http-equiv=["']?refresh/i.test(html)) return 'redirect';
  const parts = path.split('/');
  if (path === '404.html') return '404';
  if (parts.at(-1) !== 'index.html') return null;
  const dirs = parts.slice(0, -1);
  const [first] = dirs;
  if (dirs.length === 0) return 'home';
  if (first === 'summaries') return dirs.length === 2 ? 'summary' : 'section';
  if (first === 'quotes') return 'quote';
  if (first === responses) {
    if (dirs.length === 1) return 'responses index';
    return dirs[1] === 'page' ? 'responses page' : 'response';
  }
  if (first in TAXONOMIES) return dirs.length === 1 ? 'taxonomy list' : TAXONOMIES[first];
  if (first === 'news') return dirs.length === 1 || dirs[1] === 'page' ? 'news list' : 'news item';
  if (first === 'search' && dirs.length === 1) return 'search';
  if (first === 'data' && dirs.length === 1) return 'data';
  if (first === 'updates' && dirs.length === 1) return 'updates';
  return 'page';
}

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path) : [path];
  });
}

const cache = new Map();

/**
 * Every HTML file of `site`: `{ file, path, url, visit, size, kind }`, sorted by path. `url`
 * is the address the server gives it (`…/index.html` as its folder), `visit` the address to
 * open it at in the browser.
 */
export function htmlPages(site) {
  if (!cache.has(site.name)) {
    const pages = walk(site.dir)
      .filter((file) => file.endsWith('.html'))
      .map((file) => {
        const path = relative(site.dir, file).split(sep).join('/');
        const url = site.origin + site.base + path.replace(/(^|\/)index\.html$/, '$1');
        // The 404 page is opened the way readers meet it: at an address that does not exist.
        const visit = path === '404.html' ? `${site.origin}${site.base}no-such-page/` : url;
        const kind = kindOf(path, readFileSync(file, 'utf8'), site.responses);
        return { file, path, url, visit, size: statSync(file).size, kind, site: site.name };
      })
      .sort((a, b) => a.path.localeCompare(b.path));
    cache.set(site.name, pages);
  }
  return cache.get(site.name);
}

/** The pages of `site` grouped by template. */
export function pagesByKind(site) {
  const groups = new Map(KINDS.map((kind) => [kind, []]));
  for (const page of htmlPages(site)) {
    groups.get(page.kind)?.push(page);
  }
  return groups;
}

/**
 * For every template of every site: the first page (in path order) and the largest file,
 * which holds the most of what the template repeats; `first` and `longest` say which to take.
 * A page that is both is taken once.
 */
export function samplePages({ first = true, longest = true } = {}) {
  const chosen = [];
  for (const site of sites) {
    for (const [kind, pages] of pagesByKind(site)) {
      if (pages.length === 0) continue;
      const picks = [];
      if (first) picks.push({ ...pages[0], why: 'first' });
      if (longest) {
        const big = pages.reduce((a, b) => (b.size > a.size ? b : a));
        if (!picks.some((p) => p.path === big.path)) picks.push({ ...big, why: 'longest' });
        else if (picks.length) picks[0].why = 'first and longest';
      }
      chosen.push(...picks);
    }
  }
  return chosen;
}

/** The templates that no site has a page of: the axe test asserts there are none. */
export function missingKinds() {
  const seen = new Set(sites.flatMap((site) => htmlPages(site).map((p) => p.kind)));
  return KINDS.filter((kind) => !seen.has(kind));
}

/** How a page is named in reports: its address, site, template and why it was chosen. */
export function label(page) {
  return `${page.visit} [${page.site}: ${page.kind}${page.why ? `, ${page.why}` : ''}]`;
}

/** The launch arguments of the common brief: no network beyond the page, no first-run UI. */
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Headless Debian Chromium with a fresh profile in the suite's temporary folder, as a
 * Playwright browser context. Never a downloaded browser. `origins` are origins beyond the
 * sites' that pages may reach (a `chorus serve` a test started).
 */
export async function launch({ origins: more = [] } = {}) {
  const root = process.env.CHORUS_BROWSER_TMP ?? tmpdir();
  const profile = mkdtempSync(join(root, 'chromium-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 800 },
  });
  // Requests to any other host are recorded by the tests (`request` events fire first) and
  // then refused here, so that a page that breaks the rule never sends traffic off the machine.
  const origins = new Set([...sites.map((site) => site.origin), ...more]);
  await context.route(
    (url) => !origins.has(url.origin),
    (route) => route.abort('blockedbyclient'),
  );
  return context;
}

/**
 * Runs `work(item)` for every item with at most `limit` running at once, and returns the
 * results in order.
 */
export async function mapLimit(items, limit, work) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Opens `sample` (a page from `htmlPages`) in a new tab of `context` and checks the server
 * answered as it should: 200, or 404 for the 404 page. Options: `viewport`, `colorScheme`,
 * `onRequest` (a listener for every request the page makes) and `waitUntil`.
 */
export async function open(context, sample, options = {}) {
  const page = await context.newPage();
  try {
    if (options.viewport) await page.setViewportSize(options.viewport);
    if (options.colorScheme) await page.emulateMedia({ colorScheme: options.colorScheme });
    if (options.onRequest) page.on('request', options.onRequest);
    const response = await page.goto(sample.visit, { waitUntil: options.waitUntil ?? 'load' });
    const expected = sample.kind === '404' ? 404 : 200;
    if (response?.status() !== expected) {
      throw new Error(`${sample.visit}: HTTP ${response?.status()}, expected ${expected}`);
    }
    return page;
  } catch (error) {
    await page.close();
    throw error;
  }
}
