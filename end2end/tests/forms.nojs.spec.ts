import { expect, test } from './fixtures';
import { account, artifacts, logIn, sendFaultySignUp } from './helpers';

// This project runs with JavaScript disabled: a form posted as plain HTML reports its outcome
// on the page it returns to, as it does on an interactive page.

test('a mistake in a plain form post is explained and takes the focus', async ({ page }) => {
  await page.goto('/signup');
  await sendFaultySignUp(page);
  await expect(page).toHaveURL(/\/signup\?/);
  await expect(page.getByRole('alert')).toContainText('Alcuni campi non sono corretti');
  await expect(page.getByRole('alert')).toBeFocused();
  await expect(page.getByText('Il codice deve avere 10 caratteri')).toBeVisible();
});

test('a plain form post that went well says so on the page it returns to, once', async ({ page }) => {
  const { email, password } = account('AULA_E2E_AMBASSADOR');
  await logIn(page, email, password);
  await page.goto('/');
  await page.getByRole('link', { name: 'Gruppo 1' }).first().click();
  const group = page.url();
  const announcement = `Aula spostata al secondo piano (${Date.now()})`;
  await page.getByLabel('Nuovo avviso per il gruppo').fill(announcement);
  await page.getByRole('button', { name: 'Pubblica' }).last().click();
  await expect(page.getByText('Avviso pubblicato')).toBeVisible();
  await expect(page.locator('.announcement').getByText(announcement)).toBeVisible();
  await expect(page.getByLabel('Nuovo avviso per il gruppo')).toHaveValue('');
  await page.screenshot({ path: `${artifacts}/announcement-posted-nojs.png`, fullPage: true });

  // A failed post afterwards shows its error, not the earlier confirmation.
  await page.getByRole('button', { name: 'Pubblica' }).last().click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(page.getByText('Avviso pubblicato')).toHaveCount(0);

  // The page opened afresh says nothing about posts.
  await page.goto(group);
  await expect(page.getByText('Avviso pubblicato')).toHaveCount(0);
});
