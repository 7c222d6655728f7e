import { expect, Page, request } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const artifacts = 'end2end/artifacts';

let counter = 0;
/** An email nobody has used yet in this run. */
export function uniqueEmail(prefix: string): string {
  counter += 1;
  return `${prefix}.${Date.now()}.${process.pid}.${counter}@scuola.example`;
}

export const PASSWORD = 'una frase lunga per il corso';

/** A mail's text, its quoted-printable encoding undone. */
function mailText(raw: string): string {
  const joined = raw.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * The path of the latest link to `prefix` (e.g. `/verify-email/`) mailed to `to`, as the real
 * SMTP server of the run received it (`AULA_E2E_MAILBOX`); waits for it up to 20 s.
 */
export async function mailedLink(to: string, prefix: string): Promise<string> {
  const folder = process.env.AULA_E2E_MAILBOX;
  if (!folder) throw new Error('AULA_E2E_MAILBOX is not set (run through cargo xtask)');
  for (let attempt = 0; attempt < 100; attempt++) {
    const found = readdirSync(folder)
      .filter((name) => name.endsWith('.eml'))
      .sort()
      .reverse()
      .map((name) => mailText(readFileSync(join(folder, name), 'utf8')))
      .filter((text) => text.includes(`To: ${to}`))
      .map((text) => text.match(new RegExp(`https?://[^/\\s]+(${prefix}[^\\s<"]+)`)))
      .find((match) => match !== null);
    if (found) return found[1];
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no mail to ${to} with a link to ${prefix}`);
}

/** Opens the verification link mailed to `email` and confirms; lands signed in. */
export async function confirmAddress(page: Page, email: string) {
  await page.goto(await mailedLink(email, '/verify-email/'));
  await expect(page.locator('p.lead')).toContainText(email);
  await page.getByRole('button', { name: "Conferma l'indirizzo" }).click();
  await expect(page.getByText('Indirizzo confermato')).toBeVisible();
}

/**
 * Staff validate `email`'s registration, as the queue's "Valida" does, through the same server
 * functions (the queue's own page is tested in `registrations.spec.ts`).
 */
export async function validateRegistration(email: string) {
  const baseURL = process.env.AULA_E2E_BASE_URL ?? 'http://127.0.0.1:3000';
  const staff = account('AULA_E2E_STAFF');
  const api = await request.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL } });
  try {
    const signedIn = await api.post('/api/log_in', { form: { email: staff.email, password: staff.password } });
    expect(signedIn.status()).toBeLessThan(400);
    const queue = await api.post('/api/load_registrations', { form: { search: email, page: '1' } });
    expect(queue.ok()).toBeTruthy();
    const rows = (await queue.json()).rows as { user_id: number; email: string }[];
    const row = rows.find((r) => r.email === email);
    expect(row, `${email} waits in the queue`).toBeDefined();
    const decided = await api.post('/api/decide_registrations', {
      form: { 'user_ids[]': String(row!.user_id), approve: 'true' },
    });
    expect(decided.ok(), await decided.text()).toBeTruthy();
  } finally {
    await api.dispose();
  }
}

/** Signs up through the form and confirms the address with the mailed link; lands on the
 * home page signed in. Staff then validate the registration (unless `validated` is false), so
 * the person can enrol. */
export async function signUp(page: Page, email: string, given = 'Niccolò', family = "Dell'Acqua", validated = true) {
  await page.goto('/signup');
  await page.getByLabel('Indirizzo email').fill(email);
  await page.getByLabel('Nome', { exact: true }).fill(given);
  await page.getByLabel('Cognome').fill(family);
  await page.getByLabel('Scuola', { exact: true }).fill('Liceo scientifico Galilei');
  await page.getByLabel('Codice meccanografico della scuola').fill('PIPS01000X');
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: "Crea l'account" }).click();
  await expect(page.getByRole('heading', { name: 'Controlla la posta' })).toBeVisible();
  await confirmAddress(page, email);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Ciao, ${given}`);
  if (validated) {
    await validateRegistration(email);
  }
}

/** Sends the sign-up form (on the page already) with a mistake in nearly every field, as the
 * server sees it: the browser's own checks are switched off. */
export async function sendFaultySignUp(page: Page) {
  await page.getByLabel('Indirizzo email').fill('non-una-email@');
  await page.getByLabel('Nome', { exact: true }).fill('Anna');
  await page.getByLabel('Cognome').fill('Rossi');
  await page.getByLabel('Scuola', { exact: true }).fill('IC Roma');
  await page.getByLabel('Codice meccanografico della scuola').fill('123');
  await page.getByLabel('Password', { exact: true }).fill('password');
  await page.locator('form[action="/api/sign_up"]').evaluate((form: HTMLFormElement) => form.setAttribute('novalidate', ''));
  await page.getByRole('button', { name: "Crea l'account" }).click();
}

export async function logIn(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('Indirizzo email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Accedi' }).last().click();
  await expect(page.getByRole('button', { name: 'Esci' })).toBeVisible();
}

/** Opens the demo edition (the only open one when the run starts) from the catalogue. */
export async function openDemoEdition(page: Page) {
  await page.goto('/editions');
  await page.locator('.edition-card :is(h2, h3) a').first().click();
  await expect(page.getByRole('heading', { name: 'Iscrizione' })).toBeVisible();
}

/**
 * Staff open one of the demo course's editions from their desk: the first listed, or the one
 * whose row says `rowText`. Each step waits for its page: a link clicked on a hydrated page
 * leaves the old page showing until the new one is ready, and the next locator must not find
 * the old page's links.
 */
export async function openStaffEdition(page: Page, rowText?: string) {
  await page.goto('/staff');
  await page.getByRole('link', { name: 'Corso online di base eTwinning' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Corso online di base eTwinning');
  const rows = rowText ? page.locator('tr', { hasText: rowText }) : page.locator('tr');
  await rows.locator('a[href^="/staff/editions/"]').first().click();
  await expect(page).toHaveURL(/\/staff\/editions\/\d+$/);
}

/** Waits until the page is hydrated: interactive widgets appear only then. */
export async function waitForHydration(page: Page) {
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
}

/**
 * An account the test command made for this run, from its variable ("email password" for the
 * demo accounts, or the staff variables). Missing means the tests were started some other way:
 * they fail, saying so, rather than pass by skipping.
 */
export function account(variable: 'AULA_E2E_STAFF' | 'AULA_E2E_AMBASSADOR' | `AULA_E2E_PARTICIPANT_${number}`): {
  email: string;
  password: string;
} {
  const [email, password] =
    variable === 'AULA_E2E_STAFF'
      ? [process.env.AULA_E2E_STAFF_EMAIL, process.env.AULA_E2E_STAFF_PASSWORD]
      : (process.env[variable] ?? '').split(' ');
  if (!email || !password) {
    throw new Error(
      `${variable} is not set: run the end-to-end tests with "cargo xtask test" (or "cargo xtask e2e"), which creates the accounts`,
    );
  }
  return { email, password };
}
