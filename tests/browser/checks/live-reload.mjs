// Live reload in a real browser under `hindsight serve`: an edit shows up
// without a manual reload (keeping the scroll position), a broken edit
// shows the error overlay while the last good site stays up, and fixing it
// removes the overlay.

import fs from 'node:fs';
import path from 'node:path';

import { assert, test } from '../lib/harness.mjs';
import { load, openPage } from '../lib/browser.mjs';
import { copyExampleSite, startServe, tempDir } from '../lib/site.mjs';

const SLUG = '2024-04-18-mail-server-corrupted-update';
const FILE = `content/2024/${SLUG}.md`;
const NEW_TITLE = 'Mail server down after a corrupted update (edited live)';
const SCROLL = 300;

export function register(env) {
  test(
    'live reload: edits reload the open page, errors show an overlay until fixed',
    async () => {
      const root = copyExampleSite(path.join(tempDir('serve'), 'site'));
      const file = path.join(root, FILE);
      const original = fs.readFileSync(file, 'utf8');
      const titleLine = /^title: .*$/m.exec(original)?.[0];
      const severityLine = /^severity: .*$/m.exec(original)?.[0];
      assert(titleLine && severityLine, `${FILE} has no title: or severity: line`);
      const edit = (from, to) => {
        const text = fs.readFileSync(file, 'utf8');
        assert(text.includes(from), `${FILE} lacks ${JSON.stringify(from)}`);
        fs.writeFileSync(file, text.replace(from, to));
      };

      const server = await startServe(env.bin, root);
      const page = await openPage(env.browser);
      const step = async (what, promise) => {
        try {
          return await promise;
        } catch (err) {
          throw new Error(
            `${what}: ${err.message.split('\n')[0]}\n` +
              `page: ${page.url()}, h1 “${await page.locator('h1').first().innerText().catch(() => '?')}”\n` +
              server.output().slice(-3000),
          );
        }
      };
      try {
        const url = `${server.base}incidents/${SLUG}/`;
        // Edits are announced over the event stream; open it before editing.
        const events = page.waitForResponse((r) => r.url().includes('/__hindsight/events'), { timeout: 15_000 });
        events.catch(() => {}); // awaited below; no unhandled rejection if an earlier step fails
        await load(page, url);
        await step('the page opens the live-reload event stream', events);
        await page.evaluate((y) => {
          window.scrollTo(0, y);
          window.__beforeEdit = true;
        }, SCROLL);

        // 1. A good edit: the page reloads itself and shows the new title.
        const reconnected = page.waitForResponse((r) => r.url().includes('/__hindsight/events'), { timeout: 30_000 });
        reconnected.catch(() => {});
        edit(titleLine, `title: "${NEW_TITLE}"`);
        await step(
          'the new title appears without a manual reload',
          page.locator('h1', { hasText: NEW_TITLE }).waitFor({ timeout: 30_000 }),
        );
        assert(await page.evaluate(() => window.__beforeEdit === undefined), 'the title changed but the page did not reload');
        assert((await page.title()).includes(NEW_TITLE), `document title is “${await page.title()}”`);
        await page.waitForLoadState('load');
        await step(
          `the scroll position (${SCROLL} px) is kept`,
          page.waitForFunction((y) => Math.abs(window.scrollY - y) <= 2, SCROLL, { timeout: 5_000 }),
        );

        // 2. A bad edit: an overlay lists the problem; the last good site stays up.
        await step('the reloaded page reconnects to the event stream', reconnected);
        edit(severityLine, 'severity: SEV9');
        const overlay = page.locator('#hindsight-overlay');
        await step('the error overlay appears', overlay.waitFor({ state: 'visible', timeout: 30_000 }));
        const problems = await overlay.locator('.hindsight-problem').allInnerTexts();
        assert(problems.length >= 1, 'the overlay lists no .hindsight-problem');
        assert(
          problems.some((p) => p.includes(path.basename(FILE)) && /SEV9|severity/.test(p)),
          () => `no problem in the overlay names ${path.basename(FILE)} and the bad severity:\n${problems.join('\n')}`,
        );
        const lastGood = await page.request.get(url);
        assert(lastGood.status() === 200, `while the site has errors, ${url} answers HTTP ${lastGood.status()}`);
        assert((await lastGood.text()).includes(NEW_TITLE), 'while the site has errors, the last good page is not served');

        // 3. The fix: the page reloads and the overlay is gone.
        await page.evaluate(() => (window.__beforeFix = true));
        edit('severity: SEV9', severityLine);
        await step(
          'the page reloads after the fix',
          page.waitForFunction(() => window.__beforeFix === undefined, null, { timeout: 30_000 }),
        );
        await step('the overlay goes away', overlay.waitFor({ state: 'detached', timeout: 10_000 }));
        await page.waitForLoadState('load');
        assert(
          (await page.locator('h1').innerText()).includes(NEW_TITLE),
          'after the fix the page does not show the edited title',
        );
        const errors = page.problems.filter((p) => p.startsWith('console error') || p.startsWith('uncaught'));
        assert(errors.length === 0, () => errors.join('\n'));
      } finally {
        await page.dispose();
        await server.stop();
      }
    },
    { timeout: 120_000 },
  );
}
