import { expect, test } from './fixtures';
import { uniqueEmail, waitForHydration } from './helpers';

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

test('a form that fails comes back with what was typed, the password excepted', async ({ page }) => {
  // Forms outside islands are plain posts: the server sends the page back with the error.
  await page.goto('/signup');
  await waitForHydration(page);
  await page.getByLabel('Nome', { exact: true }).fill('Zoë');
  await page.getByLabel('Cognome').fill("D'Annunzio");
  const email = uniqueEmail('zoe');
  await page.getByLabel('Indirizzo email').fill(email);
  await page.getByLabel('Scuola', { exact: true }).fill('IC Dante Alighieri');
  await page.getByLabel('Codice meccanografico della scuola').fill('FIIC812003');
  // Too short: the server refuses it.
  await page.getByLabel('Password', { exact: true }).fill('corta');
  await page.getByRole('button', { name: "Crea l'account" }).click();
  await expect(page).toHaveURL(/__err=/);
  await expect(page.getByRole('alert').first()).toBeVisible();
  await waitForHydration(page);
  await expect(page.getByLabel('Nome', { exact: true })).toHaveValue('Zoë');
  await expect(page.getByLabel('Cognome')).toHaveValue("D'Annunzio");
  await expect(page.getByLabel('Indirizzo email')).toHaveValue(email);
  await expect(page.getByLabel('Codice meccanografico della scuola')).toHaveValue('FIIC812003');
  await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');
  // Opened afresh, the page forgets it.
  await page.goto('/signup');
  await waitForHydration(page);
  await expect(page.getByLabel('Nome', { exact: true })).toHaveValue('');
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

test('a page works before its bundle has arrived', async ({ page }) => {
  // The bundle is held back until the end: the page never becomes interactive. Its links
  // still lead to the next page, loaded as a whole.
  const held: (() => void)[] = [];
  await page.route(/\/pkg\/[^/]+\.wasm$/, (route) => {
    held.push(() => void route.continue().catch(() => {}));
  });
  await page.goto('/editions');
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'false');
  await page.locator('.edition-card :is(h2, h3) a').first().click();
  await expect(page).toHaveURL(/\/editions\/\d+$/);
  await expect(page.getByRole('heading', { name: 'Iscrizione' })).toBeVisible();
  held.forEach((release) => release());
});
