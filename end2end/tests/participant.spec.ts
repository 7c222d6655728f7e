import { expect, test } from './fixtures';
import { artifacts, confirmAddress, logIn, openDemoEdition, PASSWORD, sendFaultySignUp, signUp, uniqueEmail, validateRegistration, waitForHydration } from './helpers';

test('a teacher signs up, logs in, enrols and sees the edition on the home page', async ({ page }) => {
  const email = uniqueEmail('niccolo');
  await signUp(page, email);
  await page.getByRole('button', { name: 'Esci' }).click();
  await expect(page.getByRole('link', { name: 'Registrati' }).first()).toBeVisible();
  await logIn(page, email, PASSWORD);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ciao, Niccolò');
  await expect(page.getByText('Non sei ancora iscritto a nessuna edizione.')).toBeVisible();

  await openDemoEdition(page);
  const title = (await page.getByRole('heading', { level: 1 }).textContent())?.trim() ?? '';
  await waitForHydration(page);
  await page.getByRole('button', { name: 'Iscriviti' }).click();
  await expect(page.getByText('Sei iscritto a questa edizione.')).toBeVisible();
  await page.screenshot({ path: `${artifacts}/edition-page.png`, fullPage: true });

  await page.getByRole('link', { name: 'Home' }).click();
  const mine = page.locator('.my-editions');
  await expect(mine.getByRole('link', { name: title })).toBeVisible();
  await expect(mine.getByText('Iscritto')).toBeVisible();
  await expect(mine.getByText(/dicembre|gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre/).first()).toBeVisible();
  await page.screenshot({ path: `${artifacts}/home-page.png`, fullPage: true });

  // Reloading changes nothing: the enrolment is stored.
  await page.reload();
  await expect(page.locator('.my-editions').getByText('Iscritto')).toBeVisible();

  // Opening a material counts it as consulted: the live page says so to the server (a change
  // of its own: reading the page records nothing).
  await mine.getByRole('link', { name: title }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  const editionPage = page.url();
  const guide = page.locator('.activity-line', { hasText: 'Guida al TwinSpace' });
  await expect(guide.getByText('Da fare')).toBeVisible();
  await guide.getByRole('link', { name: 'Guida al TwinSpace' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Guida al TwinSpace');
  await waitForHydration(page);
  await expect(page.locator('.page-header').getByText('Consultato')).toBeVisible();
  await expect(async () => {
    await page.goto(editionPage);
    await expect(guide.getByText('Consultato')).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 15000 });
});

test('sign-up explains every mistake in Italian and keeps nothing', async ({ page }) => {
  await page.goto('/signup');
  await waitForHydration(page);
  await sendFaultySignUp(page);
  await expect(page.getByRole('alert')).toContainText('Alcuni campi non sono corretti');
  await expect(page.getByRole('alert')).toBeFocused();
  await expect(page.getByText('Inserisci un indirizzo email valido')).toBeVisible();
  await expect(page.getByText('Il codice deve avere 10 caratteri')).toBeVisible();
  await expect(page.getByText('Questa password è tra le più usate')).toBeVisible();
  await expect(page).toHaveURL(/\/signup/);
});

test('the language can be switched to English and is remembered', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Online training for teachers');
  await page.goto('/editions');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Open editions');
  await page.getByRole('button', { name: 'Italiano' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Edizioni aperte');
});

test('a visitor browsing the catalogue sees the edition without an error, signs up from it and lands back on it', async ({ page }) => {
  await openDemoEdition(page);
  await expect(page.getByRole('alert')).toHaveCount(0);
  const box = page.locator('.enrolment-box');
  await expect(box.getByText('Accedi o registrati per iscriverti a questa edizione.')).toBeVisible();
  const edition = new URL(page.url()).pathname;
  await page.screenshot({ path: `${artifacts}/edition-anonymous.png`, fullPage: true });
  await box.getByRole('link', { name: 'Registrati' }).click();
  await expect(page).toHaveURL(new RegExp(`/signup\\?next=${edition.replace(/\//g, '\\/')}$`));
  const email = uniqueEmail('catalogo');
  await page.getByLabel('Indirizzo email').fill(email);
  await page.getByLabel('Nome', { exact: true }).fill('Carla');
  await page.getByLabel('Cognome').fill('Neri');
  await page.getByLabel('Scuola', { exact: true }).fill('Liceo scientifico Galilei');
  await page.getByLabel('Codice meccanografico della scuola').fill('PIPS01000X');
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: "Crea l'account" }).click();
  await expect(page.getByRole('heading', { name: 'Controlla la posta' })).toBeVisible();
  // The mailed link carries her back to the edition, confirmed and signed in.
  await confirmAddress(page, email);
  await expect(page).toHaveURL(new RegExp(`${edition.replace(/\//g, '\\/')}\\?verified=1$`));
  // The registration waits for staff: the page says so; once validated, the place is offered.
  await expect(page.getByText('Potrai iscriverti appena la segreteria avrà validato la tua registrazione')).toBeVisible();
  await validateRegistration(email);
  await page.reload();
  await expect(page.getByRole('button', { name: 'Iscriviti' })).toBeVisible();
});

test('on a phone the edition page opens on progress and the next thing to do, lists activities by date and gives a calendar address to copy', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signUp(page, uniqueEmail('telefono'), 'Ilaria', 'Conti');
  await openDemoEdition(page);
  await waitForHydration(page);
  await page.getByRole('button', { name: 'Iscriviti' }).click();
  await expect(page.getByText('Sei iscritto a questa edizione.')).toBeVisible();
  await page.reload();
  await waitForHydration(page);

  // Progress and the next thing to do are on the first screen, before the course facts.
  const progress = (await page.locator('#progress-heading').boundingBox())!;
  const next = (await page.locator('.next-up').boundingBox())!;
  const facts = (await page.locator('.facts').boundingBox())!;
  expect(progress.y).toBeLessThan(844);
  expect(next.y + next.height).toBeLessThan(844 * 1.5);
  expect(next.y).toBeLessThan(facts.y);

  // Activities by date: a webinar at 17:00 comes before a task sheet due at 23:00 that day.
  const times = await page.locator('.activity-list time').evaluateAll((ts) => ts.map((t) => t.getAttribute('datetime') ?? ''));
  expect(times.length).toBeGreaterThan(2);
  expect([...times].sort()).toEqual(times);

  // The calendar address: in sight, created once, then offered to copy or open.
  const calendar = page.locator('.calendar-link');
  await expect(calendar.getByRole('heading', { name: 'Il tuo calendario' })).toBeVisible();
  await calendar.getByRole('button', { name: 'Crea un indirizzo privato' }).click();
  const address = calendar.getByLabel('Indirizzo privato del calendario');
  await expect(address).toHaveValue(/^http:\/\/.+\.ics$/);
  const webcal = calendar.getByRole('link', { name: "Apri nell'app Calendario" });
  await expect(webcal).toHaveAttribute('href', /^webcal:\/\//);
  await expect(calendar.getByRole('button', { name: /Crea un nuovo indirizzo/ })).toBeVisible();
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await calendar.getByRole('button', { name: 'Copia' }).click();
  await expect(calendar.getByRole('button', { name: 'Copiato' })).toBeVisible();
  await page.screenshot({ path: `${artifacts}/edition-phone.png`, fullPage: true });
});
