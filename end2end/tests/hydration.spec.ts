import { expect, test } from './fixtures';
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

test("the browser's language settings never switch the page the server chose, nor its language cookie", async ({ page, context }) => {
  await page.goto('/signup');
  await waitForHydration(page);
  // The browser now claims English only, and says its languages changed.
  await page.evaluate(() => {
    Object.defineProperty(navigator, 'languages', { get: () => ['en-US'] });
    Object.defineProperty(navigator, 'language', { get: () => 'en-US' });
    window.dispatchEvent(new Event('languagechange'));
  });
  await page.getByLabel('Nome', { exact: true }).fill('Zoë');
  await expect(page.getByRole('button', { name: "Crea l'account" })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'it');
  const cookies = await context.cookies();
  expect(cookies.filter((c) => c.name === 'i18n_pref_locale' && c.value !== 'it')).toEqual([]);
});
