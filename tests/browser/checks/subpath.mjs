// The built site served under a sub-path, as on GitHub project pages
// (http://127.0.0.1:PORT/incidents/): pages load with no failed request, no
// request outside the sub-path, no console error, and their links resolve.

import { assert, test } from '../lib/harness.mjs';
import { load, openPage } from '../lib/browser.mjs';
import { INCIDENT } from './a11y.mjs';

const PAGES = ['', INCIDENT, 'stats/', 'tags/'];
const OPTIONAL = ['search/', 'actions/'];

export function register(env) {
  test('sub-path: pages under /incidents/ load cleanly and their links resolve', async () => {
    const page = await openPage(env.browser);
    const base = env.server.base;
    const outside = [];
    page.on('request', (req) => {
      const url = req.url();
      if (!/^(data|blob|about):/.test(url) && !url.startsWith(base)) outside.push(`${req.method()} ${url}`);
    });
    const links = new Map(); // url → the first page that links to it
    const notes = [];
    const problems = new Set();
    try {
      const optional = [];
      for (const p of OPTIONAL) {
        const res = await page.request.get(base + p);
        if (res.status() === 404) notes.push(`/${p} answers 404 (not built yet), left out`);
        else optional.push(p);
      }
      for (const p of [...PAGES, ...optional]) {
        await load(page, base + p);
        await page.waitForLoadState('networkidle');
        if (p === 'search/' && (await page.locator('#search-input').count())) {
          // The search index is fetched when the reader searches.
          await page.locator('#search-input').pressSequentially('dovecot');
          await page.waitForLoadState('networkidle');
        }
        for (const problem of page.problems.splice(0)) problems.add(`/${p}: ${problem}`);
        for (const request of outside.splice(0)) problems.add(`/${p}: request outside ${base}: ${request}`);
        const urls = await page.evaluate(() =>
          [...document.querySelectorAll('a[href], link[href], img[src], script[src], source[src], use[href]')].map(
            (el) => el.href?.baseVal ?? el.href ?? el.src,
          ),
        );
        for (const u of urls) {
          const url = new URL(u, page.url());
          url.hash = '';
          if (url.origin === env.server.origin && !links.has(url.href)) links.set(url.href, '/' + p);
        }
      }
      for (const [url, from] of links) {
        if (!url.startsWith(base)) {
          problems.add(`${from} links to ${url}, outside ${base}`);
          continue;
        }
        const res = await page.request.get(url);
        if (res.status() >= 400) problems.add(`${from} links to ${url}: HTTP ${res.status()}`);
      }
      assert(links.size > 20, `only ${links.size} same-site links found`);
      assert(problems.size === 0, () => {
        const list = [...problems];
        return (
          list.slice(0, 30).join('\n') +
          (list.length > 30 ? `\n… and ${list.length - 30} more` : '') +
          (notes.length ? `\n(${notes.join('; ')})` : '')
        );
      });
      if (notes.length) console.log(`      note: ${notes.join('; ')}`);
    } finally {
      await page.dispose();
    }
  });
}
