// Smoke: the applications page loads live, and an application created through the form
// appears in the list. Needs a running Gennaker (gennaker up).
export const name = 'applications: create an application through the form';
export const needsApi = true;

export default async function ({ page, baseURL, shot, check }) {
  await page.goto(`${baseURL}/`);
  await page.getByRole('heading', { name: 'Applications' }).waitFor();
  await page.getByTestId('connection').getByText('Live', { exact: true }).waitFor({ timeout: 15_000 });
  await shot('loaded');
  check((await page.getByRole('alert').count()) === 0, `no error is shown on load: ${await page.getByRole('alert').allTextContents()}`);

  // The form checks before sending.
  await page.getByLabel('Name', { exact: true }).fill('Not-Valid');
  await page.getByRole('button', { name: 'Create application' }).click();
  await page.getByText('Lower-case letters and digits only').waitFor();
  await page.getByText('An owner email is required.').waitFor();
  await shot('validation');

  const app = `e2e${Date.now().toString(36)}`;
  await page.getByLabel('Name', { exact: true }).fill(app);
  await page.getByLabel('Owner email').fill('e2e@example.com');
  await page.getByLabel('Criticality').selectOption('HIGH');
  await page.getByLabel('Description').fill('made by the e2e smoke test');
  await page.getByRole('button', { name: 'Create application' }).click();
  await page.getByText(`Application ${app} created.`).waitFor();
  const row = page.getByTestId(`app-${app}`);
  await row.waitFor();
  check((await row.textContent()).includes('high'), 'the new row shows its criticality');
  check((await row.textContent()).includes('never deployed'), 'the new row says it was never deployed');

  // Search narrows the list to it; then it survives a reload (it was really created).
  await page.getByLabel('Search applications').fill(app);
  check((await page.locator('tbody tr').count()) === 1, 'search shows only the new application');
  await page.reload();
  await page.getByTestId(`app-${app}`).waitFor();
  await page.getByTestId('connection').getByText('Live', { exact: true }).waitFor({ timeout: 15_000 });
  check((await page.getByRole('alert').count()) === 0, `no error after reload: ${await page.getByRole('alert').allTextContents()}`);
  await shot('created');

  // Its pages open (empty for a new application), at a narrow width too.
  await page.getByRole('link', { name: app }).click();
  await page.getByText('No server groups yet').waitFor();
  await page.getByRole('link', { name: 'Pipelines' }).click();
  await page.getByText('No pipelines yet.').waitFor();
  await page.setViewportSize({ width: 390, height: 844 });
  await shot('narrow-pipelines');
}
