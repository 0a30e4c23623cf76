// The editors' workbench of `chorus serve` in Chromium: the edit panel on a quote's page and
// the page of review queues have no axe violations (as axe.test.mjs counts them, light and
// dark), a quote's themes can be edited with the keyboard alone, and a file changed on disk
// after the page loaded is not overwritten: the panel says so and offers a reload.
//
// The built sites that nginx serves have no workbench, so this file starts `chorus serve` on
// a copy of the fixture site in the suite's temporary folder, never on the repository's content.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL, COLOUR, report, violations } from './lib/axe.mjs';
import { launch } from './lib/sites.mjs';

const QUOTE_FILE = 'content/quotes/adults/adults-001.md';

let serve;
let origin;
let root;
let context;

/** Starts `chorus serve` on a copy of the fixture site; resolves to the address it serves. */
function startServe(site) {
  serve = spawn('cargo', ['run', '--quiet', '--', 'serve', '--root', site, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    serve.stdout.on('data', (chunk) => {
      out += chunk;
      const found = out.match(/Serving (http:\/\/\S+?)\//);
      if (found) resolve(found[1]);
    });
    serve.on('exit', (code) => reject(new Error(`chorus serve stopped (${code}): ${out}`)));
  });
}

before(async () => {
  root = mkdtempSync(join(process.env.CHORUS_BROWSER_TMP ?? tmpdir(), 'workbench-'));
  cpSync('tests/fixtures/basic', root, { recursive: true });
  cpSync('themes', join(root, 'themes'), { recursive: true });
  origin = await startServe(root);
  context = await launch({ origins: [origin] });
});

after(async () => {
  await context?.close();
  serve?.kill();
});

/** Opens `path` of the served site; without `reloads`, the page never hears of a rebuild. */
async function openPage(path, { reloads = true } = {}) {
  const page = await context.newPage();
  await page.emulateMedia({ colorScheme: 'light' });
  if (!reloads) await page.route('**/__chorus/events**', (route) => route.abort());
  const response = await page.goto(`${origin}/${path}`);
  assert.equal(response?.status(), 200, path);
  return page;
}

async function axeLightAndDark(page, name) {
  const light = await violations(page, ALL);
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await violations(page, COLOUR);
  assert.equal(light.length + dark.length, 0, report(name, light, dark));
}

test('axe: no violations on a quote page with its edit panel, or on the review queues', async () => {
  for (const path of ['quotes/adults-001/', 'responses/response-0001/', '__chorus/queues', '__chorus/queues?kind=quote']) {
    const page = await openPage(path);
    try {
      if (!path.startsWith('__chorus')) {
        assert.equal(await page.locator('aside.chorus-workbench form#chorus-edit').count(), 1, path);
      }
      await axeLightAndDark(page, path);
    } finally {
      await page.close();
    }
  }
});

/** Presses Tab until the element matching `selector` has the focus (at most `limit` times). */
async function tabTo(page, selector, limit = 300) {
  for (let i = 0; i < limit; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

test('a quote\'s themes are edited with the keyboard alone, and the page reloads with them', async () => {
  const page = await openPage('quotes/adults-001/');
  try {
    const workforce = 'input[name="themes"][value="workforce"]';
    assert.equal(await page.locator(workforce).isChecked(), false);
    await tabTo(page, workforce);
    await page.keyboard.press('Space');
    await tabTo(page, '#chorus-edit button[type="submit"]');
    const reloaded = page.waitForEvent('load');
    await page.keyboard.press('Enter');
    // The preview rebuilds in tens of milliseconds, so the reload may come before the
    // "Saved" message can be read: the file and the reloaded page are what count.
    await reloaded;
    assert.match(readFileSync(join(root, QUOTE_FILE), 'utf8'), /^themes: \[kinship-care, workforce\]$/m);
    assert.equal(await page.locator(workforce).isChecked(), true, 'the rebuilt page shows the theme');
  } finally {
    await page.close();
  }
});

test('a file changed on disk after its page loaded is not overwritten: the panel says so and offers a reload', async () => {
  const page = await openPage('quotes/workforce-001/', { reloads: false });
  try {
    const file = join(root, 'content/quotes/workforce/workforce-001.md');
    const changed = readFileSync(file, 'utf8').replace('Less paperwork', 'Much less paperwork');
    writeFileSync(file, changed);
    await page.locator('#chorus-draft').check();
    await page.locator('#chorus-edit button[type="submit"]').click();
    await page.locator('#chorus-edit-status', { hasText: 'changed on disk' }).waitFor();
    assert.equal(await page.locator('#chorus-edit-reload').isVisible(), true);
    assert.equal(readFileSync(file, 'utf8'), changed);
  } finally {
    await page.close();
  }
});
