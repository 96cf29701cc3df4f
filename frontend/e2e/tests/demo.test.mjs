// The demo, end to end, as a person would do it from the dashboard: open hello, run ship
// (v2), follow the execution live, approve "Promote", see the new server group take the
// traffic (in the clusters view and through the load balancer over plain HTTP), roll back
// from the clusters view and see v1 back. Nothing is ever reloaded: every page keeps a
// marker on `window` from its first load to the end, and the stage statuses the execution
// view showed are recorded as they change.
//
// Needs a fresh `gennaker up --demo` (the runner starts one) and the load balancer's
// address in GENNAKER_DEMO_LB (http://host:port).
export const name = 'demo: run ship, approve, traffic moves to v2, roll back to v1';
export const needsApi = true;
export const needsDemo = true;

const MARKER = 'gennaker-e2e-no-reload';

/** Sets the no-reload marker and starts recording every stage status the DAG shows. */
async function watchPage(page) {
  await page.evaluate((marker) => {
    window.__e2eMarker = marker;
    window.__e2eStatusLog = [];
    const last = new Map();
    const record = () => {
      for (const el of document.querySelectorAll('.dag-node[data-status]')) {
        const stage = el.querySelector('.dag-node-name')?.textContent ?? '?';
        const status = el.getAttribute('data-status');
        const key = `${location.pathname} ${stage}`;
        if (last.get(key) !== status) {
          last.set(key, status);
          window.__e2eStatusLog.push({ path: location.pathname, stage, status, at: Date.now() });
        }
      }
    };
    new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
  }, MARKER);
}

async function notReloaded(page, check, where) {
  const marker = await page.evaluate(() => window.__e2eMarker);
  check(marker === MARKER, `${where}: the page was reloaded (the marker set on window at the start is gone)`);
}

/** The statuses a stage went through on the execution view, in order. */
async function statusesOf(page, stage) {
  const log = await page.evaluate(() => window.__e2eStatusLog);
  return log.filter((e) => e.path.startsWith('/executions/') && e.stage === stage).map((e) => e.status);
}

/** Asks the load balancer `n` times in a row; true when every answer is from `version`. */
async function lbAnswers(lb, version, n = 10) {
  const seen = [];
  for (let i = 0; i < n; i++) {
    try {
      const res = await fetch(lb, { signal: AbortSignal.timeout(3000) });
      seen.push(`${res.status} ${(await res.text()).trim()}`);
    } catch (err) {
      seen.push(`error ${err?.cause?.code ?? err?.message}`);
    }
  }
  return { ok: seen.every((s) => s.startsWith(`200 hello from ${version} `)), seen };
}

async function waitForLB(lb, version, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await lbAnswers(lb, version);
    if (last.ok) return last.seen;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the load balancer ${lb} does not answer ${version} only; last answers:\n  ${last.seen.join('\n  ')}`);
}

const card = (page, sg) => page.getByTestId(`sg-${sg}`);
async function waitForEnabled(page, sg, enabled, timeout = 30_000) {
  await card(page, sg).locator('.pill').getByText(enabled ? 'enabled' : 'disabled', { exact: true }).waitFor({ timeout });
}

export default async function ({ page, baseURL, shot, check, env }) {
  const lb = env.GENNAKER_DEMO_LB;
  check(lb, 'GENNAKER_DEMO_LB (the demo load balancer, http://host:port) is not set');
  check((await lbAnswers(lb, 'v1')).ok, 'before the run the load balancer answers v1 only');

  // A second tab keeps the clusters view open from before the run: what it shows later
  // can only have come from the subscription.
  const watcher = await page.context().newPage();
  await watcher.goto(`${baseURL}/applications/hello/clusters`);
  await watcher.getByTestId('connection').getByText('Live', { exact: true }).waitFor({ timeout: 15_000 });
  await waitForEnabled(watcher, 'hello-v000', true);
  check((await card(watcher, 'hello-v001').count()) === 0, 'before the run there is no hello-v001');
  await watchPage(watcher);

  // E2E_DEBUG_WS=1 prints the subscription frames the dashboard receives, with versions.
  if (process.env.E2E_DEBUG_WS) {
    page.on('websocket', (ws) =>
      ws.on('framereceived', (f) => {
        const s = String(f.payload);
        console.log(`  ws< ${new Date().toISOString()} ${s.slice(0, 80)} version=${s.match(/"version":(\d+)/)?.[1]} status=${s.match(/"status":"(\w+)"/)?.[1]}`);
      }),
    );
  }
  // The applications page, then hello (client-side navigation from here on).
  await page.goto(`${baseURL}/`);
  await page.getByTestId('connection').getByText('Live', { exact: true }).waitFor({ timeout: 15_000 });
  await watchPage(page);
  await page.getByTestId('app-hello').waitFor();
  await shot('applications');
  await page.getByRole('link', { name: 'hello', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'hello', exact: true }).waitFor();
  await waitForEnabled(page, 'hello-v000', true);
  check((await card(page, 'hello-v000').textContent()).includes('v1'), 'hello-v000 runs v1');
  await shot('clusters-before');

  // Its pipelines; run ship with the default version v2.
  await page.getByRole('link', { name: 'Pipelines', exact: true }).click();
  await page.getByRole('button', { name: 'Run ship' }).click();
  const dialog = page.getByRole('dialog', { name: 'Run ship' });
  const version = dialog.getByLabel('Version');
  check((await version.inputValue()) === 'v2', `the run dialog offers the default version v2, not ${await version.inputValue()}`);
  await version.fill('v2');
  await dialog.getByLabel('Reason').fill('e2e: ship v2');
  await shot('run-dialog');
  await dialog.getByRole('button', { name: 'Run' }).click();
  const follow = dialog.getByRole('link', { name: 'follow the execution' });
  await follow.waitFor();
  await follow.click();
  await page.waitForURL(/\/executions\//);
  const executionURL = page.url();

  // The execution view follows the deploy live.
  const node = (stage) => page.locator('.dag-node').filter({ has: page.locator('.dag-node-name', { hasText: stage }) });
  await node('Deploy').waitFor();
  await shot('execution-deploying');
  await node('Deploy').and(page.locator('[data-status="SUCCEEDED"]')).waitFor({ timeout: 90_000 });
  const judgment = page.getByRole('heading', { name: 'Manual judgment: Promote' });
  await judgment.waitFor({ timeout: 30_000 });
  await node('Promote').and(page.locator('[data-status="RUNNING"]')).waitFor();
  await shot('execution-judgment');
  // The local deploy of examples/hello takes well under a second, often over before the
  // view has loaded: only its end is required here. The judgment below is the transition
  // that is certain to happen in front of the page.
  const deploy = await statusesOf(page, 'Deploy');
  check(deploy.at(-1) === 'SUCCEEDED', `the page shows Deploy SUCCEEDED, saw ${deploy.join(' → ')}`);
  console.log(`  Deploy on the page: ${deploy.join(' → ')}`);
  await notReloaded(page, check, 'after the deploy');

  // Before anyone approves, red/black already moved the traffic: v2 only.
  await waitForLB(lb, 'v2');

  // Approve from the judgment panel; the rest of the pipeline runs live.
  const panel = page.locator('section.judgment');
  check((await panel.textContent()).includes('hello v2 takes the traffic'), 'the panel shows the instructions with the version');
  await panel.getByLabel('Comment').fill('v2 looks good');
  await panel.getByRole('button', { name: 'Continue' }).click();
  await page.locator('h1 .status-badge[data-status="SUCCEEDED"]').waitFor({ timeout: 60_000 });
  check((await judgment.count()) === 0, 'the judgment panel is gone once answered');
  for (const stage of ['Deploy', 'Promote', 'Shrink old']) {
    check((await node(stage).getAttribute('data-status')) === 'SUCCEEDED', `${stage} is SUCCEEDED on the page`);
  }
  const promote = await statusesOf(page, 'Promote');
  check(promote.join(' → ').endsWith('RUNNING → SUCCEEDED'), `the page showed Promote go RUNNING → SUCCEEDED, saw ${promote.join(' → ')}`);
  const shrink = await statusesOf(page, 'Shrink old');
  check(shrink.at(-1) === 'SUCCEEDED' && shrink.length >= 2, `the page showed Shrink old change to SUCCEEDED, saw ${shrink.join(' → ')}`);
  await notReloaded(page, check, 'after the judgment');
  await shot('execution-succeeded');

  // The clusters view that was open since before the run shows the new server group, live.
  await waitForEnabled(watcher, 'hello-v001', true);
  await waitForEnabled(watcher, 'hello-v000', false);
  check((await card(watcher, 'hello-v001').textContent()).includes('v2'), 'hello-v001 runs v2');
  await notReloaded(watcher, check, 'the clusters tab');
  await shot('clusters-live-after-ship', watcher);
  const v2 = await waitForLB(lb, 'v2');
  console.log(`  load balancer after ship: ${v2.slice(0, 2).join(' | ')}`);

  // Back to hello's clusters by the breadcrumb and the tabs; roll back from there.
  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'hello' }).click();
  await page.getByRole('link', { name: 'Clusters', exact: true }).click();
  await waitForEnabled(page, 'hello-v001', true);
  await waitForEnabled(page, 'hello-v000', false);
  await shot('clusters-after-ship');
  await page.getByRole('button', { name: 'Roll back hello in local' }).click();
  const confirm = page.getByRole('dialog', { name: 'Roll back hello in local' });
  const says = await confirm.textContent();
  check(says.includes('hello-v000 (version v1), will be enabled') && says.includes('hello-v001 (version v2) will be disabled'), `the confirmation says what will happen: ${says}`);
  await confirm.getByLabel(/Reason/).fill('e2e: back to v1');
  await shot('rollback-confirm');
  await confirm.getByRole('button', { name: 'Roll back' }).click();
  const outcome = page.getByRole('status').filter({ hasText: 'Rollback of hello started as' });
  await outcome.waitFor();
  await confirm.waitFor({ state: 'detached' });

  // Both views follow the rollback live; the load balancer answers v1 again.
  for (const p of [page, watcher]) {
    await waitForEnabled(p, 'hello-v000', true, 60_000);
    await waitForEnabled(p, 'hello-v001', false, 60_000);
  }
  await shot('clusters-after-rollback');
  await shot('clusters-live-after-rollback', watcher);
  const v1 = await waitForLB(lb, 'v1');
  console.log(`  load balancer after rollback: ${v1.slice(0, 2).join(' | ')}`);

  // The rollback's own execution succeeded.
  await outcome.getByRole('link').click();
  await page.waitForURL(/\/executions\//);
  check(page.url() !== executionURL, 'the rollback is its own execution');
  await page.locator('h1 .status-badge[data-status="SUCCEEDED"]').waitFor({ timeout: 60_000 });
  await shot('rollback-execution');
  await notReloaded(page, check, 'at the end');
  await notReloaded(watcher, check, 'the clusters tab at the end');
  await watcher.close();
}
