// The site under test: the hindsight binary, builds of the example archive,
// a static server that serves a build under a sub-path (as GitHub project
// pages do), and `hindsight serve` processes.

import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the example site (site.toml + content/). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const tempDirs = [];
const children = new Set();

/** A temporary folder, removed when the process exits. */
export function tempDir(label) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `hindsight-browser-${label}-`));
  tempDirs.push(dir);
  return dir;
}

/** Removes temporary folders and stops child processes still running. */
export function cleanup() {
  for (const child of children) {
    try {
      child.kill('SIGKILL');
    } catch {}
  }
  children.clear();
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}
process.on('exit', cleanup);

/**
 * The hindsight binary: $HINDSIGHT_BIN (the Rust test passes the one cargo
 * built), else a release build made now with cargo.
 */
export function hindsightBin() {
  if (process.env.HINDSIGHT_BIN) return process.env.HINDSIGHT_BIN;
  console.log('HINDSIGHT_BIN is not set: building hindsight with `cargo build --release` …');
  const out = execFileSync('cargo', ['build', '--release', '--bin', 'hindsight', '--message-format=json'], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 << 20,
  });
  for (const line of out.split('\n')) {
    if (!line.startsWith('{')) continue;
    const msg = JSON.parse(line);
    if (msg.reason === 'compiler-artifact' && msg.target?.name === 'hindsight' && msg.executable) return msg.executable;
  }
  throw new Error('cargo build did not report the hindsight executable');
}

/**
 * Runs a command to completion and resolves with { code, stdout, stderr };
 * rejects with its output when it exits with a code not in `okCodes`.
 */
export function run(cmd, args, { cwd = repoRoot, timeout = 120_000, okCodes = [0] } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.on('error', (err) => {
      clearTimeout(timer);
      children.delete(child);
      reject(new Error(`${cmd}: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      if (okCodes.includes(code)) resolve({ code, stdout, stderr });
      else
        reject(
          new Error(
            `\`${[cmd, ...args].join(' ')}\` exited with ${code ?? signal}\n--- stdout\n${stdout}--- stderr\n${stderr}`,
          ),
        );
    });
  });
}

/** Builds the example archive (the repository root) into `output`. */
export async function buildSite(bin, output, { baseUrl } = {}) {
  const args = ['build', '--root', repoRoot, '--output', output];
  if (baseUrl) args.push('--base-url', baseUrl);
  return run(bin, args);
}

/** Copies the example site (site.toml, content/, and templates/ if any) into `dest`. */
export function copyExampleSite(dest) {
  fs.mkdirSync(dest, { recursive: true });
  fs.copyFileSync(path.join(repoRoot, 'site.toml'), path.join(dest, 'site.toml'));
  for (const dir of ['content', 'templates']) {
    const from = path.join(repoRoot, dir);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(dest, dir), { recursive: true });
  }
  return dest;
}

/** Every file under `dir` whose name ends with `ext`. */
export function filesUnder(dir, ext) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith(ext)) found.push(path.join(entry.parentPath ?? entry.path, entry.name));
  }
  return found.sort();
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/**
 * A static file server on 127.0.0.1 that serves a folder under `prefix`
 * (like GitHub project pages): `/prefix/dir` redirects to `/prefix/dir/`, a
 * folder serves its index.html, anything else that is missing (or outside
 * the prefix) is a 404 with the site's 404.html.
 */
export async function startStaticServer(prefix = '/incidents/') {
  let root = null;
  const server = http.createServer((req, res) => {
    const send = (status, body, type = 'text/plain; charset=utf-8', headers = {}) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const notFound = () => {
      const page = root && path.join(root, '404.html');
      if (page && fs.existsSync(page)) send(404, fs.readFileSync(page), TYPES['.html']);
      else send(404, 'not found');
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed');
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      return send(400, 'bad request');
    }
    if (!root) return send(503, 'no site yet');
    if (pathname === prefix.slice(0, -1)) return send(301, '', undefined, { location: prefix });
    if (!pathname.startsWith(prefix)) return notFound();
    const file = path.resolve(root, '.' + path.posix.normalize('/' + pathname.slice(prefix.length)));
    if (file !== root && !file.startsWith(root + path.sep)) return notFound();
    let stat = fs.statSync(file, { throwIfNoEntry: false });
    if (stat?.isDirectory()) {
      if (!pathname.endsWith('/')) return send(301, '', undefined, { location: pathname + '/' });
      stat = fs.statSync(path.join(file, 'index.html'), { throwIfNoEntry: false });
      if (!stat?.isFile()) return notFound();
      return send(200, fs.readFileSync(path.join(file, 'index.html')), TYPES['.html']);
    }
    if (!stat?.isFile()) return notFound();
    send(200, fs.readFileSync(file), TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream');
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    base: `http://127.0.0.1:${port}${prefix}`,
    setRoot(dir) {
      root = path.resolve(dir);
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * Starts `hindsight serve --port 0 --root <root>` and waits for its first
 * line, `Serving <title> at <url> (Ctrl-C to stop)`. Returns the site's URL
 * (with its base path), the process's output so far, and stop().
 */
export async function startServe(bin, root) {
  const child = spawn(bin, ['serve', '--port', '0', '--root', root], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL within 60 s\n${stdout}${stderr}`)), 60_000);
    child.stdout.on('data', (d) => {
      stdout += d;
      const first = stdout.split('\n')[0];
      if (!stdout.includes('\n')) return;
      clearTimeout(timer);
      const url = /^Serving .* at (http:\/\/\S+) \(Ctrl-C to stop\)$/.exec(first)?.[1];
      if (url) resolve(url);
      else reject(new Error(`unexpected first line from serve: ${JSON.stringify(first)}\n${stderr}`));
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code ?? signal} before printing its URL\n${stdout}${stderr}`));
    });
  });
  return {
    base,
    output: () => `--- serve stdout\n${stdout}--- serve stderr\n${stderr}`,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      children.delete(child);
    },
  };
}
