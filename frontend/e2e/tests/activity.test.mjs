// The activity tab: changes made through the API are listed, newest first, in words, with
// their detail; the next page comes on "load more". Needs a running Gennaker (gennaker up).
export const name = 'activity: the audit log of an application';
export const needsApi = true;

export default async function ({ page, baseURL, shot, check }) {
  const gql = async (query, variables) => {
    const res = await fetch(`${baseURL}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const body = await res.json();
    check(!body.errors, `${query.split('(')[0]}: ${JSON.stringify(body.errors)}`);
    return body.data;
  };
  const app = `act${Date.now().toString(36)}`;
  const created = await gql(`mutation($in: CreateApplicationInput!) { createApplication(input: $in) { application { id } } }`,
    { in: { name: app, ownerEmail: 'e2e@example.com' } });
  const id = created.createApplication.application.id;
  // 26 changes and the creation: two pages.
  for (let i = 0; i < 26; i++) {
    await gql(`mutation($id: ID!, $d: String!) { updateApplication(input: {id: $id, description: $d}) { application { id } } }`, { id, d: `v${i}` });
  }
  await gql(`mutation($in: SavePipelineInput!) { savePipeline(input: $in) { pipeline { id } } }`,
    { in: { application: app, name: 'ship', stages: [{ refId: '1', type: 'wait', name: 'Bake', config: { waitTime: 0 } }] } });

  await page.goto(`${baseURL}/applications/${app}/clusters`);
  await page.getByRole('link', { name: 'Activity' }).click();
  const table = page.getByRole('table', { name: `Activity of ${app}` });
  await table.waitFor();
  await page.getByText('25 of 28 events').waitFor();
  const rows = table.locator('tbody tr');
  check((await rows.first().textContent()).includes(`saved pipeline ship (1 stage)`), `the newest row: ${await rows.first().textContent()}`);
  check((await rows.nth(1).textContent()).includes(`changed application ${app}`), `the second row: ${await rows.nth(1).textContent()}`);
  await rows.first().getByText('Detail').click();
  await rows.first().locator('pre').getByText('"pipeline": "ship"').waitFor();
  await shot('first-page');

  await page.getByRole('button', { name: 'Load more' }).click();
  await page.getByText('28 of 28 events').waitFor();
  check((await rows.last().textContent()).includes(`created application ${app}`), `the oldest row: ${await rows.last().textContent()}`);
  check((await page.getByRole('button', { name: 'Load more' }).count()) === 0, 'no "load more" after the last page');
  check((await page.getByRole('alert').count()) === 0, `no error: ${await page.getByRole('alert').allTextContents()}`);
  await page.setViewportSize({ width: 390, height: 844 });
  await shot('narrow');
}
