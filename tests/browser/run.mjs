#!/usr/bin/env node
// Real-browser tests of the example archive: the Nu HTML Checker, axe-core
// in light and dark mode, screenshots and charts, clicks, live reload under
// `hindsight serve`, and the built site served under a sub-path.
//
//   node tests/browser/run.mjs [NAME-FILTER …]
//
// Environment: HINDSIGHT_BIN (the binary to test; else built with cargo),
// HINDSIGHT_CHROMIUM (default /usr/bin/chromium). Exits 1 when a check
// fails, 2 when the setup fails. tests/suite/browser.rs runs this.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { runAll } from './lib/harness.mjs';
import { launch } from './lib/browser.mjs';
import { buildSite, cleanup, hindsightBin, startStaticServer, tempDir } from './lib/site.mjs';

import * as html from './checks/html.mjs';
import * as a11y from './checks/a11y.mjs';
import * as visual from './checks/visual.mjs';
import * as interactions from './checks/interactions.mjs';
import * as subpath from './checks/subpath.mjs';
import * as liveReload from './checks/live-reload.mjs';
import * as migrated from './checks/migrated.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

/** What the checks share; filled in by setup() before any check runs. */
const env = {
  artifacts: path.join(here, 'artifacts'),
  bin: null, // the hindsight binary
  prodBuild: null, // built with site.toml's base_url
  build: null, // built for the static server below (base URL under /incidents/)
  server: null, // serves `build` at server.base = http://127.0.0.1:PORT/incidents/
  browser: null,
};

async function setup() {
  const t0 = Date.now();
  env.bin = hindsightBin();
  fs.mkdirSync(env.artifacts, { recursive: true });
  env.server = await startStaticServer('/incidents/');
  env.prodBuild = path.join(tempDir('prod'), 'public');
  env.build = path.join(tempDir('subpath'), 'public');
  await Promise.all([
    buildSite(env.bin, env.prodBuild),
    buildSite(env.bin, env.build, { baseUrl: env.server.base }),
  ]);
  env.server.setRoot(env.build);
  env.browser = await launch();
  console.log(
    `setup: ${env.bin}\n       Chromium ${env.browser.version()}, site at ${env.server.base} (${Date.now() - t0} ms)`,
  );
}

for (const mod of [html, a11y, visual, interactions, subpath, liveReload, migrated]) mod.register(env);

// Stopped from outside (the Rust test's time limit, Ctrl-C): stop what we started.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    console.log(`stopped by ${signal}`);
    cleanup();
    process.exit(1);
  });
}

let code = 0;
try {
  await setup();
} catch (err) {
  console.log(`SETUP FAILED: ${err.stack ?? err}`);
  code = 2;
}
if (code === 0) {
  const results = await runAll(process.argv.slice(2));
  if (results.failed.length) code = 1;
}
await env.browser?.close().catch(() => {});
await env.server?.close();
cleanup();
process.exit(code);
