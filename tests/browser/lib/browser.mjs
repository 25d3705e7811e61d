// Chromium (Debian's, driven by playwright-core), a watch on each page's
// network and console, axe-core, and the 404 rule for pages that may not
// exist yet.

import fs from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { skip } from './harness.mjs';

const require = createRequire(import.meta.url);

export const CHROMIUM = process.env.HINDSIGHT_CHROMIUM || '/usr/bin/chromium';

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 900 };

export async function launch() {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (apt-get install chromium, or set HINDSIGHT_CHROMIUM)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A new page in its own context (viewport, colour scheme) that records
 * everything that went wrong: failed requests, responses >= 400, console
 * errors and uncaught exceptions. `page.problems` lists them as text.
 */
export async function openPage(browser, { viewport = DESKTOP, colorScheme = 'light', isMobile = false } = {}) {
  const context = await browser.newContext({
    viewport,
    colorScheme,
    isMobile,
    hasTouch: isMobile,
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  page.problems = [];
  page.on('requestfailed', (req) =>
    page.problems.push(`request failed: ${req.method()} ${req.url()} (${req.failure()?.errorText})`),
  );
  page.on('response', (res) => {
    if (res.status() >= 400) page.problems.push(`HTTP ${res.status()}: ${res.request().method()} ${res.url()}`);
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const loc = msg.location();
      page.problems.push(`console error: ${msg.text()}${loc?.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
    }
  });
  page.on('pageerror', (err) => page.problems.push(`uncaught exception: ${err.message}`));
  page.dispose = () => context.close();
  return page;
}

/**
 * Loads `url`; when `optional` and the server answers 404, skips the check
 * with a message saying so (the page is still being added). Any other
 * status >= 400 fails.
 */
export async function load(page, url, { optional = false } = {}) {
  const response = await page.goto(url, { waitUntil: 'load' });
  const status = response?.status();
  if (optional && status === 404) {
    skip(`${new URL(url).pathname} does not exist yet (HTTP 404); this check turns on once the page is built`);
  }
  if (!response || status >= 400) throw new Error(`${url}: HTTP ${status}`);
  return response;
}

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe-core on the loaded page; returns its violations. */
export async function axe(page) {
  await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html, summary: n.failureSummary })),
    }));
  });
}

/** A readable account of axe violations: each rule, then up to 3 elements with axe's first reason. */
export function describeViolations(violations) {
  const reason = (summary = '') => {
    const lines = summary.split('\n').map((l) => l.trim());
    // "Fix any of the following:" / "Fix all of the following:" then the reasons.
    return lines.find((l) => l && !/^Fix (any|all) of the following:$/.test(l)) ?? '';
  };
  return violations
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes.length} element${v.nodes.length === 1 ? '' : 's'}\n` +
        v.nodes
          .slice(0, 3)
          .map((n) => `  at ${n.target}: ${n.html.length > 160 ? n.html.slice(0, 160) + '…' : n.html}\n    ${reason(n.summary)}`)
          .join('\n') +
        (v.nodes.length > 3 ? `\n  … and ${v.nodes.length - 3} more` : ''),
    )
    .join('\n');
}
