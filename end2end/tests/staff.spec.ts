import { expect, test } from './fixtures';
import { account, artifacts, logIn, signUp, uniqueEmail, waitForHydration } from './helpers';

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

test('staff land on their desk, are told what the next status does, and confirm a role change', async ({ page, browser }) => {
  // Someone to give a role to.
  const other = await (await browser.newContext({ locale: 'it-IT' })).newPage();
  const email = uniqueEmail('ruolo');
  await signUp(other, email, 'Rita', 'Ruolo');

  await logIn(page, staffEmail, staffPassword);
  await page.goto('/');
  const desk = page.locator('.staff-desk');
  await expect(desk.getByRole('heading', { name: 'Area staff' })).toBeVisible();
  await desk.getByRole('link', { name: 'Corsi ed edizioni' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Gestione corsi');

  // The demo's open edition: the next step is explained before it is offered.
  await page.getByRole('link', { name: 'Corso online di base eTwinning' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Corso online di base eTwinning');
  await page.locator('a[href^="/staff/editions/"]').first().click();
  await expect(page.locator('.status-change')).toContainText('Passo successivo');

  await page.goto(`/staff/users?q=${encodeURIComponent(email)}`);
  const row = page.locator('tr', { hasText: email });
  await waitForHydration(page);
  await row.getByText('Concedi').first().click();
  await expect(row.getByText(/Potrà essere nominato ambasciatore/)).toBeVisible();
  await expect(row.locator('.badge.role-on')).toHaveCount(0);
  await row.getByRole('button', { name: 'Sì, dai il ruolo' }).click();
  await expect(row.locator('.badge.role-on')).toHaveCount(1);
  await page.screenshot({ path: `${artifacts}/staff-users-confirm.png`, fullPage: true });
});

test('on a phone the cockpit shows each participant as a card, and the attendance sheets are one click away', async ({ browser }) => {
  const page = await (await browser.newContext({ locale: 'it-IT', viewport: { width: 390, height: 844 } })).newPage();
  const { email, password } = account('AULA_E2E_AMBASSADOR');
  await logIn(page, email, password);
  await page.goto('/');
  await page.getByRole('link', { name: 'Apri il cruscotto' }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Cruscotto');
  const firstRow = page.locator('.matrix tbody tr').first();
  const box = (await firstRow.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  // Each cell says which activity it is.
  await expect(firstRow.locator('td[data-label]').first()).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: `${artifacts}/cockpit-phone.png`, fullPage: true });
  await page.locator('.attendance-links a').first().click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Presenze');
});
