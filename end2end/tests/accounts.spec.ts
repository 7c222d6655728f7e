import { expect, test } from './fixtures';
import { confirmAddress, logIn, mailedLink, openDemoEdition, PASSWORD, signUp, uniqueEmail, waitForHydration } from './helpers';

// Mail goes over real SMTP to the run's sink (`cargo xtask test`); the links are read from it.

test('sign up, confirm the address from the mail, then enrol', async ({ page }) => {
  const email = uniqueEmail('verifica');
  await page.goto('/signup');
  await page.getByLabel('Indirizzo email').fill(email);
  await page.getByLabel('Nome', { exact: true }).fill('Vera');
  await page.getByLabel('Cognome').fill('Verificati');
  await page.getByLabel('Scuola', { exact: true }).fill('IC Dante Alighieri');
  await page.getByLabel('Codice meccanografico della scuola').fill('FIIC812003');
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: "Crea l'account" }).click();
  await expect(page.getByRole('heading', { name: 'Controlla la posta' })).toBeVisible();

  // Signed in before confirming: the catalogue is open, enrolling waits for the address.
  await logIn(page, email, PASSWORD);
  await expect(page.getByText(`Conferma il tuo indirizzo ${email}`)).toBeVisible();
  await openDemoEdition(page);
  await expect(page.getByText('Per iscriverti conferma prima il tuo indirizzo email')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Iscriviti' })).toHaveCount(0);

  await confirmAddress(page, email);
  await openDemoEdition(page);
  await waitForHydration(page);
  await page.getByRole('button', { name: 'Iscriviti' }).click();
  await expect(page.getByText('Sei iscritto a questa edizione.')).toBeVisible();
});

test('forgot the password: a mailed link sets a new one, then sign in with it', async ({ page }) => {
  const email = uniqueEmail('smemorata');
  await signUp(page, email, 'Sara', 'Smemorata');
  await page.getByRole('button', { name: 'Esci' }).click();

  await page.goto('/login');
  await page.getByRole('link', { name: 'Password dimenticata?' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Password dimenticata');
  await page.getByLabel('Indirizzo email').fill(email);
  await page.getByRole('button', { name: 'Mandami il link' }).click();
  await expect(page.getByRole('heading', { name: 'Controlla la posta' })).toBeVisible();

  const link = await mailedLink(email, '/password/reset/');
  await page.goto(link);
  await expect(page.locator('p.lead')).toContainText(email);
  const newPassword = 'una nuova frase per il corso';
  await page.getByLabel('Nuova password').fill(newPassword);
  await page.getByRole('button', { name: 'Salva la nuova password' }).click();
  await expect(page.getByText('Password cambiata. Accedi con la nuova password.')).toBeVisible();
  await logIn(page, email, newPassword);

  // The link worked once.
  await page.goto(link);
  await expect(page.getByText('Questo link è già stato usato')).toBeVisible();
});

test('the profile shows how the name will print, and a corrected name shows there', async ({ page }) => {
  const email = uniqueEmail('profilo');
  await signUp(page, email, 'maria', 'rossi');
  await page.getByRole('link', { name: 'maria rossi' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Il tuo profilo');
  await expect(page.locator('.printed-name')).toHaveText('maria rossi');
  await waitForHydration(page);
  await page.getByLabel('Nome', { exact: true }).fill('Maria Grazia');
  await page.getByLabel('Cognome').fill('Rossi');
  await page.getByRole('button', { name: 'Salva', exact: true }).first().click();
  await expect(page.getByText('Dati salvati.')).toBeVisible();
  await expect(page.locator('.printed-name')).toHaveText('Maria Grazia Rossi');
});
