import { expect, test } from './fixtures';
import { openDemoEdition, PASSWORD, signUp, uniqueEmail } from './helpers';

// This project runs with JavaScript disabled: every form must work as a plain HTML form.

test('sign-up and enrolment work without JavaScript', async ({ page }) => {
  const email = uniqueEmail('zoe');
  await signUp(page, email, 'Zoë', 'Łukasiewicz');
  await openDemoEdition(page);
  await page.getByRole('button', { name: 'Iscriviti' }).click();
  await expect(page.getByText('Sei iscritto a questa edizione.')).toBeVisible();

  // A material is marked as read with a button: without scripts, opening it records nothing.
  const guide = page.locator('.activity-line', { hasText: 'Guida al TwinSpace' });
  await guide.getByRole('link', { name: 'Guida al TwinSpace' }).click();
  await page.getByRole('button', { name: 'Segna come consultato' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Guida al TwinSpace');
  await openDemoEdition(page);
  await expect(guide.getByText('Consultato')).toBeVisible();

  // Withdrawing asks for confirmation first (a disclosure, no script needed).
  await page.getByText('Ritirati…').click();
  await page.getByRole('button', { name: 'Conferma il ritiro' }).click();
  await expect(page.getByRole('button', { name: 'Iscriviti' })).toBeVisible();

  await page.getByRole('link', { name: 'Home' }).click();
  await expect(page.getByText('Non sei ancora iscritto a nessuna edizione.')).toBeVisible();

  await page.getByRole('button', { name: 'Esci' }).click();
  await expect(page.getByRole('link', { name: 'Accedi' }).first()).toBeVisible();
});

test('a wrong password is explained without JavaScript', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Indirizzo email').fill(uniqueEmail('nessuno'));
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Accedi' }).last().click();
  await expect(page.getByRole('alert')).toHaveText('Email o password non corretti.');
});
