// How the browser bundle feels on a mid-range phone: prints `wasm_brotli_kb` (the first
// visit's wasm, as the server sends it to a browser that accepts brotli) and `phone_hydrated_ms` (the
// participant's edition page, from navigation to interactive, cold cache, CPU 4× slower,
// 1.6 Mbit/s down, 150 ms latency; the median of 3 runs). Run by `cargo xtask bench` against
// the release server, with AULA_BENCH_BASE_URL and AULA_BENCH_PARTICIPANT ("email password").
import { chromium } from '@playwright/test';
import http from 'node:http';

const base = process.env.AULA_BENCH_BASE_URL;
const [email, password] = (process.env.AULA_BENCH_PARTICIPANT ?? '').split(' ');
if (!base || !email || !password) {
  console.error('AULA_BENCH_BASE_URL and AULA_BENCH_PARTICIPANT are needed (cargo xtask bench sets them)');
  process.exit(1);
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'],
});

// Sign in once; each run starts from a fresh context (nothing cached) with that session.
const signIn = await browser.newContext({ locale: 'it-IT' });
const page = await signIn.newPage();
await page.goto(`${base}/login`);
await page.getByLabel('Indirizzo email').fill(email);
await page.getByLabel('Password', { exact: true }).fill(password);
await page.getByRole('button', { name: 'Accedi' }).last().click();
await page.getByRole('button', { name: 'Esci' }).waitFor();
await page.goto(`${base}/`);
const editionPath = await page.locator('.my-editions .edition-card a').first().getAttribute('href');
const cookies = await signIn.cookies();

// The wasm a first visit of the page loads (the islands' bundle): each file's size as the
// server sends it to a browser that accepts brotli, read off the wire without decoding, and summed.
await page.goto(`${base}${editionPath}`);
await page.waitForFunction(() => document.documentElement.dataset.hydrated === 'true');
const wasmPaths = await page.evaluate(() => performance.getEntriesByType('resource')
  .map((entry) => new URL(entry.name).pathname)
  .filter((path) => path.endsWith('.wasm')));
if (wasmPaths.length === 0) throw new Error('the edition page loaded no wasm');
const sizeOf = (path, encoding) => new Promise((resolve, reject) => {
  http.get(`${base}${path}`, { headers: { 'accept-encoding': encoding } }, (response) => {
    let bytes = 0;
    response.on('data', (chunk) => { bytes += chunk.length; });
    response.on('end', () => resolve({ bytes, encoding: response.headers['content-encoding'] ?? 'identity' }));
  }).on('error', reject);
});
const sent = { bytes: 0, encodings: new Set() };
let raw = 0;
for (const path of new Set(wasmPaths)) {
  const brotli = await sizeOf(path, 'br');
  sent.bytes += brotli.bytes;
  sent.encodings.add(brotli.encoding);
  raw += (await sizeOf(path, 'identity')).bytes;
}
await signIn.close();

const runs = [];
for (let run = 0; run < 3; run++) {
  const context = await browser.newContext({ locale: 'it-IT', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await context.addCookies(cookies);
  const phone = await context.newPage();
  const cdp = await context.newCDPSession(phone);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 150,
    downloadThroughput: (1.6 * 1000 * 1000) / 8,
    uploadThroughput: (750 * 1000) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await phone.goto(`${base}${editionPath}`, { waitUntil: 'commit', timeout: 120_000 });
  // From the start of navigation, on the page's own clock, read when the flag is first seen.
  const hydrated = await phone.waitForFunction(
    () => document.documentElement.dataset.hydrated === 'true' && performance.now(),
    null,
    { timeout: 120_000, polling: 50 },
  );
  runs.push(await hydrated.jsonValue());
  await context.close();
}
await browser.close();
runs.sort((a, b) => a - b);
console.log(`wasm_files: ${new Set(wasmPaths).size}`);
console.log(`wasm_raw_kb: ${(raw / 1024).toFixed(0)} KB`);
console.log(`wasm_brotli_kb: ${(sent.bytes / 1024).toFixed(0)} KB (sent as ${[...sent.encodings].join(', ')})`);
console.log(`phone_hydrated_ms: ${runs[1].toFixed(0)} ms (runs: ${runs.map((r) => r.toFixed(0)).join(', ')})`);
