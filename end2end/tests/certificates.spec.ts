import { expect, test } from './fixtures';
import { execFileSync } from 'node:child_process';
import { account, artifacts, logIn, openStaffEdition, waitForHydration } from './helpers';

const { email: staffEmail, password: staffPassword } = account('AULA_E2E_STAFF');
// Niccolò Dell'Acqua: in the demo's past edition he attended both webinars, which is its rule.
const { email: niccoloEmail, password: niccoloPassword } = account('AULA_E2E_PARTICIPANT_1');

test('staff issue certificates with a progress bar; the participant downloads and verifies one, which then shows as revoked', async ({ page, browser }) => {

  // Staff open the past edition (the demo course's closed one).
  await logIn(page, staffEmail, staffPassword);
  await openStaffEdition(page, 'Conclusa');
  const editionId = page.url().split('/').pop();

  // The participant has met the rule and sees it, with no certificate yet.
  const niccolo = await (await browser.newContext({ locale: 'it-IT', acceptDownloads: true })).newPage();
  await logIn(niccolo, niccoloEmail, niccoloPassword);
  await niccolo.goto(`/editions/${editionId}`);
  await expect(niccolo.getByText("Hai soddisfatto tutti i requisiti per l'attestato.")).toBeVisible();
  await expect(niccolo.getByRole('heading', { name: 'Il tuo attestato' })).toHaveCount(0);
  // The edition is over: withdrawing is no longer offered (the server would refuse it).
  await expect(niccolo.getByText('Hai partecipato a questa edizione, che è conclusa.')).toBeVisible();
  await expect(niccolo.getByText('Ritirati…')).toHaveCount(0);

  // Staff issue everyone's certificate in one action and watch the bar reach the end.
  await page.getByRole('link', { name: 'Attestati', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Attestati');
  await waitForHydration(page);
  await expect(page.getByTestId('pending-total')).toHaveText('2');
  await page.getByTestId('issue-all').click();
  const bar = page.getByTestId('issue-progress');
  await expect(bar).toHaveAttribute('aria-valuemax', '2');
  await expect(bar).toHaveAttribute('aria-valuenow', '2');
  await expect(page.getByText('Rilasciati 2 di 2')).toBeVisible();
  await expect(page.getByText('Rilasciati 2 attestati.')).toBeVisible();
  const row = page.locator('tr', { hasText: "Niccolò Dell'Acqua" });
  await expect(row.getByText('Valido')).toBeVisible();
  await page.screenshot({ path: `${artifacts}/certificates-issued.png`, fullPage: true });

  // The participant downloads the PDF; its text carries the accented name exactly.
  await niccolo.reload();
  await expect(niccolo.getByRole('heading', { name: 'Il tuo attestato' })).toBeVisible();
  const code = (await niccolo.getByTestId('my-certificate-code').textContent()) ?? '';
  expect(code).toMatch(/^AULA-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
  const [download] = await Promise.all([
    niccolo.waitForEvent('download'),
    niccolo.getByTestId('download-certificate').click(),
  ]);
  const file = `${artifacts}/certificate-${code}.pdf`;
  await download.saveAs(file);
  const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
  expect(text).toContain("Niccolò Dell'Acqua");
  expect(text).toContain(code);

  // The verification page (the QR code's link) confirms it, without signing in.
  const visitor = await (await browser.newContext({ locale: 'it-IT' })).newPage();
  const link = await niccolo.getByRole('link', { name: 'Pagina di verifica' }).getAttribute('href');
  await visitor.goto(link ?? '/verify');
  await expect(visitor.getByTestId('verdict')).toHaveAttribute('data-verdict', 'valid');
  await expect(visitor.getByTestId('holder')).toHaveText("Niccolò Dell'Acqua");
  // Typing the code loosely finds the same certificate.
  await visitor.goto('/verify');
  await visitor.getByLabel('Codice dell\'attestato').fill(code.toLowerCase().replace(/-/g, ' '));
  await visitor.getByRole('button', { name: 'Verifica' }).click();
  await expect(visitor.getByTestId('holder')).toHaveText("Niccolò Dell'Acqua");

  // Staff revoke it with a category and their own reason; the public page now says revoked,
  // when and in which category, but never staff's words.
  await row.getByText('Revoca…').click();
  const revoke = row.locator('form[id^="revoke-"]');
  await revoke.getByLabel('Categoria').selectOption({ label: 'Rilasciato per errore' });
  await revoke.getByLabel('Motivo (obbligatorio, visibile solo allo staff)').fill('Segnalazione riservata 4711');
  await revoke.getByRole('button', { name: 'Revoca definitivamente' }).click();
  await expect(row.getByText('Revocato')).toBeVisible();
  await visitor.goto(link ?? '/verify');
  await expect(visitor.getByTestId('verdict')).toHaveAttribute('data-verdict', 'revoked');
  await expect(visitor.getByTestId('verdict')).toContainText('Rilasciato per errore');
  await expect(visitor.getByText('4711')).toHaveCount(0);
  await visitor.screenshot({ path: `${artifacts}/certificate-revoked.png`, fullPage: true });
  await niccolo.reload();
  await expect(niccolo.getByRole('heading', { name: 'Il tuo attestato' })).toHaveCount(0);
});
