import { Browser, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { account, artifacts, logIn, openDemoEdition, signUp, uniqueEmail, waitForHydration } from './helpers';

async function signedIn(browser: Browser, variable: Parameters<typeof account>[0]): Promise<Page> {
  const page = await (await browser.newContext({ locale: 'it-IT' })).newPage();
  const { email, password } = account(variable);
  await logIn(page, email, password);
  return page;
}

test('a group without an ambassador is flagged, and staff appoint anyone, confirming the role', async ({ page, browser }) => {
  // A teacher with an account but no role yet.
  const teacherPage = await (await browser.newContext({ locale: 'it-IT' })).newPage();
  const teacherEmail = uniqueEmail('tutor');
  await signUp(teacherPage, teacherEmail, 'Ottavia', 'Ferri');

  const { email, password } = account('AULA_E2E_STAFF');
  await logIn(page, email, password);
  await openDemoEdition(page);
  await page.getByRole('link', { name: 'Apri il cruscotto' }).first().click();
  await page.getByRole('link', { name: 'Gestisci i gruppi' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Gruppi');
  await waitForHydration(page);

  const name = `Gruppo serale ${Date.now()}`;
  await page.getByLabel('Nome del gruppo').fill(name);
  await page.getByRole('button', { name: 'Crea il gruppo' }).click();
  const card = page.locator('.group-card', { has: page.getByRole('heading', { name }) });
  await expect(card.getByText('Senza ambasciatore')).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: /non ha(nno)? un ambasciatore/ })).toBeVisible();

  const form = page.locator('section', { has: page.getByRole('heading', { name: 'Nomina un ambasciatore' }) });
  await form.getByLabel('Email della persona').fill(teacherEmail);
  await form.getByLabel('Gruppo').selectOption({ label: name });
  await form.getByRole('button', { name: 'Nomina' }).click();
  await expect(form.getByText('Questa persona non è ancora ambasciatrice')).toBeVisible();
  // The error summary takes the keyboard focus, not the button pressed.
  await expect(form.getByRole('alert')).toBeFocused();
  await expect(card.getByText('Ottavia Ferri')).toHaveCount(0);

  await form.getByLabel('Dai il ruolo di ambasciatore').check();
  await form.getByRole('button', { name: 'Nomina' }).click();
  await expect(form.getByText('Ambasciatore nominato.')).toBeVisible();
  await expect(card.getByText('Ottavia Ferri')).toBeVisible();
  await expect(card.getByText('Senza ambasciatore')).toHaveCount(0);
  await page.screenshot({ path: `${artifacts}/groups-appoint.png`, fullPage: true });

  // The new ambassador finds the group among hers.
  await teacherPage.goto('/');
  await expect(teacherPage.getByRole('link', { name })).toBeVisible();
});

test('a posted announcement or reply leaves an empty box and says it was published', async ({ browser }) => {
  const ambassador = await signedIn(browser, 'AULA_E2E_AMBASSADOR');
  await ambassador.goto('/');
  await ambassador.getByRole('link', { name: 'Gruppo 1' }).first().click();
  await waitForHydration(ambassador);
  const announcement = `Webinar spostato alle 18 (${Date.now()})`;
  const box = ambassador.getByLabel('Nuovo avviso per il gruppo');
  await box.fill(announcement);
  await ambassador.getByRole('button', { name: 'Pubblica' }).last().click();
  await expect(ambassador.getByText('Avviso pubblicato')).toBeVisible();
  await expect(ambassador.locator('.announcement').getByText(announcement)).toBeVisible();
  await expect(box).toHaveValue('');

  const participant = await signedIn(browser, 'AULA_E2E_PARTICIPANT_1');
  await participant.goto(ambassador.url());
  await expect(participant.getByText(announcement)).toBeVisible();
  await participant.getByText('Nuova discussione').click();
  await participant.getByLabel('Titolo').fill('Dove trovo le slide?');
  await participant.getByLabel('Messaggio').fill('Qualcuno ha il link alle slide del primo webinar?');
  await participant.getByRole('button', { name: 'Pubblica' }).first().click();
  await expect(participant.getByRole('heading', { level: 1 })).toHaveText('Dove trovo le slide?');
  await waitForHydration(participant);
  const reply = participant.getByLabel('Messaggio');
  await reply.fill('Trovate, sono nella pagina del webinar.');
  await participant.getByRole('button', { name: 'Pubblica' }).click();
  await expect(participant.getByText('Risposta pubblicata.')).toBeVisible();
  await expect(participant.locator('.reply').getByText('Trovate, sono nella pagina del webinar.')).toBeVisible();
  await expect(reply).toHaveValue('');
  await participant.screenshot({ path: `${artifacts}/thread-replied.png`, fullPage: true });
});
