// Runs the dashboard's end-to-end tests in Debian's Chromium through playwright-core
// (no browser download). Usage:
//
//   GENNAKER_URL=http://127.0.0.1:8080 npm run e2e [-- name-filter]
//
// Each file in e2e/tests exports `name`, `needsApi` (true: skipped when the API does not
// answer at GENNAKER_URL/graphql; false: run only then) and a default async function
// receiving { page, baseURL, shot, check }. Screenshots go to E2E_OUT or a new temporary
// folder, printed first. Ends with "N passed, N failed, N skipped"; exits 1 on a failure.
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const baseURL = (process.env.GENNAKER_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const out = process.env.E2E_OUT ?? mkdtempSync(join(tmpdir(), 'gennaker-e2e-'));
mkdirSync(out, { recursive: true });
const filter = process.argv[2] ?? '';
console.log(`e2e: ${baseURL}, screenshots in ${out}`);

async function apiAnswers() {
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

/** Fails the test with a message unless cond holds. */
function check(cond, message) {
  if (!cond) throw new Error(message);
}

const dir = fileURLToPath(new URL('./tests/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.test.mjs') && f.includes(filter)).sort();
const hasApi = await apiAnswers();
console.log(`e2e: the API ${hasApi ? 'answers' : 'does not answer'} at ${baseURL}/graphql`);

const profile = mkdtempSync(join(tmpdir(), 'gennaker-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  viewport: { width: 1280, height: 800 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of files) {
  const test = await import(join(dir, file));
  const name = test.name ?? file;
  if (test.needsApi !== hasApi) {
    console.log(`- skip ${name} (${test.needsApi ? 'needs' : 'is for a missing'} API)`);
    skipped++;
    continue;
  }
  const page = await context.newPage();
  const logs = [];
  page.on('console', (m) => m.type() === 'error' && logs.push(m.text()));
  let n = 0;
  const shot = async (label) => {
    const path = join(out, `${file.replace('.test.mjs', '')}-${String(++n).padStart(2, '0')}-${label}.png`);
    await page.screenshot({ path, fullPage: true });
    return path;
  };
  const started = Date.now();
  try {
    await test.default({ page, baseURL, shot, check });
    console.log(`✓ ${name} (${Date.now() - started} ms)`);
    passed++;
  } catch (err) {
    failed++;
    console.log(`✗ ${name}: ${err?.message ?? err}`);
    await shot('failure').catch(() => {});
    if (logs.length) console.log(`  browser errors:\n  ${logs.join('\n  ')}`);
  } finally {
    await page.close();
  }
}
await context.close();
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
