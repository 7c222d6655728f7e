import AxeBuilder from '@axe-core/playwright';
import { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { account, logIn, openDemoEdition, signUp, uniqueEmail, waitForHydration } from './helpers';

// Every page Aula has, as each kind of person meets it, is checked by axe (WCAG 2.x A and AA
// plus axe's best practices): zero violations. The pages are found by following links from the
// entry pages, so a page added later is checked without being listed here. One page per route
// (ids replaced) is enough: the same component renders every id.

// Each test walks every page a kind of person can reach, with axe on each: on a 2-core machine
// that takes 1 to 2 minutes, too near the default limit of 2, so these get 4.
test.describe.configure({ timeout: 240_000 });

const ENTRY_PAGES = [
  '/', '/editions', '/login', '/signup', '/check-mail', '/verify', '/staff', '/staff/users', '/staff/audit', '/staff/mail',
  '/staff/name-corrections', '/staff/registrations', '/staff/registry', '/staff/jobs', '/sso/link',
];

/** The route a path belongs to: numbers and certificate codes stand for any id. */
function routeOf(path: string): string {
  return path.replace(/\/[0-9]+(?=\/|$)/g, '/:id').replace(/\/verify\/[^/]+$/, '/verify/:code');
}

function followable(url: URL, origin: string): boolean {
  return (
    url.origin === origin &&
    !url.pathname.startsWith('/api/') &&
    !url.pathname.startsWith('/pkg/') &&
    !url.pathname.startsWith('/.well-known/') &&
    // Single sign-on leaves for the provider's own pages (not Aula's to check).
    !/^\/sso\/[^/]+\/(start|callback)$/.test(url.pathname) &&
    !/\.[a-z0-9]+$/i.test(url.pathname)
  );
}

async function violationsOf(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map(
    (v) => `${routeOf(new URL(page.url()).pathname)} [${v.impact}] ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`,
  );
}

/** Visits every route reachable from the entry pages and returns axe's findings, and the routes seen. */
async function crawl(page: Page, limit = 60): Promise<{ routes: string[]; violations: string[] }> {
  const origin = new URL(page.url()).origin;
  const seen = new Set<string>();
  const queue = ENTRY_PAGES.map((p) => new URL(p, origin).href);
  const violations: string[] = [];
  while (queue.length > 0 && seen.size < limit) {
    const href = queue.shift()!;
    const route = routeOf(new URL(href).pathname);
    if (seen.has(route)) continue;
    const response = await page.goto(href);
    if (!response || !(response.headers()['content-type'] ?? '').includes('text/html')) continue;
    seen.add(route);
    violations.push(...(await violationsOf(page)));
    for (const link of await page.locator('a[href]').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href))) {
      const url = new URL(link);
      url.hash = '';
      if (followable(url, origin) && !seen.has(routeOf(url.pathname))) queue.push(url.href);
    }
  }
  return { routes: [...seen].sort(), violations };
}

async function check(page: Page, expected: string[]) {
  const { routes, violations } = await crawl(page);
  expect(violations).toEqual([]);
  // The crawl really reached the pages of this person (a broken link would shrink it silently).
  for (const route of expected) expect(routes).toContain(route);
}

const PUBLIC_ROUTES = ['/', '/editions', '/editions/:id', '/login', '/signup', '/check-mail', '/password/forgot', '/verify', '/privacy', '/sso/link'];

test('every page a visitor can reach has no accessibility violation, in Italian and English, on a phone', async ({ page }) => {
  await page.goto('/');
  await check(page, PUBLIC_ROUTES);
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.setViewportSize({ width: 390, height: 844 });
  await check(page, PUBLIC_ROUTES);
});

test('every page a participant can reach has no accessibility violation', async ({ page }) => {
  // A newcomer: enrolled in the open edition, placed in a group on enrolment.
  await signUp(page, uniqueEmail('axe'), 'Alba', 'Accessibile');
  await openDemoEdition(page);
  await waitForHydration(page);
  await page.getByRole('button', { name: 'Iscriviti' }).click();
  await expect(page.getByText('Sei iscritto a questa edizione.')).toBeVisible();
  await check(page, ['/', '/editions/:id', '/activities/:id', '/groups/:id', '/account']);
  await page.setViewportSize({ width: 390, height: 844 });
  await check(page, ['/', '/editions/:id', '/activities/:id']);
});

test('every page an ambassador can reach has no accessibility violation', async ({ page }) => {
  const { email, password } = account('AULA_E2E_AMBASSADOR');
  await logIn(page, email, password);
  await check(page, ['/', '/editions/:id', '/editions/:id/cockpit', '/groups/:id']);
});

const STAFF_ROUTES = [
  '/staff',
  '/staff/courses/:id',
  '/staff/editions/:id',
  '/staff/editions/:id/groups',
  '/staff/editions/:id/activities',
  '/staff/editions/:id/completion',
  '/staff/editions/:id/certificates',
  '/staff/users',
  '/staff/users/:id',
  '/staff/name-corrections',
  '/staff/audit',
  '/staff/mail',
  '/staff/registrations',
  '/staff/registry',
  '/staff/jobs',
  '/editions/:id/cockpit',
  '/activities/:id/attendance',
];

test('every page staff can reach has no accessibility violation', async ({ page }) => {
  const { email, password } = account('AULA_E2E_STAFF');
  await logIn(page, email, password);
  await check(page, STAFF_ROUTES);
});

// The language is kept per person: the shared staff account stays Italian for the other
// tests, and a colleague made staff for this test reads the pages in English, on a phone.
test('every page staff can reach has no accessibility violation in English on a phone', async ({ page, browser }) => {
  const colleague = await (await browser.newContext({ locale: 'it-IT', viewport: { width: 390, height: 844 } })).newPage();
  const colleagueEmail = uniqueEmail('staff.en');
  await signUp(colleague, colleagueEmail, 'Edith', 'English');

  const { email, password } = account('AULA_E2E_STAFF');
  await logIn(page, email, password);
  await page.goto(`/staff/users?q=${encodeURIComponent(colleagueEmail)}`);
  await waitForHydration(page);
  const row = page.locator('tr', { hasText: colleagueEmail });
  await row.locator('.role-cell').nth(1).locator('summary').click();
  await row.getByRole('button', { name: 'Sì, dai il ruolo' }).click();
  await expect(row.locator('.badge.role-on')).toHaveCount(1);

  await colleague.reload();
  await colleague.getByRole('button', { name: 'English' }).click();
  await expect(colleague.locator('html')).toHaveAttribute('lang', 'en');
  await check(colleague, STAFF_ROUTES);
});

// axe does not judge the focus ring: keyboard focus must stand out from what is behind it by
// at least 3:1 (WCAG 1.4.11), on the light page and on the dark header alike.
test('the keyboard focus ring stands out by at least 3:1, on the page and in the header', async ({ page }) => {
  await page.goto('/editions');
  for (const [where, selector] of [['header', 'header a'], ['page', 'main a']]) {
    let found = false;
    for (let presses = 0; presses < 40 && !found; presses++) {
      await page.keyboard.press('Tab');
      found = await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector);
    }
    expect(found, `Tab reaches a link in the ${where}`).toBe(true);
    const best = await page.evaluate(() => {
      const rgb = (css: string) => (css.match(/[\d.]+/g) ?? []).map(Number);
      const luminance = ([r, g, b]: number[]) => {
        const channel = (c: number) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
      };
      const contrast = (a: number[], b: number[]) => {
        const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x);
        return (l1 + 0.05) / (l2 + 0.05);
      };
      const focused = document.activeElement as HTMLElement;
      // The first opaque background behind the link.
      let behind = [255, 255, 255];
      for (let el: HTMLElement | null = focused.parentElement; el; el = el.parentElement) {
        const colour = rgb(getComputedStyle(el).backgroundColor);
        if (colour.length === 3 || (colour.length === 4 && colour[3] === 1)) { behind = colour.slice(0, 3); break; }
      }
      const rings = getComputedStyle(focused).boxShadow.match(/rgba?\([^)]*\)/g) ?? [];
      return Math.max(0, ...rings.map((ring) => contrast(rgb(ring).slice(0, 3), behind)));
    });
    expect(best, `the focus ring in the ${where}`).toBeGreaterThanOrEqual(3);
  }
});
