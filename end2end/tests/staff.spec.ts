import { expect, test } from './fixtures';
import { account, artifacts, logIn, waitForHydration } from './helpers';

const { email: staffEmail, password: staffPassword } = account('AULA_E2E_STAFF');

test('staff create a course and an edition, open it and clone it', async ({ page }) => {
  await logIn(page, staffEmail, staffPassword);
  await page.getByRole('link', { name: 'Gestione corsi' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Gestione corsi');

  const code = `E2E-${Date.now() % 1_000_000}`;
  const newCourse = page.locator('section', { has: page.getByRole('heading', { name: 'Nuovo corso' }) });
  await waitForHydration(page);
  await newCourse.getByLabel('Codice').fill(code);
  await newCourse.getByLabel('Titolo').fill('Corso di prova end-to-end');
  await newCourse.getByLabel('Descrizione').fill('Creato dal test.');
  await newCourse.getByRole('button', { name: 'Crea il corso' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Corso di prova end-to-end');

  const newEdition = page.locator('section', { has: page.getByRole('heading', { name: 'Nuova edizione' }) });
  await newEdition.getByLabel('Titolo').fill('Primavera 2027');
  await newEdition.getByLabel('Apertura iscrizioni').fill('2027-02-01');
  await newEdition.getByLabel('Chiusura iscrizioni').fill('2027-03-05');
  await newEdition.getByLabel('Inizio').fill('2027-03-01');
  await newEdition.getByLabel('Fine').fill('2027-03-31');
  await newEdition.getByLabel('Posti disponibili').fill('300');
  await newEdition.getByRole('button', { name: "Crea l'edizione" }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Primavera 2027');
  await expect(page.locator('.page-header .badge')).toHaveText('Bozza');

  await waitForHydration(page);
  await page.getByText('Apri le iscrizioni').click();
  await page.getByRole('button', { name: 'Conferma' }).click();
  await expect(page.locator('.page-header .badge')).toHaveText('Iscrizioni aperte');

  const clone = page.locator('section', { has: page.getByRole('heading', { name: "Clona l'edizione" }) });
  await clone.getByLabel('Titolo').fill('Autunno 2027');
  await clone.getByLabel('Data di inizio della copia').fill('2027-10-04');
  await clone.getByRole('button', { name: 'Crea la copia' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Autunno 2027');
  await expect(page.getByText('Copia di')).toBeVisible();
  await expect(page.locator('.page-header .badge')).toHaveText('Bozza');
  // 1 March → 4 October: every date moved by 217 days.
  await expect(page.locator('.page-header .dates')).toHaveText('4 ottobre – 3 novembre 2027');
  await expect(page.getByLabel('Apertura iscrizioni')).toHaveValue('2027-09-06');
  await expect(page.getByLabel('Chiusura iscrizioni')).toHaveValue('2027-10-08');
  await page.screenshot({ path: `${artifacts}/staff-edition-page.png`, fullPage: true });
});

test('a participant who opens a staff page is told it is not allowed', async ({ page }) => {
  await page.goto('/staff');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Per continuare devi accedere.');
});
