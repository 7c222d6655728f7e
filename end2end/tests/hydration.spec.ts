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

test('a link clicked before the page is hydrated is followed at once', async ({ page }) => {
  // The page's own part of the bundle is held back until the end: the frame runs (its router
  // listens for clicks) but the page never hydrates. A click on a link must still lead to the
  // next page, loaded as a whole, rather than wait for the missing part.
  const pagePart = (url: URL | string) => /\/pkg\/[^/]+\.wasm$/.test(String(url)) && !/\/pkg\/aula[._]/.test(String(url));
  const held: (() => void)[] = [];
  await page.route(pagePart, (route) => {
    held.push(() => void route.continue().catch(() => {}));
  });
  await page.goto('/editions');
  // The frame has started hydrating (its router listens from then on); the page's part is held.
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'false');
  await page.evaluate(() => ((window as unknown as { aulaMarker: number }).aulaMarker = 3));
  await page.locator('.edition-card :is(h2, h3) a').first().click();
  await expect(page).toHaveURL(/\/editions\/\d+$/);
  await expect(page.getByRole('heading', { name: 'Iscrizione' })).toBeVisible();
  // A new document: the router did not take the click.
  expect(await page.evaluate(() => (window as unknown as { aulaMarker?: number }).aulaMarker)).toBeUndefined();
  held.forEach((release) => release());
});
