import { expect, test } from './fixtures';
import { account, logIn, openStaffEdition } from './helpers';

const { email: staffEmail, password: staffPassword } = account('AULA_E2E_STAFF');

// A Zoom participant export: a demo participant who rejoined once, and a guest nobody knows.
const zoomReport = [
  'Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest',
  "Niccolò Dell'Acqua,NICCOLO.DELLACQUA@scuola.example,12/06/2026 05:00:00 PM,12/06/2026 05:30:00 PM,30,No",
  "Niccolò Dell'Acqua,niccolo.dellacqua@scuola.example,12/06/2026 05:35:00 PM,12/06/2026 06:00:00 PM,25,No",
  'Ospite Misterioso,,12/06/2026 05:00:00 PM,12/06/2026 06:00:00 PM,60,Yes',
].join('\n');

test('staff import an attendance report, check the preview and apply it', async ({ page }) => {
  await logIn(page, staffEmail, staffPassword);
  await openStaffEdition(page);
  await page.getByRole('link', { name: 'Gestisci le attività' }).click();
  await page.getByRole('link', { name: 'Presenze' }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Presenze');

  await page.getByLabel('File del rapporto').setInputFiles({ name: 'zoom.csv', mimeType: 'text/csv', buffer: Buffer.from('\ufeff' + zoomReport) });
  await page.getByRole('button', { name: "Carica e mostra l'anteprima" }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText("Anteprima dell'importazione");
  const row = page.locator('tr', { hasText: 'NICCOLO.DELLACQUA' });
  await expect(row).toContainText('55');
  await expect(row).toContainText("✓ Niccolò Dell'Acqua");
  await expect(page.locator('tr', { hasText: 'Ospite Misterioso' })).toContainText('nessun partecipante');
  await page.screenshot({ path: 'end2end/artifacts/attendance-preview.png', fullPage: true });

  await page.getByRole('button', { name: 'Registra 1 presenza' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Presenze');
  await expect(page.getByLabel('Minuti').first()).toHaveValue('55');
  // Where a presence came from, and the audit log, read in words, never as stored values.
  await expect(page.locator('tr', { hasText: "Niccolò Dell'Acqua" })).toContainText('dal report della piattaforma');
  await page.goto('/staff/audit');
  await expect(page.getByRole('columnheader', { name: 'Perché' })).toBeVisible();
  await expect(page.locator('tr', { hasText: 'Presenze importate' }).first()).toBeVisible();
  await expect(page.locator('td').filter({ hasText: /^(import|manual|needs_revision)$/ })).toHaveCount(0);
});

test('a file that is not a report is explained and nothing is saved', async ({ page }) => {
  await logIn(page, staffEmail, staffPassword);
  await openStaffEdition(page);
  await page.getByRole('link', { name: 'Gestisci le attività' }).click();
  await page.getByRole('link', { name: 'Presenze' }).nth(1).click();
  await page.getByLabel('File del rapporto').setInputFiles({ name: 'foto.png', mimeType: 'image/png', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]) });
  await page.getByRole('button', { name: "Carica e mostra l'anteprima" }).click();
  await expect(page.getByRole('alert')).toContainText('non è un rapporto di presenze');
});
