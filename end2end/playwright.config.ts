import { defineConfig, devices } from '@playwright/test';

// The server is started by `cargo xtask test` (fresh SQLite database, demo data, a staff
// account whose credentials arrive in AULA_E2E_STAFF_*). Chromium is Debian's: Playwright's own
// browser download is not reachable from these machines.
const baseURL = process.env.AULA_E2E_BASE_URL ?? 'http://127.0.0.1:3000';

const chromium = {
  ...devices['Desktop Chrome'],
  locale: 'it-IT',
  launchOptions: {
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  },
};

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  // Several flows involve three people and a dozen pages on a 2-core machine with a debug build.
  timeout: 120_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: [['list']],
  use: { baseURL, trace: 'retain-on-failure', screenshot: 'only-on-failure' },
  projects: [
    { name: 'hydrated', testIgnore: /\.nojs\.spec\.ts$/, use: { ...chromium, javaScriptEnabled: true } },
    { name: 'no-javascript', testMatch: /\.nojs\.spec\.ts$/, use: { ...chromium, javaScriptEnabled: false } },
  ],
});
