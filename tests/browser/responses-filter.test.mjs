// The responses filter: on the list of responses, with JavaScript, choosing a topic and
// typing a word narrows the list at once and announces how many are shown in a polite live
// region.
//
// The contract with themes/review/static/responses-filter.js and the responses template:
// - a `form.responses-filter` with `input[type=search]#responses-filter-text` and
//   `select#responses-filter-topic` (option values are topic slugs, "" for all);
// - responses are `li.response-card` elements whose `data-topics` lists their topic slugs,
//   separated by spaces; the filter gives the cards it hides the `hidden` attribute;
// - `#responses-filter-status` has `aria-live="polite"` and its text contains the number of
//   responses shown.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, pagesByKind, sites } from './lib/sites.mjs';

let context;
before(async () => {
  context = await launch();
});
after(async () => {
  await context?.close();
});

/**
 * The filter's state as the page shows it: cards shown and hidden, whether each card is
 * rendered, and the live region's text.
 */
function state() {
  const cards = [...document.querySelectorAll('li.response-card')];
  const shown = cards.filter((c) => !c.hidden);
  const status = document.getElementById('responses-filter-status');
  return {
    total: cards.length,
    shown: shown.length,
    status: status ? status.textContent.trim() : null,
    renderedHidden: cards.filter((c) => c.hidden && c.getClientRects().length > 0).length,
    unrenderedShown: shown.filter((c) => c.getClientRects().length === 0).length,
  };
}

/** Whether `text` names `count` as a whole number. */
function announces(text, count) {
  return new RegExp(`(^|[^0-9])${count}([^0-9]|$)`).test(text ?? '');
}

for (const site of sites) {
  const index = pagesByKind(site).get('responses index')[0];
  if (!index) continue;

  test(`responses filter (${site.name}): a topic and a word narrow the list, and the count is announced politely`, { timeout: 120_000 }, async (t) => {
    const foreign = [];
    const page = await open(context, index, {
      onRequest: (request) => {
        if (new URL(request.url()).origin !== site.origin) foreign.push(request.url());
      },
    });
    try {
      assert.equal(await page.locator('form.responses-filter').count(), 1, 'one form.responses-filter');
      assert.ok(await page.locator('form.responses-filter').isVisible(), 'with JavaScript the filter form is shown');
      assert.equal(await page.locator('#responses-filter-text').getAttribute('type'), 'search');
      assert.equal(await page.locator('select#responses-filter-topic').count(), 1, 'select#responses-filter-topic');
      const status = page.locator('#responses-filter-status');
      assert.equal(await status.count(), 1, 'the live region #responses-filter-status is in the page before any filtering');
      assert.equal(await status.getAttribute('aria-live'), 'polite');

      // The topic that the most cards of this page have, preferring one that not all have.
      const topic = await page.evaluate(() => {
        const cards = [...document.querySelectorAll('li.response-card')];
        const options = [...document.querySelectorAll('#responses-filter-topic option')].map((o) => o.value).filter(Boolean);
        const count = (slug) => cards.filter((c) => (c.dataset.topics ?? '').split(/\s+/).includes(slug)).length;
        const ranked = options.map((slug) => ({ slug, n: count(slug) })).sort((a, b) => b.n - a.n);
        return (ranked.find((r) => r.n > 0 && r.n < cards.length) ?? ranked[0])?.slug;
      });
      assert.ok(topic, 'the topic select offers at least one topic');

      await page.selectOption('#responses-filter-topic', topic);
      const settledOnTopic = await page
        .waitForFunction((slug) => {
          const cards = [...document.querySelectorAll('li.response-card')];
          const shown = cards.filter((c) => !c.hidden);
          const text = document.getElementById('responses-filter-status').textContent;
          return shown.length > 0 &&
            cards.every((c) => c.hidden !== (c.dataset.topics ?? '').split(/\s+/).includes(slug)) &&
            new RegExp(`(^|[^0-9])${shown.length}([^0-9]|$)`).test(text);
        }, topic, { timeout: 15_000 })
        .then(() => true, () => false);
      const byTopic = await page.evaluate(state);
      assert.ok(
        settledOnTopic,
        `after choosing the topic "${topic}", the shown cards should be exactly those with that topic and the status should give their number: ${JSON.stringify(byTopic)}`,
      );
      assert.equal(byTopic.renderedHidden, 0, 'cards with the hidden attribute are not rendered');
      assert.equal(byTopic.unrenderedShown, 0, 'cards shown are rendered');
      assert.ok(announces(byTopic.status, byTopic.shown), `status "${byTopic.status}" gives ${byTopic.shown}`);

      // A word from the longest text of one shown card that as few other shown cards contain.
      const pick = await page.evaluate(() => {
        const shown = [...document.querySelectorAll('li.response-card')].filter((c) => !c.hidden);
        const texts = shown.map((c) => c.textContent.toLowerCase());
        let best = null;
        shown.slice(0, 60).forEach((card, i) => {
          const walker = document.createTreeWalker(card, NodeFilter.SHOW_TEXT);
          let longest = '';
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            if (n.textContent.trim().length > longest.length) longest = n.textContent.trim();
          }
          for (const word of longest.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
            const n = texts.filter((t) => t.includes(word)).length;
            if (!best || n < best.n || (n === best.n && word.length > best.word.length)) best = { word, n, index: i };
          }
        });
        return best;
      });
      assert.ok(pick && pick.n < byTopic.shown, `a word that only some shown cards contain: ${JSON.stringify(pick)}`);

      await page.locator('#responses-filter-text').pressSequentially(pick.word);
      const settledOnWord = await page
        .waitForFunction(({ slug, word, before }) => {
          const shown = [...document.querySelectorAll('li.response-card')].filter((c) => !c.hidden);
          const text = document.getElementById('responses-filter-status').textContent;
          return shown.length > 0 && shown.length < before &&
            shown.some((c) => c.textContent.toLowerCase().includes(word)) &&
            shown.every((c) => (c.dataset.topics ?? '').split(/\s+/).includes(slug)) &&
            new RegExp(`(^|[^0-9])${shown.length}([^0-9]|$)`).test(text);
        }, { slug: topic, word: pick.word, before: byTopic.shown }, { timeout: 15_000 })
        .then(() => true, () => false);
      const byWord = await page.evaluate(state);
      assert.ok(
        settledOnWord,
        `after typing "${pick.word}" with the topic "${topic}", fewer cards (of that topic, one with the word) should be shown than ${byTopic.shown} and the status should give their number: ${JSON.stringify(byWord)}`,
      );
      assert.equal(byWord.renderedHidden, 0, 'cards with the hidden attribute are not rendered');
      assert.ok(announces(byWord.status, byWord.shown), `status "${byWord.status}" gives ${byWord.shown}`);
      assert.deepEqual(foreign, [], 'requests to another host');
    } finally {
      await page.close();
    }
  });
}
