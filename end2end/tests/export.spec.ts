import { expect, test } from './fixtures';
import { execFileSync } from 'node:child_process';
import { account, artifacts, logIn, signUp, uniqueEmail } from './helpers';

// Niccolò, a participant of the demo with an edition behind him; Zoë, another of his group.
const { email, password } = account('AULA_E2E_PARTICIPANT_1');
const { email: otherEmail } = account('AULA_E2E_PARTICIPANT_2');

/** The names in a zip and one file's text, read with Debian's `unzip` (installed by xtask). */
function zipNames(file: string): string[] {
  return execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' }).trim().split('\n');
}

function zipText(file: string, name: string): string {
  return execFileSync('unzip', ['-p', file, name], { encoding: 'utf8' });
}

test('a participant downloads everything Aula holds about them, and nothing of others', async ({ browser }) => {
  const page = await (await browser.newContext({ locale: 'it-IT', acceptDownloads: true })).newPage();
  await logIn(page, email, password);
  await page.goto('/account');
  const section = page.getByRole('region', { name: 'I tuoi dati' });
  await expect(section).toContainText('Nulla dei dati di altre persone');
  await section.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${artifacts}/export-profile.png`, fullPage: true });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    section.getByRole('link', { name: 'Scarica i miei dati (zip)' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^aula-dati-\d{4}-\d{2}-\d{2}\.zip$/);
  const file = `${artifacts}/export-${Date.now()}.zip`;
  await download.saveAs(file);

  const names = zipNames(file);
  expect(names).toContain('dati.json');
  expect(names).toContain('LEGGIMI.txt');
  expect(zipText(file, 'LEGGIMI.txt')).toContain('Dati personali scaricati da Aula');
  const text = zipText(file, 'dati.json');
  const data = JSON.parse(text);
  expect(data.profile.email).toBe(email);
  expect(data.profile.given_name).toBe('Niccolò');
  expect(data.enrolments.length).toBeGreaterThan(0);
  expect(data.enrolments[0].course).not.toBe('');
  // Another participant of his group appears nowhere.
  expect(text).not.toContain(otherEmail);

  // The section on a phone (screenshot looked at).
  await page.setViewportSize({ width: 390, height: 844 });
  await section.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${artifacts}/export-profile-phone.png` });
});

test('the export is offered in English too, and holds a new account\'s data', async ({ browser }) => {
  // A new account of its own: switching the language is saved on the account.
  const page = await (await browser.newContext({ locale: 'it-IT', acceptDownloads: true })).newPage();
  const email = uniqueEmail('export');
  await signUp(page, email, 'Edith', 'Export');
  await page.goto('/account');
  await page.getByRole('button', { name: 'English' }).click();
  const section = page.getByRole('region', { name: 'Your data' });
  await expect(section).toContainText('Nothing of other people');
  await section.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${artifacts}/export-profile-en.png` });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    section.getByRole('link', { name: 'Download my data (zip)' }).click(),
  ]);
  const file = `${artifacts}/export-en-${Date.now()}.zip`;
  await download.saveAs(file);
  expect(zipText(file, 'LEGGIMI.txt')).toContain('Personal data downloaded from Aula');
  const data = JSON.parse(zipText(file, 'dati.json'));
  expect(data.profile.email).toBe(email);
  expect(data.profile.language).toBe('en');
  expect(data.enrolments).toEqual([]);
  await page.setViewportSize({ width: 390, height: 844 });
  await section.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${artifacts}/export-profile-phone-en.png` });
});
