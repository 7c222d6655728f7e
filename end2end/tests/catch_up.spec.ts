import { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { account, artifacts, logIn, openStaffEdition, openDemoEdition, signUp, uniqueEmail, waitForHydration } from './helpers';

const { email: staffEmail, password: staffPassword } = account('AULA_E2E_STAFF');

/** A local date and time `days` from now at 10:00, as a datetime-local field takes it. */
function dayAt10(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T10:00`;
}

async function addActivity(page: Page, fill: (form: import('@playwright/test').Locator) => Promise<void>) {
  const form = page.locator('section', { has: page.getByRole('heading', { name: 'Nuova attività' }) });
  await fill(form);
  await form.getByRole('button', { name: "Aggiungi l'attività" }).click();
}

test('a participant who missed a webinar catches up with the recording and the check quiz', async ({ page, browser }) => {
  const stamp = Date.now() % 100_000;
  const webinar = `Webinar di recupero ${stamp}`;
  const quiz = `Verifica della registrazione ${stamp}`;

  // Staff: allow catching up, add a webinar that took place yesterday with its recording, a
  // speaker, and a one-question quiz that confirms the recording was watched.
  await logIn(page, staffEmail, staffPassword);
  await openStaffEdition(page);
  await page.getByRole('link', { name: 'Gestisci le attività' }).click();
  await waitForHydration(page);
  await page.getByLabel('I partecipanti assenti possono recuperare').check();
  await page.locator('.rules').getByRole('button', { name: 'Salva le modifiche' }).click();
  await expect(page.getByText('Regole salvate.')).toBeVisible();

  await addActivity(page, async (form) => {
    await form.getByLabel('Tipo', { exact: true }).selectOption({ label: 'Webinar' });
    await form.getByLabel('Titolo').fill(webinar);
    await form.getByLabel('Link', { exact: true }).fill('https://meet.example.org/recupero');
    await form.getByLabel('Inizio', { exact: true }).fill(dayAt10(-1));
    await form.getByLabel('Durata (minuti)').fill('60');
    await form.getByLabel('Link alla registrazione').fill('https://video.example.org/recupero');
  });
  const line = page.locator('.activity-line', { has: page.getByRole('link', { name: webinar, exact: true }) });
  await expect(line).toBeVisible();
  await line.getByLabel('Scegli una persona').selectOption({ label: 'Marco Ferri' });
  await line.getByRole('button', { name: 'Aggiungi relatore' }).click();
  await expect(line.locator('.speaker')).toContainText('Marco Ferri');

  await addActivity(page, async (form) => {
    await form.getByLabel('Tipo', { exact: true }).selectOption({ label: 'Quiz' });
    await form.getByLabel('Titolo').fill(quiz);
    await form.getByLabel('Quiz di verifica della registrazione di').selectOption({ label: webinar });
    // The edition has not started yet: staff open the quiz now, as the webinar is over.
    await form.getByLabel('Disponibile dal').fill(dayAt10(-1));
  });
  const quizLine = page.locator('.activity-line', { has: page.getByRole('link', { name: quiz, exact: true }) });
  await expect(quizLine).toBeVisible();
  await page.screenshot({ path: `${artifacts}/activities-admin.png`, fullPage: true });
  await quizLine.getByRole('link', { name: 'Domande' }).click();
  await waitForHydration(page);
  await page.getByLabel('Tipo di domanda').selectOption({ label: 'Vero o falso' });
  await page.getByLabel('Domanda', { exact: true }).fill('Il webinar presentava la piattaforma eTwinning.');
  await page.getByLabel('Risposta corretta (vero o falso)').selectOption({ label: 'Vero' });
  await page.getByRole('button', { name: 'Aggiungi domanda' }).click();
  await expect(page.locator('.question-admin > li')).toHaveCount(1);

  // A participant who enrols now has missed it.
  const teacher = await (await browser.newContext({ locale: 'it-IT' })).newPage();
  await signUp(teacher, uniqueEmail('recupero'));
  await openDemoEdition(teacher);
  await waitForHydration(teacher);
  await teacher.getByRole('button', { name: 'Iscriviti' }).click();
  await expect(teacher.getByText('Sei iscritto a questa edizione.')).toBeVisible();
  await teacher.reload();
  await teacher.getByRole('link', { name: webinar }).first().click();
  await expect(teacher.locator('.page-header')).toContainText('Assente');
  const webinarPage = teacher.url();
  await expect(teacher.getByText('Marco Ferri')).toBeVisible();
  await waitForHydration(teacher);
  await teacher.getByRole('button', { name: 'Ho guardato la registrazione' }).click();
  await teacher.getByRole('link', { name: quiz }).click();
  await waitForHydration(teacher);
  await teacher.getByRole('button', { name: 'Inizia il quiz' }).click();
  await teacher.getByLabel('Vero').check();
  await teacher.getByRole('button', { name: 'Consegna le risposte' }).click();
  await expect(teacher.getByText('Risposte consegnate.')).toBeVisible();
  await expect(teacher.locator('.page-header')).toContainText('Superato');

  await teacher.goto(webinarPage);
  await expect(teacher.getByRole('heading', { level: 1 })).toHaveText(webinar);
  await expect(teacher.locator('.page-header')).toContainText('Registrazione vista');
  await expect(teacher.getByText('Recuperato: registrazione vista e quiz di verifica superato.')).toBeVisible();
  await teacher.screenshot({ path: `${artifacts}/webinar-caught-up.png`, fullPage: true });
});

test('an activity a participant has worked on cannot be deleted; hidden, it leaves her page and comes back when shown', async ({ page, browser }) => {
  const material = `Materiale da nascondere ${Date.now() % 100_000}`;

  // Staff add an optional material to the open demo edition.
  await logIn(page, staffEmail, staffPassword);
  await openStaffEdition(page);
  await page.getByRole('link', { name: 'Gestisci le attività' }).click();
  await waitForHydration(page);
  await addActivity(page, async (form) => {
    await form.getByLabel('Tipo', { exact: true }).selectOption({ label: 'Materiale' });
    await form.getByLabel('Titolo').fill(material);
    await form.getByLabel('Link', { exact: true }).fill('https://www.etwinning.net/it/pub/index.htm');
    await form.getByLabel("Conta per l'attestato").uncheck();
  });
  const line = page.locator('.activity-line', { has: page.getByRole('link', { name: material, exact: true }) });
  await expect(line).toBeVisible();

  // A participant enrols and opens it: that is a trace of hers.
  const teacher = await (await browser.newContext({ locale: 'it-IT' })).newPage();
  await signUp(teacher, uniqueEmail('nascosta'));
  await openDemoEdition(teacher);
  await waitForHydration(teacher);
  await teacher.getByRole('button', { name: 'Iscriviti' }).click();
  await expect(teacher.getByText('Sei iscritto a questa edizione.')).toBeVisible();
  const editionPage = teacher.url();
  await teacher.reload();
  // Opening the material records the view once the page is live.
  const recorded = teacher.waitForResponse((r) => r.url().endsWith('/api/record_view') && r.ok());
  await teacher.getByRole('link', { name: material }).first().click();
  await recorded;
  const materialPage = teacher.url();
  await teacher.goto(editionPage);
  await expect(teacher.locator('.activity-line', { hasText: material }).getByText('Consultato')).toBeVisible();

  // Deleting is refused with the reason and what to do instead; nothing goes.
  await page.reload();
  await waitForHydration(page);
  await line.getByText('Elimina…').click();
  await line.getByRole('button', { name: 'Elimina definitivamente' }).click();
  const refusal = page.getByRole('alert').filter({ hasText: 'non può essere eliminata' });
  await expect(refusal).toBeVisible();
  await expect(line).toBeVisible();

  // Hidden instead: marked on staff's page, the refusal answered.
  await line.getByRole('button', { name: 'Nascondi' }).click();
  await expect(line.getByText('nascosta', { exact: true })).toBeVisible();
  await expect(refusal).toHaveCount(0);
  await page.screenshot({ path: `${artifacts}/activity-hidden.png`, fullPage: true });

  // Gone from her edition page and from its own address...
  await teacher.goto(editionPage);
  await expect(teacher.getByRole('link', { name: material })).toHaveCount(0);
  const response = await teacher.goto(materialPage);
  expect(response?.status()).toBe(404);

  // ...and back once shown again.
  await line.getByRole('button', { name: 'Rendi visibile' }).click();
  await expect(line.getByText('nascosta', { exact: true })).toHaveCount(0);
  await teacher.goto(editionPage);
  await expect(teacher.getByRole('link', { name: material }).first()).toBeVisible();
});
