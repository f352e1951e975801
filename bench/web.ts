import { execSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { type Browser, chromium } from 'playwright-core';
import { build } from 'vite';
import en from '../web/src/locales/en.json' with { type: 'json' };
import { demoPassword, freePort, row, startHaven, stop } from './support.ts';

/**
 * The staff app on a school laptop (issue 16). Headless Chromium, with an empty cache, opens the
 * sign-in page, signs in as the demo counselor and waits for her home page ("Needs support now").
 * It sums the JavaScript the browser fetched (bytes on the wire, from Resource Timing) and times
 * both steps, against Haven's own server and against the baseline: the same app built as one
 * bundle, served uncompressed (what Haven shipped before: 899 KB in one file). Timed on the local
 * connection and on a shared school connection (10 Mbit/s down, 40 ms round trip, emulated by
 * Chromium). Budget: sign-in and home together fetch at most 250 KB of compressed JavaScript.
 */
export async function benchWeb() {
  ensureBuilt();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-bench-web-'));
  const haven = await startHaven(path.join(work, 'data'));
  const baseline = await serveBaseline(await buildOneBundle(path.join(work, 'one-bundle')), haven.url);
  const browser = await launchChromium();
  try {
    for (const network of networks) {
      const havenRuns: Visit[] = [];
      const baselineRuns: Visit[] = [];
      for (let i = 0; i < 3; i++) {
        havenRuns.push(await visit(browser, haven.url, network));
        baselineRuns.push(await visit(browser, baseline.url, network));
      }
      const h = median(havenRuns);
      const b = median(baselineRuns);
      if (network === networks[0]) {
        console.log(`JavaScript fetched (KB on the wire; Haven as ${h.encoding}, baseline uncompressed):`);
        row('  sign-in page', kb(h.signInJs), kb(b.signInJs), 'KB', 'one bundle');
        row('  sign-in, then home', kb(h.totalJs), kb(b.totalJs), 'KB', 'one bundle');
        console.log(`  files: Haven ${h.files} (${kb(h.totalJsDecoded).toFixed(0)} KB once decoded), baseline ${b.files}`);
        const met = h.totalJs <= budgetBytes;
        console.log(`  budget: sign-in and home <= 250 KB compressed JavaScript: ${met ? 'met' : 'MISSED'} (${kb(h.totalJs).toFixed(0)} KB)`);
        if (!met) process.exitCode = 1;
      }
      console.log(`Load time, ${network.name} (median of 3, fresh cache):`);
      row('  sign-in page shown', h.signInMs, b.signInMs, 'ms', 'one bundle');
      row('  home shown after sign-in', h.homeMs, b.homeMs, 'ms', 'one bundle');
    }
  } finally {
    await browser.close();
    baseline.server.close();
    await stop(haven.child);
    fs.rmSync(work, { recursive: true, force: true });
  }
}

const budgetBytes = 250 * 1024;
type Network = { name: string; conditions?: { latency: number; downloadThroughput: number; uploadThroughput: number } };
const networks: Network[] = [
  { name: 'local connection' },
  { name: 'school Wi-Fi (10 Mbit/s, 40 ms)', conditions: { latency: 40, downloadThroughput: 10_000_000 / 8, uploadThroughput: 5_000_000 / 8 } },
];

type Visit = { signInMs: number; homeMs: number; signInJs: number; totalJs: number; totalJsDecoded: number; files: number; encoding: string };

/**
 * In the page: when each first-level heading first appeared and when the sign-in form was sent, by
 * the page's own clock. (Playwright's waits poll at up to 500 ms, too coarse to time a page by.)
 */
const timingScript = `
  window.__haven = { headings: {}, submitted: 0 };
  document.addEventListener('submit', () => { window.__haven.submitted = performance.now(); }, true);
  new MutationObserver(() => {
    for (const h of document.querySelectorAll('h1')) {
      const text = h.textContent ?? '';
      if (!(text in window.__haven.headings)) window.__haven.headings[text] = performance.now();
    }
  }).observe(document, { childList: true, subtree: true, characterData: true });
`;
type PageTimes = { headings: Record<string, number>; submitted: number };

/** One person's first visit: a fresh browser context, so nothing comes from a cache. */
async function visit(browser: Browser, baseUrl: string, network: Network): Promise<Visit> {
  const context = await browser.newContext({ locale: 'en-US' });
  await context.addInitScript(timingScript);
  const page = await context.newPage();
  const encodings = new Set<string>();
  page.on('response', async (response) => {
    if (response.url().endsWith('.js')) encodings.add((await response.allHeaders())['content-encoding'] ?? 'identity');
  });
  if (network.conditions) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, ...network.conditions });
  }
  const scripts = () =>
    page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map((entry) => entry as PerformanceResourceTiming)
        .filter((entry) => new URL(entry.name).pathname.endsWith('.js'))
        .map((entry) => ({ encoded: entry.encodedBodySize, decoded: entry.decodedBodySize })),
    );
  await page.goto(`${baseUrl}/sign-in`, { waitUntil: 'commit' });
  await page.getByRole('heading', { name: en.signIn.title }).waitFor();
  const signIn = await scripts();

  await page.getByLabel(new RegExp(`^${en.signIn.email}`)).fill('counselor@demo.haven.test');
  await page.getByLabel(new RegExp(`^${en.signIn.password}`)).fill(demoPassword);
  await page.getByRole('button', { name: en.signIn.submit }).click();
  await page.getByRole('heading', { name: en.support.title, level: 1 }).waitFor();
  const all = await scripts();
  // performance.now() counts from the start of the navigation to /sign-in.
  const times = await page.evaluate(() => (window as unknown as { __haven: PageTimes }).__haven);
  await context.close();
  const shown = (heading: string) => {
    const at = times.headings[heading];
    if (at === undefined) throw new Error(`"${heading}" was never shown`);
    return at;
  };
  const sum = (list: { encoded: number }[]) => list.reduce((total, entry) => total + entry.encoded, 0);
  return {
    signInMs: shown(en.signIn.title),
    homeMs: shown(en.support.title) - times.submitted,
    signInJs: sum(signIn),
    totalJs: sum(all),
    totalJsDecoded: all.reduce((total, entry) => total + entry.decoded, 0),
    files: all.length,
    encoding: [...encodings].join('/'),
  };
}

function median(visits: Visit[]): Visit {
  const middle = <T>(values: T[], key: (v: T) => number) => [...values].sort((a, b) => key(a) - key(b))[Math.floor(values.length / 2)] as T;
  const byTime = middle(visits, (v) => v.signInMs);
  return { ...byTime, homeMs: middle(visits, (v) => v.homeMs).homeMs };
}

const kb = (bytes: number) => bytes / 1024;

/** web/dist as `npm start` would have it: built when missing or stale, and precompressed. */
function ensureBuilt() {
  execSync(`${JSON.stringify(process.execPath)} scripts/build-web-if-needed.mjs`, { stdio: 'inherit' });
  const assets = path.resolve('web/dist/assets');
  if (!fs.readdirSync(assets).some((file) => file.endsWith('.js.br'))) {
    console.log('Rebuilding the web app: this build has no precompressed assets.');
    execSync('npx vite build --config web/vite.config.ts --logLevel warn', { stdio: 'inherit' });
  }
}

/** The baseline build: the same sources as one bundle (no route chunks, no vendor chunks). */
async function buildOneBundle(outDir: string): Promise<string> {
  await build({
    configFile: false,
    root: path.resolve('web'),
    publicDir: 'src/public',
    logLevel: 'warn',
    plugins: [react()],
    build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 4096, rolldownOptions: { output: { codeSplitting: false } } },
  });
  return outDir;
}

/**
 * Serves the one-bundle build with no compression; API requests go on to the running Haven with
 * their Accept-Encoding removed, so the baseline is uncompressed end to end.
 */
async function serveBaseline(root: string, havenUrl: string): Promise<{ url: string; server: http.Server }> {
  const types: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.html': 'text/html; charset=utf-8' };
  const server = http.createServer((request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://baseline').pathname;
    if (pathname.startsWith('/api/') || pathname === '/healthz') {
      const { 'accept-encoding': _dropped, ...headers } = request.headers;
      const upstream = http.request(`${havenUrl}${request.url}`, { method: request.method, headers }, (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      });
      request.pipe(upstream);
      return;
    }
    const file = path.join(root, path.normalize(pathname));
    const found = file.startsWith(root) && fs.existsSync(file) && fs.statSync(file).isFile() ? file : path.join(root, 'index.html');
    response.writeHead(200, { 'content-type': types[path.extname(found)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
    fs.createReadStream(found).pipe(response);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}`, server };
}

async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) throw new Error(`Chromium is not at ${executablePath}: install it with \`apt-get install -y chromium\`.`);
  return chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
