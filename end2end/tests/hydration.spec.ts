import { expect, test } from '@playwright/test';
import { openDemoEdition, signUp, uniqueEmail, waitForHydration } from './helpers';

test('interactive parts respond without loading a page', async ({ page }) => {
  await page.goto('/login');
  await waitForHydration(page);
  // A marker on window survives only if no new page is loaded.
  await page.evaluate(() => ((window as unknown as { aulaMarker: number }).aulaMarker = 42));
  const password = page.getByLabel('Password', { exact: true });
  await expect(password).toHaveAttribute('type', 'password');
  await page.getByRole('button', { name: 'Mostra' }).click();
  await expect(password).toHaveAttribute('type', 'text');
  await page.getByRole('button', { name: 'Nascondi' }).click();
  await expect(password).toHaveAttribute('type', 'password');
  expect(await page.evaluate(() => (window as unknown as { aulaMarker?: number }).aulaMarker)).toBe(42);
});

test('enrolling with JavaScript updates the page in place', async ({ page }) => {
  await signUp(page, uniqueEmail('anna'), 'Anna', 'Rossi');
  await openDemoEdition(page);
  await waitForHydration(page);
  await page.evaluate(() => ((window as unknown as { aulaMarker: number }).aulaMarker = 7));
  await page.getByRole('button', { name: 'Iscriviti' }).click();
  await expect(page.getByText('Sei iscritto a questa edizione.')).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { aulaMarker?: number }).aulaMarker)).toBe(7);
});
