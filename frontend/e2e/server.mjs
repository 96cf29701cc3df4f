// Starts `gennaker up --demo` for the e2e runner on free ports with a fresh state directory,
// and stops it together with every process of the demo: the local provider's instances
// outlive gennaker on purpose (the next start adopts them), so they are found by the
// GENNAKER_LOCAL_STATE in their environment, under this run's state directory.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** A port nobody listens on now, chosen by the kernel. */
function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pids whose environment has GENNAKER_LOCAL_STATE under dir. */
export function demoProcesses(dir) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let env;
    try {
      env = readFileSync(`/proc/${entry}/environ`, 'latin1');
    } catch {
      continue; // gone, or not ours to read
    }
    for (const kv of env.split('\0')) {
      if (!kv.startsWith('GENNAKER_LOCAL_STATE=')) continue;
      const v = kv.slice('GENNAKER_LOCAL_STATE='.length);
      if (v === dir || v.startsWith(`${dir}/`)) pids.push(Number(entry));
    }
  }
  return pids;
}

/** SIGTERM, then SIGKILL after graceMs for those still there. */
async function terminate(pids, graceMs) {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
  const deadline = Date.now() + graceMs;
  while (pids.some(alive) && Date.now() < deadline) await sleep(100);
  for (const pid of pids.filter(alive)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

/**
 * Starts the demo server; resolves once its API answers. Returns its URLs and stop(),
 * which is safe to call more than once.
 */
export async function startDemoServer({ repoRoot, logDir, answers }) {
  const bin = resolve(process.env.GENNAKER_BIN ?? join(repoRoot, 'bin/gennaker'));
  if (!existsSync(bin) || !existsSync(join(bin, '../hello'))) {
    throw new Error(`${bin} or the hello binary beside it is missing: run \`make build\` at the repository root first (or set GENNAKER_URL to a running server)`);
  }
  const ownState = !process.env.E2E_STATE_DIR;
  const stateDir = resolve(process.env.E2E_STATE_DIR ?? mkdtempSync(join(tmpdir(), 'gennaker-e2e-state-')));
  mkdirSync(stateDir, { recursive: true });
  const [port, lbPort] = [await freePort(), await freePort()];
  const baseURL = `http://127.0.0.1:${port}`;
  const lbURL = `http://127.0.0.1:${lbPort}`;
  const logPath = join(logDir, 'gennaker.log');
  const log = createWriteStream(logPath);
  const args = ['up', '--demo', '--state-dir', stateDir, '--addr', `127.0.0.1:${port}`, '--demo-lb-addr', `127.0.0.1:${lbPort}`];
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  // The API answers before the demo is seeded; "Gennaker is ready" is printed after.
  let ready = false;
  let seen = '';
  child.stdout.on('data', (b) => {
    seen = (seen + b.toString()).slice(-4096);
    if (seen.includes('Gennaker is ready at')) ready = true;
  });
  let exited = null;
  const exit = new Promise((r) => child.once('exit', (code, signal) => r((exited = { code, signal }))));
  console.log(`e2e: started ${bin} ${args.join(' ')} (pid ${child.pid}, log ${logPath})`);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (!exited) {
      child.kill('SIGTERM');
      await Promise.race([exit, sleep(15_000)]);
      if (!exited) {
        child.kill('SIGKILL');
        await exit;
      }
    }
    // gennaker is gone, so nothing restarts its instances while they are stopped.
    const pids = demoProcesses(stateDir);
    await terminate(pids, 5_000);
    const left = demoProcesses(stateDir);
    console.log(`e2e: stopped gennaker and ${pids.length} demo process(es)${left.length ? `; STILL RUNNING: ${left.join(' ')}` : ''}`);
    log.end();
    if (ownState && !left.length) rmSync(stateDir, { recursive: true, force: true });
    if (left.length) throw new Error(`demo processes still running: ${left.join(' ')}`);
  };

  const deadline = Date.now() + 90_000;
  while (!(ready && (await answers(baseURL)))) {
    if (exited || Date.now() > deadline) {
      await stop().catch(() => {});
      const tail = readFileSync(logPath, 'utf8').split('\n').slice(-20).join('\n');
      throw new Error(`gennaker up ${exited ? `exited (${JSON.stringify(exited)})` : 'did not answer within 90 s'}; the end of its log:\n${tail}`);
    }
    await sleep(200);
  }
  return { baseURL, lbURL, stateDir, stop };
}
