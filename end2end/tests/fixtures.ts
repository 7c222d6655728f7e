import { test as base, expect } from '@playwright/test';

export { expect };

/**
 * Every test fails if the browser reports a Content-Security-Policy violation: Aula's pages
 * must hydrate and work under their own policy (a nonce for the hydration script, nothing
 * inline otherwise).
 */
export const test = base.extend<{ contentSecurityPolicy: void }>({
  contentSecurityPolicy: [
    async ({ page }, use) => {
      const violations: string[] = [];
      page.on('console', (message) => {
        const text = message.text();
        if (text.includes('Content Security Policy') || text.includes('Content-Security-Policy')) {
          violations.push(`${page.url()}: ${text}`);
        }
      });
      await use();
      expect(violations, 'Content-Security-Policy violations').toEqual([]);
    },
    { auto: true },
  ],
});
