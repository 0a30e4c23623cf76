// What the search benchmarks share (measure.mjs, known-item.mjs): a static server over the
// built output, headless Debian Chromium, and the record of what a page fetched with each
// file's transfer size.

import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
};

/**
 * A static file server over `publicDir` on a free loopback port: `{ server, origin }`.
 * Responses say `no-store`, so that every page fetches the files it needs itself and a
 * file's bytes are never hidden by the browser's cache.
 */
export function serve(publicDir) {
  const root = normalize(publicDir);
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://x').pathname);
    let file = normalize(join(root, path));
    if (!file.startsWith(root)) {
      response.writeHead(404).end();
      return;
    }
    try {
      if (statSync(file).isDirectory()) file = join(file, 'index.html');
      const body = readFileSync(file);
      response.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
      }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => {
    done({ server, origin: `http://127.0.0.1:${server.address().port}` });
  }));
}

/**
 * Headless Debian Chromium (never a downloaded browser; `CHROMIUM` names another binary)
 * with a fresh profile: `{ context, close }`, `close` also removing the profile.
 */
export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), 'chorus-bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * What a file costs to send: the smaller of its size and its gzip size (zlib level 6, what
 * hosts commonly use). Pagefind's index files come gzipped already.
 */
export function transfer(body) {
  return Math.min(body.length, gzipSync(body, { level: 6 }).length);
}

/**
 * Records every response `page` receives as `{ url, raw, transfer, phase }`, `phase` being
 * the recorder's `phase` when the request finished (callers set it to tell the page's load
 * from a query). `idle(quiet)` resolves once no request is open or being read and none has
 * been for `quiet` ms.
 */
export function record(page) {
  const recorder = { responses: [], phase: 'load', idle };
  let open = 0;
  let lastActivity = Date.now();
  const settle = () => { open--; lastActivity = Date.now(); };
  page.on('request', () => { open++; lastActivity = Date.now(); });
  page.on('requestfailed', settle);
  page.on('requestfinished', async (request) => {
    const { phase } = recorder;
    try {
      const response = await request.response();
      const body = response ? await response.body() : Buffer.alloc(0);
      recorder.responses.push({ url: request.url(), raw: body.length, transfer: transfer(body), phase });
    } catch {
      // The page navigated away before its body could be read: nothing to count.
    } finally {
      settle();
    }
  });
  async function idle(quiet = 0) {
    while (open > 0 || Date.now() - lastActivity < quiet) await new Promise((r) => setTimeout(r, 10));
  }
  return recorder;
}

export function kilobytes(bytes) {
  return `${(bytes / 1024).toFixed(1)} KB`;
}
