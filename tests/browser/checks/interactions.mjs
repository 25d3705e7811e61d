// What a reader clicks and types: a tag chip, the search box, the
// action-item owner filter.

import { assert, test } from '../lib/harness.mjs';
import { load, openPage } from '../lib/browser.mjs';

const MAIL_INCIDENT = '2024-04-18-mail-server-corrupted-update';

/** Runs `body` on a fresh page, then checks the page logged no problems. */
async function onCleanPage(env, body) {
  const page = await openPage(env.browser);
  try {
    await body(page);
    assert(page.problems.length === 0, () => page.problems.join('\n'));
  } finally {
    await page.dispose();
  }
}

export function register(env) {
  test('click: a tag chip on the home page opens that tag’s page', () =>
    onCleanPage(env, async (page) => {
      await load(page, env.server.base);
      const chip = page.locator('.chip-tag').first();
      assert((await page.locator('.chip-tag').count()) > 0, 'no .chip-tag on the home page');
      const label = (await chip.innerText()).trim();
      const tag = label.replace(/^#/, '');
      await Promise.all([page.waitForURL(/\/tags\//), chip.click()]);
      const url = page.url();
      assert(url.startsWith(env.server.base + 'tags/'), `clicking “${label}” went to ${url}`);
      const h1 = (await page.locator('h1').innerText()).trim();
      assert(h1 === tag, `clicking “${label}” opened ${url} with h1 “${h1}”, expected “${tag}”`);
    }));

  test('search: typing “dovecot” on /search/ lists the mail server incident', () =>
    onCleanPage(env, async (page) => {
      await load(page, env.server.base + 'search/', { optional: true });
      const input = page.locator('input#search-input');
      assert((await input.count()) === 1, 'no input#search-input on /search/');
      await input.click();
      await input.pressSequentially('dovecot', { delay: 30 });
      const links = page.locator('#search-results li a');
      const hit = links.and(page.locator(`[href*="${MAIL_INCIDENT}"]`));
      try {
        await hit.first().waitFor({ timeout: 10_000 });
      } catch {
        const shown = await links.evaluateAll((as) => as.map((a) => `${a.textContent.trim()} → ${a.getAttribute('href')}`));
        throw new Error(
          `no result linking to ${MAIL_INCIDENT} after typing “dovecot”; results: ${JSON.stringify(shown)}` +
            (page.problems.length ? `\n${page.problems.join('\n')}` : ''),
        );
      }
      const href = await hit.first().getAttribute('href');
      const target = new URL(href, page.url()).href;
      assert(
        target === `${env.server.base}incidents/${MAIL_INCIDENT}/`,
        `the result links to ${target}, not under the site's base path`,
      );
    }));

  test('filter: choosing an owner on /actions/ hides the other owners’ rows', () =>
    onCleanPage(env, async (page) => {
      await load(page, env.server.base + 'actions/', { optional: true });
      const select = page.locator('select#filter-owner');
      assert((await select.count()) === 1, 'no select#filter-owner on /actions/');
      const rows = page.locator('tr[data-owner]');
      const owners = await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.owner));
      const distinct = [...new Set(owners)];
      assert(distinct.length >= 2, `need rows of two owners to test the filter, found ${JSON.stringify(distinct)}`);
      const options = await select.locator('option').evaluateAll((os) => os.map((o) => o.value));
      const owner = options.find((v) => v && distinct.includes(v));
      assert(owner, `no option of select#filter-owner matches a row's data-owner (options ${JSON.stringify(options)})`);

      const state = () =>
        rows.evaluateAll((trs) => trs.map((tr) => ({ owner: tr.dataset.owner, hidden: tr.hidden, shown: tr.offsetParent !== null })));
      await select.selectOption(owner);
      await page.waitForFunction(
        (o) => [...document.querySelectorAll('tr[data-owner]')].every((tr) => tr.hidden === (tr.dataset.owner !== o)),
        owner,
        { timeout: 5_000 },
      ).catch(() => {});
      const after = await state();
      const wrong = after.filter((r) => (r.owner === owner) === r.hidden || (r.owner !== owner && r.shown));
      assert(
        wrong.length === 0,
        () => `after choosing “${owner}”, these rows are wrong (other owners must be hidden, ${owner}'s shown): ${JSON.stringify(wrong)}`,
      );

      // Back to every owner, when the filter offers that.
      const all = options.find((v) => v === '');
      if (all !== undefined) {
        await select.selectOption(all);
        await page.waitForFunction(() => [...document.querySelectorAll('tr[data-owner]')].every((tr) => !tr.hidden), null, {
          timeout: 5_000,
        }).catch(() => {});
        const hidden = (await state()).filter((r) => r.hidden);
        assert(hidden.length === 0, `after choosing every owner again, ${hidden.length} rows stay hidden`);
      }
    }));
}
