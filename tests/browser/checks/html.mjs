// Every HTML page of the built archive passes the Nu HTML Checker.

import { createRequire } from 'node:module';
import path from 'node:path';

import { assert, test } from '../lib/harness.mjs';
import { filesUnder, run } from '../lib/site.mjs';

const require = createRequire(import.meta.url);
const VNU = require.resolve('vnu-jar/build/dist/vnu.jar');

export function register(env) {
  test(
    'html: every page of the built archive passes the Nu HTML Checker',
    async () => {
      // Both builds: the one with site.toml's base_url and the one under the
      // local sub-path (only URLs differ, but both are what people publish).
      const files = [...filesUnder(env.prodBuild, '.html'), ...filesUnder(env.build, '.html')];
      assert(files.length > 20, `only ${files.length} HTML files were built`);
      // vnu exits 1 when it finds errors; its JSON report is on stderr.
      const out = await run('java', ['-jar', VNU, '--errors-only', '--format', 'json', ...files], {
        timeout: 180_000,
        okCodes: [0, 1],
      });
      let report;
      try {
        report = JSON.parse(out.stderr);
      } catch {
        throw new Error(`the Nu HTML Checker exited with ${out.code} without a JSON report:\n${out.stdout}${out.stderr}`);
      }
      const errors = report.messages.filter((m) => m.type === 'error' || m.subType === 'fatal');
      assert(errors.length === 0, () => {
        const byMessage = new Map();
        for (const m of errors) {
          if (!byMessage.has(m.message)) byMessage.set(m.message, []);
          byMessage.get(m.message).push(m);
        }
        const rel = (url) => {
          const file = decodeURIComponent(url.replace(/^file:/, ''));
          for (const [name, root] of [['prod', env.prodBuild], ['subpath', env.build]]) {
            if (file.startsWith(root)) return `${name}:${path.relative(root, file)}`;
          }
          return file;
        };
        return (
          `${errors.length} error(s) in ${new Set(errors.map((m) => m.url)).size} of ${files.length} files:\n` +
          [...byMessage]
            .map(
              ([message, ms]) =>
                `${message} (${ms.length}×)\n` +
                ms
                  .slice(0, 3)
                  .map((m) => `    ${rel(m.url)}:${m.lastLine ?? '?'}: ${JSON.stringify(m.extract ?? '')}`)
                  .join('\n'),
            )
            .join('\n')
        );
      });
    },
    { timeout: 240_000 },
  );
}
