// Screenshots at phone and desktop widths (into artifacts/), no sideways
// scrolling, and charts that are drawn: non-zero size with visible marks.

import path from 'node:path';

import { assert, test } from '../lib/harness.mjs';
import { DESKTOP, PHONE, load, openPage } from '../lib/browser.mjs';
import { INCIDENT } from './a11y.mjs';

const PAGES = [
  { name: 'home', path: '' },
  { name: 'incident', path: INCIDENT, charts: 'svg.phase-chart', marks: 'rect[class^="phase-"]' },
  // Bar charts draw rect.bar; the time-of-day heatmap and the calendars rect.cell.
  { name: 'stats', path: 'stats/', charts: 'svg.chart', marks: 'rect.bar, rect.cell' },
];

/** Size of each chart and how many of its marks are visible. */
function measureCharts([chartSel, markSel]) {
  const visible = (el) => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    const fill = style.fill;
    return (
      box.width > 0 &&
      box.height > 0 &&
      style.visibility !== 'hidden' &&
      style.display !== 'none' &&
      Number(style.opacity) > 0 &&
      Number(style.fillOpacity) > 0 &&
      fill !== 'none' &&
      !/rgba\([^)]*,\s*0\)$/.test(fill)
    );
  };
  return [...document.querySelectorAll(chartSel)].map((svg) => {
    const box = svg.getBoundingClientRect();
    const marks = [...svg.querySelectorAll(markSel)];
    return {
      label: svg.getAttribute('aria-labelledby') || svg.outerHTML.slice(0, 80),
      width: Math.round(box.width),
      height: Math.round(box.height),
      marks: marks.length,
      visibleMarks: marks.filter(visible).length,
    };
  });
}

export function register(env) {
  for (const [size, viewport] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    test(`visual: screenshots, layout and charts at ${size} size (${viewport.width}×${viewport.height})`, async () => {
      const page = await openPage(env.browser, { viewport, isMobile: size === 'phone' });
      const problems = [];
      try {
        for (const p of PAGES) {
          await load(page, env.server.base + p.path);
          await page.evaluate(() => document.fonts.ready);
          const file = path.join(env.artifacts, `${p.name}-${size}.png`);
          await page.screenshot({ path: file, fullPage: true });

          const overflow = await page.evaluate(() => ({
            scroll: document.documentElement.scrollWidth,
            view: window.innerWidth,
          }));
          if (overflow.scroll > overflow.view) {
            problems.push(`${p.name}: the page scrolls sideways (${overflow.scroll} px wide in a ${overflow.view} px window)`);
          }

          if (!p.charts) continue;
          const charts = await page.evaluate(measureCharts, [p.charts, p.marks]);
          if (charts.length === 0) problems.push(`${p.name}: no ${p.charts}`);
          for (const c of charts) {
            if (!(c.width > 0 && c.height > 0)) problems.push(`${p.name}: ${p.charts} ${c.label} is ${c.width}×${c.height}`);
            if (c.visibleMarks === 0) {
              problems.push(`${p.name}: ${p.charts} ${c.label} has no visible ${p.marks} (${c.marks} in the markup)`);
            }
          }
        }
        assert(problems.length === 0, () => problems.join('\n'));
        assert(page.problems.length === 0, () => page.problems.join('\n'));
      } finally {
        await page.dispose();
      }
    });
  }
}
