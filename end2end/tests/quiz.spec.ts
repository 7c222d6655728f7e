import { expect, test } from './fixtures';
import { artifacts, openDemoEdition, signUp, uniqueEmail, waitForHydration } from './helpers';

// The demo quiz's right answers: nothing the browser receives may contain them before the
// participant hands in (the quiz shows results right after submission).
const secrets = ['quality label', 'certificato di qualità', '"correct"', '"solution"'];

test('a participant takes the quiz without seeing the answers, and a double click records one attempt', async ({ page }) => {
  await signUp(page, uniqueEmail('quiz'), 'Zoë', 'Łukasiewicz');
  await openDemoEdition(page);
  await waitForHydration(page);
  await page.getByRole('button', { name: 'Iscriviti' }).click();
  await expect(page.getByText('Sei iscritto a questa edizione.')).toBeVisible();
  await page.reload();

  const received: string[] = [];
  const watch = async (response: import('@playwright/test').Response) => {
    const type = response.headers()['content-type'] ?? '';
    if (/html|json|javascript|text/.test(type)) {
      received.push((await response.text().catch(() => '')).toLowerCase());
    }
  };
  page.on('response', watch);

  await page.getByRole('link', { name: 'Quiz finale' }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Quiz finale');
  await waitForHydration(page);
  await page.getByRole('button', { name: 'Inizia il quiz' }).click();
  await expect(page.getByRole('heading', { name: 'Tentativo 1' })).toBeVisible();
  // Keyboard focus moves to the attempt; the badge says it is under way; a question with
  // several right answers says so.
  await expect(page.getByRole('heading', { name: 'Tentativo 1' })).toBeFocused();
  await expect(page.locator('.page-header').getByText('In corso')).toBeVisible();
  await expect(page.getByText('Seleziona tutte le risposte corrette.')).toBeVisible();
  await page.reload();
  await expect(page.locator('.page-header').getByText('In corso')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Tentativo 1' })).toBeVisible();
  // A timed attempt (the demo quiz gives 20 minutes) shows the time left, which counts down
  // once the page is interactive.
  const timer = page.getByRole('timer');
  await expect(timer).toHaveText(/^Tempo rimasto: (20:00|19:[0-5]\d)$/);
  await waitForHydration(page);
  const shown = (await timer.textContent()) ?? '';
  await expect(timer).not.toHaveText(shown, { timeout: 5000 });
  await page.screenshot({ path: `${artifacts}/quiz-running.png`, fullPage: true });

  // Nothing received so far (pages, server functions, scripts) gives an answer away.
  expect(received.length).toBeGreaterThan(2);
  for (const body of received) {
    for (const secret of secrets) {
      expect(body.includes(secret), `a response contains ${secret}`).toBe(false);
    }
  }
  page.off('response', watch);

  await page.getByLabel('Lo spazio di lavoro online di un progetto').check();
  await page.getByLabel('Obiettivi chiari').check();
  await page.getByLabel('Attività condivise tra le classi').check();
  await page.getByLabel('Vero').check();
  await page.getByLabel('La tua risposta').fill('Quality Label');
  // Two clicks in a row on the submit button: the answers are recorded once.
  await page.getByRole('button', { name: 'Consegna le risposte' }).dblclick();
  await expect(page.getByText('Risposte consegnate.')).toBeVisible();
  await expect(page.getByText('4 su 4 punti (100%)')).toBeVisible();
  await expect(page.getByText('1 di 3 usati')).toBeVisible();
  await expect(page.locator('.attempt-result')).toHaveCount(1);
  // Two attempts are left: the right answers wait, and the page says so.
  await expect(page.getByText('Le risposte corrette saranno visibili quando avrai usato tutti i tentativi')).toBeVisible();
  await expect(page.locator('.review-list li')).toHaveCount(0);
  await expect(page.locator('.page-header').getByText('Superato')).toBeVisible();
  await page.screenshot({ path: `${artifacts}/quiz-result.png`, fullPage: true });
});
