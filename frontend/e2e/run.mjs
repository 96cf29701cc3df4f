// Runs the dashboard's end-to-end tests in Debian's Chromium through playwright-core
// (no browser download). Usage:
//
//   npm run e2e [-- name-filter]                              # starts its own demo server
//   GENNAKER_URL=http://127.0.0.1:8080 npm run e2e [-- filter] # uses a running server
//
// Without GENNAKER_URL the runner starts `bin/gennaker up --demo` (GENNAKER_BIN overrides
// the binary; build it with `make build`) on free ports with a fresh state directory
// (E2E_STATE_DIR, else a new temporary folder), and at the end stops it and every process
// of the demo (each process whose GENNAKER_LOCAL_STATE is under that state directory).
//
// Each file in e2e/tests exports `name`, `needsApi` (true: skipped when the API does not
// answer at GENNAKER_URL/graphql; false: run on the built dashboard served alone by this
// runner, with no API behind it, or skipped if frontend/dist is missing), optionally `needsDemo` (run only
// when the demo's load balancer is known: the runner's own server, or GENNAKER_DEMO_LB),
// and a default async function receiving { page, baseURL, shot, check, env }. Screenshots
// go to E2E_OUT or a new temporary folder, printed first. Ends with
// "N passed, N failed, N skipped"; exits 1 on a failure, or on a skip when E2E_NO_SKIP is set
// (scripts/e2e.sh sets it: `make test` runs every test or fails).
import { chromium } from 'playwright-core';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemoServer } from './server.mjs';

const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const out = process.env.E2E_OUT ?? mkdtempSync(join(tmpdir(), 'gennaker-e2e-'));
mkdirSync(out, { recursive: true });
const filter = process.argv[2] ?? '';
const testTimeoutMs = Number(process.env.E2E_TEST_TIMEOUT_MS ?? 300_000);
console.log(`e2e: screenshots in ${out}`);

async function apiAnswers(baseURL) {
  try {
    const res = await fetch(`${baseURL}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
      signal: AbortSignal.timeout(5000),
    });
    return res.ok && (await res.json())?.data?.__typename === 'Query';
  } catch {
    return false;
  }
}

/**
 * The built dashboard alone, with no API behind it (/graphql answers 404, WebSockets are
 * refused): where the tests of a missing API run when the server under test has one.
 */
async function startStaticServer(dist) {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json' };
  const srv = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path.startsWith('/graphql')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('no API here');
      return;
    }
    let file = join(dist, decodeURIComponent(path));
    if (!file.startsWith(dist) || !existsSync(file) || statSync(file).isDirectory()) file = join(dist, 'index.html');
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  srv.on('upgrade', (_req, socket) => socket.destroy());
  await new Promise((ok) => srv.listen(0, '127.0.0.1', ok));
  return { baseURL: `http://127.0.0.1:${srv.address().port}`, close: () => new Promise((ok) => srv.close(() => ok())) };
}

/** Fails the test with a message unless cond holds. */
function check(cond, message) {
  if (!cond) throw new Error(message);
}

if (!existsSync(executablePath)) {
  console.error(`e2e: FAILED: no Chromium at ${executablePath} (apt-get install -y chromium, or set CHROMIUM); scripts/e2e.sh installs it when run as root`);
  process.exit(2);
}

// Our own demo server unless one is given.
let server = null;
let baseURL;
const env = { GENNAKER_DEMO_LB: process.env.GENNAKER_DEMO_LB };
if (process.env.GENNAKER_URL) {
  baseURL = process.env.GENNAKER_URL.replace(/\/$/, '');
} else {
  const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
  try {
    server = await startDemoServer({ repoRoot, logDir: out, answers: apiAnswers });
  } catch (err) {
    console.error(`e2e: FAILED: could not start the demo server: ${err?.message ?? err}`);
    process.exit(1);
  }
  baseURL = server.baseURL;
  env.GENNAKER_DEMO_LB = server.lbURL;
}
let stopping = null;
const stopServer = () => (stopping ??= server ? server.stop() : Promise.resolve());
let context;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(sig, () => {
    console.log(`e2e: ${sig}: stopping`);
    Promise.allSettled([context?.close(), stopServer()]).finally(() => process.exit(1));
  });
}

const dir = fileURLToPath(new URL('./tests/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.test.mjs') && f.includes(filter)).sort();
const hasApi = await apiAnswers(baseURL);
console.log(`e2e: the API ${hasApi ? 'answers' : 'does not answer'} at ${baseURL}/graphql${env.GENNAKER_DEMO_LB ? `; demo load balancer at ${env.GENNAKER_DEMO_LB}` : ''}`);

let passed = 0;
let failed = 0;
let skipped = 0;
// The dashboard as built (make build): the tests of a missing API run on it, served alone.
const dist = fileURLToPath(new URL('../dist/', import.meta.url)).replace(/\/$/, '');
let staticServer = null;
const profile = mkdtempSync(join(tmpdir(), 'gennaker-chromium-'));
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });

  for (const file of files) {
    const test = await import(join(dir, file));
    const name = test.name ?? file;
    let testURL = baseURL;
    if (test.needsApi === false && hasApi && existsSync(join(dist, 'index.html'))) {
      staticServer ??= await startStaticServer(dist);
      testURL = staticServer.baseURL;
    } else if (test.needsApi !== hasApi) {
      console.log(`- skip ${name} (${test.needsApi ? 'needs' : 'is for a missing'} API)`);
      skipped++;
      continue;
    }
    if (test.needsDemo && !env.GENNAKER_DEMO_LB) {
      console.log(`- skip ${name} (needs the demo: unset GENNAKER_URL, or set GENNAKER_DEMO_LB)`);
      skipped++;
      continue;
    }
    const page = await context.newPage();
    const logs = [];
    page.on('console', (m) => m.type() === 'error' && logs.push(m.text()));
    let n = 0;
    const shot = async (label, target = page) => {
      const path = join(out, `${file.replace('.test.mjs', '')}-${String(++n).padStart(2, '0')}-${label}.png`);
      await target.screenshot({ path, fullPage: true });
      return path;
    };
    const started = Date.now();
    let timer;
    try {
      await Promise.race([
        test.default({ page, baseURL: testURL, shot, check, env }),
        new Promise((_, fail) => (timer = setTimeout(() => fail(new Error(`timed out after ${testTimeoutMs} ms`)), testTimeoutMs))),
      ]);
      console.log(`✓ ${name} (${Date.now() - started} ms)`);
      passed++;
    } catch (err) {
      failed++;
      console.log(`✗ ${name}: ${err?.message ?? err}`);
      await shot('failure').catch(() => {});
      if (logs.length) console.log(`  browser errors:\n  ${logs.join('\n  ')}`);
    } finally {
      clearTimeout(timer);
      for (const p of context.pages()) await p.close().catch(() => {});
    }
  }
} catch (err) {
  failed++;
  console.log(`✗ e2e: ${err?.message ?? err}`);
} finally {
  await context?.close().catch(() => {});
  await staticServer?.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
  try {
    await stopServer();
  } catch (err) {
    failed++;
    console.log(`✗ cleanup: ${err?.message ?? err}`);
  }
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped; screenshots in ${out}`);
if (skipped > 0 && process.env.E2E_NO_SKIP) {
  console.log('e2e: FAILED: E2E_NO_SKIP is set and tests were skipped');
  process.exit(1);
}
process.exit(failed > 0 ? 1 : 0);
