import { expect, test } from './fixtures';
import { account, uniqueEmail, waitForHydration } from './helpers';

// Single sign-on through a real OpenID Connect provider process (`oidc-provider`, started by
// `cargo xtask test` as "Test ID"): its own sign-in page takes any address and password.

async function signInAtProvider(page: import('@playwright/test').Page, email: string, given = '', family = '') {
  await expect(page.getByRole('heading', { name: 'Accedi a Test ID' })).toBeVisible();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('la password del provider');
  if (given) await page.getByLabel('Nome', { exact: true }).fill(given);
  if (family) await page.getByLabel('Cognome', { exact: true }).fill(family);
  await page.getByRole('button', { name: 'Accedi' }).click();
}

test('sign in with the provider: a new account, signed in where the person was going', async ({ page }) => {
  const email = uniqueEmail('sso');
  await page.goto('/login?next=%2Feditions');
  await page.getByRole('link', { name: 'Accedi con Test ID' }).click();
  await signInAtProvider(page, email, 'Silvia', 'Sorrentino');
  await expect(page).toHaveURL(/\/editions$/);
  await expect(page.getByRole('button', { name: 'Esci' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Silvia Sorrentino' })).toBeVisible();

  // The profile lists the provider as the way in, which stays while it is the only one.
  await page.goto('/account');
  const methods = page.locator('#sign-in-methods');
  await expect(methods.getByText('Test ID')).toBeVisible();
  await expect(methods.getByText(email)).toBeVisible();
  await expect(methods.getByText('È il tuo unico modo di accedere')).toBeVisible();
});

test('an address with an account here connects only with that account password', async ({ page }) => {
  const { email, password } = account('AULA_E2E_PARTICIPANT_3');
  await page.goto('/login');
  await page.getByRole('link', { name: 'Accedi con Test ID' }).click();
  await signInAtProvider(page, email);
  await expect(page.getByRole('heading', { name: 'Collega il tuo account' })).toBeVisible();
  await expect(page.locator('p.lead')).toContainText(email);
  await waitForHydration(page);
  await page.getByLabel("Password dell'account Aula").fill('non è la password');
  await page.getByRole('button', { name: 'Collega e accedi' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await page.getByLabel("Password dell'account Aula").fill(password);
  await page.getByRole('button', { name: 'Collega e accedi' }).click();
  await expect(page.getByRole('button', { name: 'Esci' })).toBeVisible();

  // Now the provider signs this person straight in (it remembers them: no page of its own).
  await page.getByRole('button', { name: 'Esci' }).click();
  await expect(page.getByRole('button', { name: 'Esci' })).toHaveCount(0);
  await page.goto('/login');
  await page.getByRole('link', { name: 'Accedi con Test ID' }).click();
  await expect(page.getByRole('button', { name: 'Esci' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Collega il tuo account' })).toHaveCount(0);
});

test('a sign-in answer this browser did not start is refused with an explanation', async ({ page }) => {
  await page.goto(`/sso/test/callback?code=stolen&state=${'ab'.repeat(32)}`);
  await expect(page).toHaveURL(/\/login\?sso_problem=state/);
  await expect(page.getByText('Accesso non riuscito.')).toBeVisible();
  await expect(page.getByText('La richiesta di accesso non è valida o è scaduta')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Esci' })).toHaveCount(0);
});

test('cancelling at the provider comes back to the sign-in page, saying so', async ({ page }) => {
  await page.goto('/login');
  await page.getByRole('link', { name: 'Accedi con Test ID' }).click();
  await page.getByRole('link', { name: 'Annulla' }).click();
  await expect(page.getByText("L'accesso è stato annullato sul servizio scelto.")).toBeVisible();
});
