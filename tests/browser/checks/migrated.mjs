// Incident pages of an archive migrated from another tool
// (tests/fixtures/migrated): a body without headings takes the width of
// the page instead of the narrow contents column, and pages with unknown
// phases, an unknown end or a start that is a date alone pass axe in light
// and dark mode.

import path from 'node:path';

import { assert, test } from '../lib/harness.mjs';
import { DESKTOP, PHONE, axe, describeViolations, load, openPage } from '../lib/browser.mjs';
import { repoRoot, run, startStaticServer, tempDir } from '../lib/site.mjs';

const FIXTURE = path.join(repoRoot, 'tests/fixtures/migrated');
const HEADINGLESS = 'incidents/2024-03-02-edge-resets/';
const WITH_HEADINGS = 'incidents/2023-11-20-billing-export/';
const DATE_ONLY = 'incidents/2022-07-14-resolver-flaps/';

let served = null;

/** The fixture built and served under /migrated/, once for all checks. */
function site(env) {
  served ??= (async () => {
    const server = await startStaticServer('/migrated/');
    const output = path.join(tempDir('migrated'), 'public');
    await run(env.bin, ['build', '--root', FIXTURE, '--output', output, '--base-url', server.base]);
    server.setRoot(output);
    process.on('exit', () => server.close());
    return server;
  })();
  return served;
}

/** Where the body and the layout around it are, in CSS pixels. */
function measureBody() {
  const box = (sel) => {
    const el = document.querySelector(sel);
    if (!el) return null;
    const r = el.getBoundingClientRect();
    return { left: Math.round(r.left), width: Math.round(r.width) };
  };
  return {
    layout: box('.incident-layout'),
    body: box('.incident-layout > .prose.body'),
    toc: box('nav.toc'),
    paragraph: box('.prose.body > p'),
  };
}

export function register(env) {
  for (const [size, viewport] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    test(`migrated: a body without headings takes the full width at ${size} size`, async () => {
      const server = await site(env);
      const page = await openPage(env.browser, { viewport, isMobile: size === 'phone' });
      try {
        await load(page, server.base + HEADINGLESS);
        await page.screenshot({ path: path.join(env.artifacts, `headingless-${size}.png`), fullPage: true });
        const m = await page.evaluate(measureBody);
        assert(m.toc === null, 'a page whose body has no headings shows no contents column');
        assert(m.body && m.layout, () => `no body or layout: ${JSON.stringify(m)}`);
        assert(m.body.left === m.layout.left, () => `the body starts ${m.body.left - m.layout.left} px into the layout`);
        // The prose keeps its reading width (46rem) where the page is wider.
        const expected = Math.min(m.layout.width, 46 * 16);
        assert(m.body.width >= expected - 1, () => `the body is ${m.body.width} px wide, not ${expected}: ${JSON.stringify(m)}`);
        assert(m.paragraph.width >= expected - 1, () => `a paragraph is ${m.paragraph.width} px wide, not ${expected}`);
        if (size === 'desktop') {
          // The contents column is still there when there are headings.
          await load(page, server.base + WITH_HEADINGS);
          const h = await page.evaluate(measureBody);
          assert(h.toc && h.body.left > h.toc.left + h.toc.width, () => `with headings: ${JSON.stringify(h)}`);
        }
        assert(page.problems.length === 0, () => page.problems.join('\n'));
      } finally {
        await page.dispose();
      }
    });
  }
  for (const colorScheme of ['light', 'dark']) {
    test(`migrated: axe on unknown phases, an unknown end and a date alone in ${colorScheme} mode`, async () => {
      const server = await site(env);
      const page = await openPage(env.browser, { colorScheme });
      try {
        const found = [];
        for (const p of [HEADINGLESS, WITH_HEADINGS, DATE_ONLY]) {
          await load(page, server.base + p);
          const unknown = await page.locator('rect.phase-unknown').count();
          assert(unknown === 1, () => `${p}: ${unknown} unknown stretches in the phase chart, not 1`);
          const violations = (await axe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
          if (violations.length) found.push(`${p}\n${describeViolations(violations)}`);
        }
        assert(found.length === 0, () => found.join('\n'));
      } finally {
        await page.dispose();
      }
    });
  }
}
