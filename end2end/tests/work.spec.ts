import { Browser, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { account, artifacts, logIn, waitForHydration } from './helpers';

// Demo accounts passed by `cargo xtask test` as "email password": the ambassador of "Gruppo 1"
// and Zoë, a participant of that group with nothing handed in yet.
const { email: ambassadorEmail, password: ambassadorPassword } = account('AULA_E2E_AMBASSADOR');
const { email: zoeEmail, password: zoePassword } = account('AULA_E2E_PARTICIPANT_2');

async function signedIn(browser: Browser, email: string, password: string): Promise<Page> {
  const page = await (await browser.newContext({ locale: 'it-IT' })).newPage();
  await logIn(page, email, password);
  return page;
}

async function openTaskSheet(page: Page) {
  await page.goto('/');
  await page.locator('.my-editions .edition-card a').first().click();
  await page.getByRole('link', { name: 'Il mio primo progetto' }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Il mio primo progetto');
}

/** The ambassador opens Zoë's newest version from the review queue and judges it. */
async function review(page: Page, decision: 'Accettata' | 'Da rivedere', feedback: string) {
  await page.goto('/');
  await page.getByRole('link', { name: 'Apri il cruscotto' }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Cruscotto');
  await page.locator('.queue').getByRole('link', { name: /Zoë Łukasiewicz/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Zoë Łukasiewicz');
  await waitForHydration(page);
  await page.getByLabel(decision).check();
  await page.getByLabel('Commento per il partecipante').fill(feedback);
  await page.getByRole('button', { name: 'Invia valutazione' }).click();
  await expect(page.getByText('Valutazione registrata.')).toBeVisible();
}

test('a task sheet is handed in, sent back for revision, handed in again and accepted', async ({ browser }) => {
  const zoe = await signedIn(browser, zoeEmail, zoePassword);
  await openTaskSheet(zoe);
  await zoe.getByLabel('Testo').fill('Un gemellaggio con una scuola di Cracovia sulle fiabe.');
  await zoe.getByRole('button', { name: 'Consegna', exact: true }).click();
  await expect(zoe.getByText('Consegnato. Riceverai la valutazione qui.')).toBeVisible();
  await expect(zoe.locator('.version')).toHaveCount(1);
  await expect(zoe.getByText('in attesa di valutazione')).toBeVisible();

  const ambassador = await signedIn(browser, ambassadorEmail, ambassadorPassword);
  await review(ambassador, 'Da rivedere', 'Aggiungi le attività settimana per settimana.');
  await ambassador.screenshot({ path: `${artifacts}/submission-review.png`, fullPage: true });

  // The home page says the work came back, and leads to it.
  await zoe.goto('/');
  const notice = zoe.locator('.sent-back');
  await expect(notice).toContainText('Lavoro tornato indietro da rivedere');
  await expect(notice).toContainText('Il mio primo progetto');
  // On the edition page it is the next thing to do.
  await zoe.locator('.my-editions .edition-card a').first().click();
  await expect(zoe.locator('.next-up')).toContainText('Il mio primo progetto');
  await zoe.locator('.next-up a').click();
  await expect(zoe.locator('.page-header').getByText('Da rivedere')).toBeVisible();
  // The review leads the section, above the form, which starts from the text handed in.
  const callout = zoe.locator('.submission .sent-back');
  await expect(callout).toContainText('Aggiungi le attività settimana per settimana.');
  const calloutTop = (await callout.boundingBox())!.y;
  const formTop = (await zoe.locator('.submission-form').boundingBox())!.y;
  expect(calloutTop).toBeLessThan(formTop);
  await expect(zoe.getByLabel('Testo')).toHaveValue('Un gemellaggio con una scuola di Cracovia sulle fiabe.');
  await zoe.screenshot({ path: `${artifacts}/task-sheet-sent-back.png`, fullPage: true });
  await zoe.getByLabel('Testo').fill('Un gemellaggio con Cracovia sulle fiabe: settimana 1 presentazioni, settimana 2 fiabe illustrate.');
  await zoe.getByRole('button', { name: 'Consegna', exact: true }).click();
  await expect(zoe.getByText('Consegnato. Riceverai la valutazione qui.')).toBeVisible();
  await expect(zoe.locator('.version')).toHaveCount(2);

  await review(ambassador, 'Accettata', 'Ottimo, grazie!');
  await zoe.reload();
  await expect(zoe.locator('.page-header').getByText('Accettato')).toBeVisible();
  // Every version and its review stays visible.
  await expect(zoe.getByText('Aggiungi le attività settimana per settimana.')).toBeVisible();
  await expect(zoe.getByText('Ottimo, grazie!')).toBeVisible();
  await zoe.screenshot({ path: `${artifacts}/task-sheet-accepted.png`, fullPage: true });
});

test('a file that is not an allowed document is refused and nothing is handed in', async ({ browser }) => {
  const [email, password] = (process.env.AULA_E2E_PARTICIPANT_1 ?? ' ').split(' ');
  const page = await signedIn(browser, email, password);
  await page.goto('/');
  await page.locator('.my-editions .edition-card a').first().click();
  await page.getByRole('link', { name: 'Esercizio di progettazione' }).first().click();
  await page.getByLabel('Titolo del progetto').fill('Orto digitale');
  await page.getByLabel('File allegato (facoltativo)').setInputFiles({
    name: 'progetto.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ\x90\x00 this is a program'),
  });
  await page.getByRole('button', { name: 'Consegna', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('Tipo di file non ammesso');
  await expect(page.locator('.version')).toHaveCount(0);
  await expect(page.getByLabel('Titolo del progetto')).toHaveValue('');
});
