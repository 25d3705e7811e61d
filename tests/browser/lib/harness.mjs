// A tiny sequential test runner: named checks with a time limit each, skips
// with a reason, and a summary that lists every failure again at the end.

const checks = [];

/** Registers a check. `fn` gets no arguments; throw to fail, call skip() to skip. */
export function test(name, fn, { timeout = 60_000 } = {}) {
  checks.push({ name, fn, timeout });
}

class Skipped extends Error {}
class Failure extends Error {}

/** Ends the current check as skipped, with the reason printed in the summary. */
export function skip(reason) {
  throw new Skipped(reason);
}

/** Throws when `cond` is false; `message` may be a function (computed only on failure). */
export function assert(cond, message) {
  if (!cond) throw new Failure(typeof message === 'function' ? message() : message);
}

function withTimeout(promise, ms, name) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

const indent = (text, pad = '    ') => String(text).replace(/^/gm, pad);

/**
 * Runs the registered checks whose names contain one of `filters` (all when
 * empty), one after another. Returns the counts.
 */
export async function runAll(filters = []) {
  const chosen = checks.filter((c) => filters.length === 0 || filters.some((f) => c.name.includes(f)));
  const results = { passed: [], failed: [], skipped: [] };
  const started = Date.now();
  for (const check of chosen) {
    const t0 = Date.now();
    try {
      await withTimeout(Promise.resolve().then(check.fn), check.timeout, check.name);
      results.passed.push(check);
      console.log(`ok    ${check.name} (${Date.now() - t0} ms)`);
    } catch (err) {
      if (err instanceof Skipped) {
        results.skipped.push({ ...check, reason: err.message });
        console.log(`SKIP  ${check.name}: ${err.message}`);
      } else {
        // Our own assertions explain themselves; anything else gets its stack.
        const detail = err instanceof Failure || !err?.stack ? String(err?.message ?? err) : err.stack;
        results.failed.push({ ...check, detail });
        console.log(`FAIL  ${check.name} (${Date.now() - t0} ms)\n${indent(detail)}`);
      }
    }
  }
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  console.log('');
  if (results.skipped.length) {
    console.log('Skipped:');
    for (const s of results.skipped) console.log(`  - ${s.name}: ${s.reason}`);
  }
  if (results.failed.length) {
    console.log('Failed:');
    for (const f of results.failed) console.log(`  - ${f.name}\n${indent(f.detail.split('\n').slice(0, 40).join('\n'), '      ')}`);
  }
  console.log(
    `browser suite: ${results.passed.length} passed, ${results.failed.length} failed, ` +
      `${results.skipped.length} skipped in ${secs} s`,
  );
  return results;
}
