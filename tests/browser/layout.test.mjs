// A 320 CSS px wide viewport (WCAG 1.4.10 Reflow): no page of any template scrolls
// horizontally, and the first Tab press lands on a visible skip link to the main content.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { label, launch, open, samplePages } from './lib/sites.mjs';

const NARROW = { width: 320, height: 640 };

let context;
before(async () => {
  context = await launch();
});
after(async () => {
  await context?.close();
});

/** The page's horizontal overflow and, if any, the outermost elements sticking out. */
function overflow() {
  const width = window.innerWidth;
  const scrollWidth = document.documentElement.scrollWidth;
  const name = (el) => el.tagName.toLowerCase() + (el.id ? `#${el.id}` : '') + [...el.classList].map((c) => `.${c}`).join('');
  const path = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.documentElement; e = e.parentElement) parts.unshift(name(e));
    return parts.join(' > ');
  };
  const wide = [...document.body.querySelectorAll('*')].filter((el) => el.getBoundingClientRect().right > width + 0.5);
  const outermost = wide.filter((el) => !wide.includes(el.parentElement));
  return {
    width,
    scrollWidth,
    culprits: outermost.slice(0, 8).map((el) => `${path(el)} (right edge at ${Math.round(el.getBoundingClientRect().right)} px)`),
  };
}

test('320 px viewport: no page of any template scrolls horizontally', { concurrency: 2, timeout: 600_000 }, async (t) => {
  await Promise.all(samplePages().map((sample) => t.test(label(sample), async () => {
    const page = await open(context, sample, { viewport: NARROW });
    try {
      const found = await page.evaluate(overflow);
      assert.ok(
        found.scrollWidth <= found.width,
        `scrollWidth ${found.scrollWidth} px > innerWidth ${found.width} px on ${label(sample)}; elements past the right edge:\n${found.culprits.map((c) => `- ${c}`).join('\n')}`,
      );
    } finally {
      await page.close();
    }
  })));
});

/** Where the focused element is and whether a sighted reader can see it. */
function focused() {
  const el = document.activeElement;
  const rect = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  const hit = document.elementFromPoint(rect.left + rect.width / 2, rect.top + rect.height / 2);
  return {
    html: el.outerHTML.slice(0, 200),
    isSkipLink: el.matches('a.skip-link') && el.getAttribute('href') === '#main-content',
    rect: { left: rect.left, top: rect.top, right: rect.right, bottom: rect.bottom },
    visible:
      rect.width >= 1 && rect.height >= 1 &&
      rect.left >= 0 && rect.top >= 0 && rect.right <= window.innerWidth && rect.bottom <= window.innerHeight &&
      style.visibility === 'visible' && Number(style.opacity) > 0 &&
      style.clipPath === 'none' && (style.clip === 'auto' || style.clip === '') &&
      hit !== null && (hit === el || el.contains(hit)),
  };
}

test('320 px viewport: the first Tab press focuses the skip link, which is then visible', { concurrency: 2, timeout: 600_000 }, async (t) => {
  await Promise.all(samplePages({ longest: false }).map((sample) => t.test(label(sample), async () => {
    const page = await open(context, sample, { viewport: NARROW });
    try {
      await page.keyboard.press('Tab');
      const first = await page.evaluate(focused);
      assert.ok(first.isSkipLink, `the first Tab press focused ${first.html}, not a.skip-link[href="#main-content"]`);
      // A skip link may slide in when focused: give a transition time to end.
      const visible = await page
        .waitForFunction(() => {
          const el = document.activeElement;
          const rect = el.getBoundingClientRect();
          const hit = document.elementFromPoint(rect.left + rect.width / 2, rect.top + rect.height / 2);
          return rect.width >= 1 && rect.top >= 0 && hit !== null && (hit === el || el.contains(hit));
        }, null, { timeout: 5000 })
        .then(() => true, () => false);
      const state = await page.evaluate(focused);
      assert.ok(visible && state.visible, `the focused skip link is not visible: ${JSON.stringify(state)}`);
    } finally {
      await page.close();
    }
  })));
});
