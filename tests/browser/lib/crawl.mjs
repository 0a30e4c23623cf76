// A crawler over plain HTTP: from the home page it follows every internal link, fetching each
// address once, and records every reference of every page (links, stylesheets, scripts,
// images, form actions) with the ids each HTML page defines, so that the tests can check
// links, anchors, the sub-path and the hosts a page loads from.

import { Parser } from 'htmlparser2';
import { htmlPages } from './sites.mjs';

/** The attributes that hold an address, by element. */
const REFERENCES = {
  a: ['href'],
  area: ['href'],
  link: ['href'],
  script: ['src'],
  img: ['src', 'srcset'],
  source: ['src', 'srcset'],
  video: ['src', 'poster'],
  audio: ['src'],
  track: ['src'],
  iframe: ['src'],
  embed: ['src'],
  object: ['data'],
  form: ['action'],
  use: ['href', 'xlink:href'],
  image: ['href', 'xlink:href'],
};

/** `link` relations that make the browser fetch the target, as opposed to naming it. */
const LOADING_RELS = new Set(['stylesheet', 'icon', 'apple-touch-icon', 'manifest', 'preload', 'modulepreload', 'prefetch', 'preconnect', 'dns-prefetch', 'mask-icon']);

/** The addresses in a `srcset`: the first word of each comma-separated candidate. */
function srcset(value) {
  return value.split(',').map((c) => c.trim().split(/\s+/)[0]).filter(Boolean);
}

/**
 * The references and ids of an HTML document. Each reference is `{ tag, attr, value, loads }`,
 * where `loads` says whether a browser fetches it to show the page.
 */
export function parseHtml(html) {
  const refs = [];
  const ids = new Set();
  const parser = new Parser({
    onopentag(name, attributes) {
      if (attributes.id !== undefined) ids.add(attributes.id);
      if (name === 'meta' && (attributes['http-equiv'] ?? '').toLowerCase() === 'refresh') {
        const target = /;\s*url\s*=\s*['"]?([^'"]+)/i.exec(attributes.content ?? '');
        if (target) refs.push({ tag: 'meta', attr: 'content', value: target[1].trim(), loads: false });
      }
      for (const attr of REFERENCES[name] ?? []) {
        const value = attributes[attr];
        if (value === undefined) continue;
        const values = attr === 'srcset' ? srcset(value) : [value.trim()];
        const loads = name === 'link'
          ? (attributes.rel ?? '').toLowerCase().split(/\s+/).some((rel) => LOADING_RELS.has(rel))
          : !['a', 'area', 'form'].includes(name);
        for (const v of values) refs.push({ tag: name, attr, value: v, loads });
      }
    },
  }, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: true });
  parser.end(html);
  return { refs, ids };
}

/** The `url()` and `@import` references of a stylesheet; all of them load. */
export function parseCss(css) {
  const refs = [];
  const text = css.replace(/\/\*[\s\S]*?\*\//g, '');
  for (const match of text.matchAll(/url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3/g)) {
    refs.push({ tag: 'css', attr: 'url', value: (match[2] ?? match[4]).trim(), loads: true });
  }
  return { refs, ids: new Set() };
}

/** How many requests the crawler keeps in flight against the local server. */
const CONCURRENCY = 16;

/**
 * Crawls `site` from its home page, then every built HTML page that no link reached, so that
 * the links of every page are checked. Returns:
 * - `resources`: address (without fragment) → `{ status, location, type, ids }`;
 * - `edges`: every reference as `{ from, tag, attr, value, url }` (`url` a `URL`, or `null`
 *   when the value is not a valid address), from HTML pages and stylesheets;
 * - `pages`: the HTML pages fetched, and `unreached`: the built pages no link leads to (the
 *   404 page and redirect pages among them, which no link should lead to).
 */
export async function crawl(site) {
  const home = site.origin + site.base;
  const resources = new Map();
  const edges = [];
  const queue = [];
  let active = 0;
  let settle;
  const done = new Promise((resolve) => {
    settle = resolve;
  });

  const internal = (url) => url.origin === site.origin;

  const visit = (address) => {
    if (resources.has(address)) return;
    resources.set(address, null);
    queue.push(address);
    pump();
  };

  const pump = () => {
    while (active < CONCURRENCY && queue.length > 0) {
      const address = queue.shift();
      active += 1;
      fetchOne(address)
        .catch((error) => resources.set(address, { status: 0, error: String(error), ids: new Set() }))
        .finally(() => {
          active -= 1;
          if (active === 0 && queue.length === 0) settle();
          else pump();
        });
    }
  };

  const fetchOne = async (address) => {
    const response = await fetch(address, { redirect: 'manual' });
    const type = (response.headers.get('content-type') ?? '').split(';')[0].trim();
    const resource = { status: response.status, location: response.headers.get('location'), type, ids: new Set() };
    resources.set(address, resource);
    const followed = response.status === 200 && new URL(address).pathname.startsWith(site.base);
    if (!followed || (type !== 'text/html' && type !== 'text/css')) {
      await response.arrayBuffer();
      return;
    }
    const body = await response.text();
    const { refs, ids } = type === 'text/html' ? parseHtml(body) : parseCss(body);
    resource.ids = ids;
    resource.html = type === 'text/html';
    for (const ref of refs) {
      let url = null;
      try {
        url = new URL(ref.value, address);
      } catch {
        // An address that does not parse is reported as broken with `url` null.
      }
      edges.push({ from: address, ...ref, url });
      if (url && internal(url) && (url.protocol === 'http:' || url.protocol === 'https:')) {
        const target = new URL(url);
        target.hash = '';
        visit(target.href);
      }
    }
  };

  visit(home);
  await done;
  const reached = new Set(resources.keys());
  const unreached = htmlPages(site).filter((p) => !reached.has(p.url));
  if (unreached.length > 0) {
    const again = new Promise((resolve) => {
      settle = resolve;
    });
    for (const page of unreached) visit(page.url);
    await again;
  }
  const pages = [...resources].filter(([, r]) => r?.html).map(([address]) => address);
  return { resources, edges, pages, unreached };
}

/**
 * What is wrong with an internal reference, or `null` when it resolves: the target must be
 * under the site's sub-path and answer 200, and a fragment must name an id on the target page.
 */
export function problem(site, edge, resources) {
  if (!edge.url) return 'not a valid address';
  const target = new URL(edge.url);
  target.hash = '';
  if (!target.pathname.startsWith(site.base)) return `outside the site's sub-path ${site.base}`;
  const resource = resources.get(target.href);
  if (!resource) return 'never fetched';
  if (resource.status !== 200) {
    const where = resource.location ? ` to ${resource.location}` : '';
    return resource.error ? `fetch failed: ${resource.error}` : `HTTP ${resource.status}${where}`;
  }
  const fragment = edge.url.hash.slice(1);
  if (fragment && fragment !== 'top') {
    let id = fragment;
    try {
      id = decodeURIComponent(fragment);
    } catch {
      return `malformed fragment #${fragment}`;
    }
    if (!resource.ids.has(id)) return `no element with id "${id}" on the target page`;
  }
  return null;
}
