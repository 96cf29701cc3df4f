// With no API behind the page (vite preview alone), the dashboard says so in words
// instead of showing an empty list.
export const name = 'applications: without an API the page says it cannot reach it';
export const needsApi = false;

export default async function ({ page, baseURL, shot, check }) {
  await page.goto(`${baseURL}/`);
  await page.getByRole('heading', { name: 'Applications' }).waitFor();
  const alert = page.getByRole('alert').filter({ hasText: 'Applications could not be loaded' });
  await alert.waitFor({ timeout: 15_000 });
  check((await alert.textContent()).includes('cannot be reached'), 'the error says the API cannot be reached');
  // The badge leaves "Connecting…" once the socket has failed a few times.
  await page.getByTestId('connection').getByText('Offline', { exact: true }).waitFor({ timeout: 30_000 });
  await shot('offline');
  // The form is still there and still checks its fields.
  await page.getByRole('button', { name: 'Create application' }).click();
  await page.getByText('A name is required.').waitFor();
}
