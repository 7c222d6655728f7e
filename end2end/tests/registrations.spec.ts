import { expect, test } from './fixtures';
import { readFileSync } from 'node:fs';
import { account, artifacts, logIn, signUp, uniqueEmail } from './helpers';

// Staff decide registrations from the queue: several at once with their boxes, one rejected
// with a reason the person then reads.

test('staff validate several registrations at once and reject one with a reason', async ({ page, browser }) => {
  const tag = `coda${Date.now()}`;
  const first = uniqueEmail(`${tag}.a`);
  const second = uniqueEmail(`${tag}.b`);
  const third = uniqueEmail(`${tag}.c`);
  await signUp(page, first, 'Alba', 'Prima', false);
  await signUp(page, second, 'Bruno', 'Secondo', false);
  await signUp(page, third, 'Carla', 'Terza', false);

  const desk = await browser.newPage();
  const staff = account('AULA_E2E_STAFF');
  await logIn(desk, staff.email, staff.password);
  await desk.goto(`/staff/registrations?q=${tag}`);
  await expect(desk.locator('tbody tr')).toHaveCount(3);
  // The list as filtered, for a spreadsheet.
  const [download] = await Promise.all([
    desk.waitForEvent('download'),
    desk.getByRole('link', { name: "Scarica l'elenco (CSV)" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^registrazioni-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
  expect(csv[0]).toContain('cognome,nome,email');
  expect(csv.slice(1).map((line) => line.split(',')[2])).toEqual([first, second, third]);
  await desk.screenshot({ path: `${artifacts}/registrations-queue.png`, fullPage: true });

  // Nobody ticked: said so, nothing changes.
  await desk.getByRole('button', { name: 'Valida le selezionate' }).click();
  await expect(desk.getByText("Seleziona almeno una persona nell'elenco.")).toBeVisible();
  await expect(desk.locator('tbody tr')).toHaveCount(3);

  await desk.getByLabel('Seleziona Alba Prima').check();
  await desk.getByLabel('Seleziona Bruno Secondo').check();
  await desk.getByRole('button', { name: 'Valida le selezionate' }).click();
  await expect(desk.getByText('Decisione registrata')).toBeVisible();
  await expect(desk.locator('tbody tr')).toHaveCount(1);
  await expect(desk.locator('tbody tr')).toContainText(third);

  const reason = 'Il codice meccanografico non corrisponde alla scuola indicata.';
  const row = desk.locator('tr', { hasText: third });
  await row.getByText('Respingi…').click();
  await row.getByLabel('Motivo').fill(reason);
  await row.getByRole('button', { name: 'Respingi la registrazione' }).click();
  await expect(desk.getByText('Decisione registrata')).toBeVisible();
  await expect(desk.locator('tbody tr')).toHaveCount(0);
  await desk.goto(`/staff/registrations?status=validated&q=${tag}`);
  await expect(desk.locator('tbody tr')).toHaveCount(2);
  await desk.goto(`/staff/registrations?status=rejected&q=${tag}`);
  await expect(desk.locator('tbody tr')).toContainText(reason);
  await desk.close();

  // The last one signed up in `page`: they read why, and cannot enrol.
  await page.goto('/');
  await expect(page.getByText('La tua registrazione non è stata validata')).toBeVisible();
  await expect(page.getByText(reason)).toBeVisible();
});

test('staff import the registry: preview with the bad lines, apply, then decide the partial match', async ({ page, browser }) => {
  const tag = `anagrafe${Date.now()}`;
  const found = uniqueEmail(`${tag}.trovata`);
  const partly = uniqueEmail(`${tag}.parziale`);
  await signUp(page, found, 'Ottavia', 'Trovata', false);
  await signUp(page, partly, 'Niccolò', `Parziale${tag}`, false);

  // As real exports come: Latin-1 ("Niccolò" with ò = 0xF2), semicolons, CRLF, a blank line
  // and a broken one.
  const lines = [
    'NOME;COGNOME;CODICE FISCALE;E-MAIL;CODICE SCUOLA',
    `Ottavia;Trovata;;${found};PIPS01000X`,
    '',
    'Riga;Rotta;;rotta@scuola.example;PIPS01000X;in più',
    `Niccolò;Parziale${tag};;altro.${partly};PIPS01000X`,
  ];
  const file = Buffer.from(lines.join('\r\n') + '\r\n', 'latin1');

  const desk = await browser.newPage();
  const staff = account('AULA_E2E_STAFF');
  await logIn(desk, staff.email, staff.password);
  await desk.goto('/staff/registry');
  await desk.locator('#registry-file').setInputFiles({ name: 'anagrafe.csv', mimeType: 'text/csv', buffer: file });
  await desk.getByRole('button', { name: 'Leggi il file' }).click();
  await expect(desk.getByRole('heading', { name: 'Applicare questo file?' })).toBeVisible();
  await expect(desk.locator('.registry-facts')).toContainText('Latin-1');
  const bad = desk.locator('table.bad-lines tbody tr');
  await expect(bad).toHaveCount(2);
  await expect(bad.nth(0)).toContainText('3');
  await expect(bad.nth(0)).toContainText('Riga vuota');
  await expect(bad.nth(1)).toContainText('4');
  await expect(bad.nth(1)).toContainText('Numero di campi diverso');

  await desk.getByRole('button', { name: "Applica l'anagrafe" }).click();
  await expect(desk.getByText('Anagrafe applicata')).toBeVisible();

  // The exact match was validated; the partial one waits with the registry's entry beside it.
  await desk.goto(`/staff/registrations?status=validated&q=${tag}`);
  await expect(desk.locator('tbody tr', { hasText: found })).toHaveCount(1);
  await desk.goto(`/staff/registrations?matched=partial&q=${tag}`);
  const row = desk.locator('tr', { hasText: partly });
  await expect(row).toContainText('Corrispondenza parziale');
  await expect(row).toContainText(`altro.${partly}`);
  await row.getByRole('button', { name: 'Valida', exact: true }).click();
  await expect(desk.getByText('Decisione registrata')).toBeVisible();
  await desk.goto(`/staff/registrations?q=${tag}`);
  await expect(desk.locator('tbody tr')).toHaveCount(0);
  await desk.close();
});
