// A pipeline's life in the dashboard: the editor refuses an invalid definition with the
// problem at its line, saves a valid one, then does both again in YAML; the run dialog
// starts it; the execution view follows it live (no reload) to its manual judgment, which
// is answered from the page.
export const name = 'pipelines: edit (JSON and YAML), run, follow live, judge';
export const needsApi = true;

async function gql(baseURL, query, variables) {
  const res = await fetch(`${baseURL}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = await res.json();
  if (body.errors) throw new Error(`setup: ${JSON.stringify(body.errors)}`);
  return body.data;
}

export default async function ({ page, baseURL, shot, check }) {
  const app = `e2ep${Date.now().toString(36)}`;
  await gql(baseURL, 'mutation($i: CreateApplicationInput!) { createApplication(input: $i) { application { id } } }', {
    i: { name: app, ownerEmail: 'e2e@example.com', criticality: 'LOW' },
  });

  // The editor starts from a wait → manual judgment template; break it first.
  await page.goto(`${baseURL}/applications/${app}/pipelines/new`);
  const text = page.getByLabel('Definition (JSON)');
  await text.waitFor();
  const template = await text.inputValue();
  const definition = JSON.parse(template);
  definition.stages[1].requisiteStageRefIds = ['nope'];
  await text.fill(JSON.stringify(definition, null, 2));
  await page.getByRole('button', { name: 'Save' }).click();
  const problems = page.getByRole('alert').filter({ hasText: 'not accepted' });
  await problems.waitFor();
  check((await problems.textContent()).includes('stages[1]'), `the problem names its path: ${await problems.textContent()}`);
  await problems.getByRole('button', { name: /^line \d+$/ }).first().click();
  await shot('editor-problem');

  // Fixed, it saves and the address becomes the pipeline's.
  await text.fill(template);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved.').waitFor();
  await page.waitForURL(/\/pipelines\/[^/]+\/edit$/);
  await shot('editor-saved');

  // The same pipeline in YAML, switched to from the keyboard: a wrong reference is shown at
  // its YAML line; an edit made there is saved, and the server stores it.
  const id = decodeURIComponent(/\/pipelines\/([^/]+)\/edit$/.exec(page.url())[1]);
  await page.locator('fieldset.format-switch:enabled').waitFor(); // once the saved pipeline is loaded
  await page.getByRole('radio', { name: 'JSON' }).focus();
  await page.keyboard.press('ArrowRight');
  const yamlText = page.getByLabel('Definition (YAML)');
  await yamlText.waitFor();
  check(await page.getByRole('radio', { name: 'YAML' }).isChecked(), 'the arrow key chose YAML');
  const yaml = await yamlText.inputValue();
  const wrong = yaml.replace(/requisiteStageRefIds:\n\s+- "1"/, 'requisiteStageRefIds: [nope]');
  check(wrong.includes('[nope]'), `the definition reads as YAML:\n${yaml}`);
  await yamlText.fill(wrong);
  await page.getByRole('button', { name: 'Save' }).click();
  const yamlProblems = page.getByRole('alert').filter({ hasText: 'not accepted' });
  await yamlProblems.waitFor();
  await yamlProblems.getByRole('listitem').filter({ hasText: 'stages[1].requisiteStageRefIds' }).getByRole('button', { name: /^line \d+$/ }).click();
  const selected = await yamlText.evaluate((el) => el.value.slice(el.selectionStart, el.selectionEnd));
  check(selected.trim() === 'requisiteStageRefIds: [nope]', `the problem's line is the wrong reference: ${JSON.stringify(selected)}`);
  await shot('editor-yaml-problem');

  const edited = yaml.replace(/^description: .*$/m, 'description: edited as YAML').replace('name: Wait', 'name: Soak').replace('waitTime: 5', 'waitTime: 2');
  check(['edited as YAML', 'Soak', 'waitTime: 2'].every((s) => edited.includes(s)), `the YAML edit applies:\n${edited}`);
  await yamlText.fill(edited);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved.').waitFor();
  const { pipeline: stored } = await gql(baseURL, 'query($id: ID!) { pipeline(id: $id) { description stages { refId name requisiteStageRefIds config } } }', { id });
  const [wait, approve] = stored.stages;
  check(
    stored.description === 'edited as YAML' && wait.name === 'Soak' && wait.config.waitTime === 2 && approve.requisiteStageRefIds.join() === '1',
    `the server stored the YAML edit: ${JSON.stringify(stored)}`,
  );

  // Opened again, the editor is in YAML (remembered) with the edit; back to JSON, it is the same.
  await page.reload();
  await yamlText.waitFor();
  // The text box is there at once; the saved pipeline fills it when its query answers.
  let reloaded = '';
  for (const deadline = Date.now() + 15_000; Date.now() < deadline; await page.waitForTimeout(100)) {
    reloaded = await yamlText.inputValue();
    if (reloaded.includes('name: Soak')) break;
  }
  check(reloaded.includes('name: Soak'), `the reloaded editor shows the YAML edit:\n${reloaded}`);
  await page.getByRole('radio', { name: 'JSON' }).click();
  const json = JSON.parse(await page.getByLabel('Definition (JSON)').inputValue());
  check(json.description === 'edited as YAML' && json.stages[0].config.waitTime === 2, `back in JSON: ${JSON.stringify(json)}`);
  await shot('editor-yaml-saved');

  // Run it from the list.
  await page.getByRole('link', { name: 'Back to pipelines' }).click();
  await page.getByRole('button', { name: 'Run deploy' }).click();
  const dialog = page.getByRole('dialog', { name: 'Run deploy' });
  await dialog.getByLabel('Reason').fill('e2e');
  await dialog.getByRole('button', { name: 'Run' }).click();
  await dialog.getByRole('link', { name: 'follow the execution' }).waitFor();
  await page.keyboard.press('Escape');
  // The new execution appears under the pipeline by itself (subscription → cache).
  await page.locator('.execution-row').first().waitFor({ timeout: 10_000 });
  await shot('pipelines-running');
  await page.locator('.execution-row a').first().click();

  // The execution view: the wait runs, then the judgment appears without a reload.
  await page.waitForURL(/\/executions\//);
  await page.getByRole('heading', { name: /deploy/ }).waitFor();
  await page.getByRole('heading', { name: 'Manual judgment: Approve' }).waitFor({ timeout: 30_000 });
  await shot('execution-judgment');
  await page.getByLabel('Choice').selectOption('ship it');
  await page.getByLabel('Comment').fill('looks good');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.locator('h1 .status-badge[data-status="SUCCEEDED"]').waitFor({ timeout: 30_000 });
  await shot('execution-succeeded');
  check((await page.getByRole('heading', { name: 'Manual judgment: Approve' }).count()) === 0, 'the judgment panel is gone once answered');

  // The narrow layout still shows the graph and the details.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(500); // the graph refits to its new box
  await shot('execution-narrow');
}
