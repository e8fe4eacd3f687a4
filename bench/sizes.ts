// Sizes: the worker bundle as `wrangler deploy --dry-run` writes it (raw and gzip), and what a
// browser downloads for each page of the site (everything Chromium fetched while loading it and
// scrolling through it, gzip -9 here as a CDN would serve it), by kind: JavaScript, CSS and the
// total. API responses are data, counted apart.
// Optional: Lighthouse performance of the home page and the heaviest tutorial page.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CHROMIUM_ARGS, CHROMIUM_PATH, heaviestTutorialPage, launchBrowser, sitePages } from '../tests/support/browser.ts';
import { ROOT, startServer, type RunningServer } from '../tests/support/server.ts';
import { fmt, report } from './stats.ts';

/** The ceiling for a tutorial page's JavaScript, gzip, chart code included. */
export const PAGE_JS_LIMIT_BYTES = 150 * 1024;

const kib = (bytes: number) => `${fmt(bytes / 1024, 1)} KiB`;

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out;
}

export function workerBundle(json: boolean) {
  const outdir = mkdtempSync(join(tmpdir(), 'gradflow-bundle-'));
  try {
    const wrangler = join(ROOT, 'node_modules/.bin/wrangler');
    const r = spawnSync(wrangler, ['deploy', '--dry-run', '--outdir', outdir], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', CI: 'true' },
    });
    if (r.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${r.stdout}\n${r.stderr}`);
    const scripts = filesUnder(outdir).filter((f) => /\.(m?js|wasm)$/.test(f));
    let raw = 0;
    let gzip = 0;
    for (const f of scripts) {
      const bytes = readFileSync(f);
      raw += bytes.length;
      gzip += gzipSync(bytes, { level: 9 }).length;
    }
    const record = { kind: 'bundle', files: scripts.length, raw_bytes: raw, gzip_bytes: gzip };
    report(json, record, `worker bundle: ${kib(raw)} raw, ${kib(gzip)} gzip (${scripts.length} file(s), wrangler deploy --dry-run)`);
    return record;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

interface PageBytes {
  path: string;
  js: number;
  css: number;
  total: number;
  api: number;
  requests: number;
}

/**
 * Loads one page in Chromium (scrolling through it, as widgets load their chart code when they
 * come into view), notes every URL it requested with its resource type, then fetches each once
 * more from the server and sums their gzip sizes: deterministic for a given set of URLs, where
 * the browser's own response bodies are not always still readable.
 */
async function measurePage(browser: Awaited<ReturnType<typeof launchBrowser>>, base: string, path: string): Promise<PageBytes> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const requested = new Map<string, string>(); // url -> resource type
  page.on('request', (req) => requested.set(req.url(), req.resourceType()));
  await page.goto(base + path, { waitUntil: 'networkidle', timeout: 120_000 });
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  for (let y = 0; y <= height; y += 600) {
    await page.evaluate((top) => window.scrollTo(0, top), y);
    await page.waitForTimeout(50);
  }
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(1000);
  await context.close();
  const out: PageBytes = { path, js: 0, css: 0, total: 0, api: 0, requests: requested.size };
  for (const [url, type] of requested) {
    if (!url.startsWith(base)) continue;
    const res = await fetch(url);
    const gz = gzipSync(new Uint8Array(await res.arrayBuffer()), { level: 9 }).length;
    if (new URL(url).pathname.startsWith('/api/')) {
      out.api += gz; // data, not page weight: counted apart
      continue;
    }
    out.total += gz;
    if (type === 'script') out.js += gz;
    if (type === 'stylesheet') out.css += gz;
  }
  return out;
}

/** The site the bench's server serves (the same override as tests/support/server.ts). */
const assetsDir = () => process.env.GRADFLOW_ASSETS_DIR ?? join(ROOT, 'site/dist');

/**
 * The page the bench's Lighthouse section profiles as the heaviest tutorial page: the shared
 * ranking of tests/support/browser.ts (heaviestTutorialPage, HTML + all JS and CSS in the build,
 * zh-CN, ties by path), the same page the Lighthouse test checks, whether or not the sizes
 * section ran.
 */
export function heaviestPagePath(): string {
  return heaviestTutorialPage(assetsDir()).page.path;
}

export interface SizesResult {
  home: string;
  heaviest: string;
}

export async function benchSizes(o: { json: boolean; server?: RunningServer }): Promise<SizesResult> {
  workerBundle(o.json);
  const server = o.server ?? (await startServer({ vars: { RATE_LIMIT_ENABLED: 'false' } }));
  const browser = await launchBrowser();
  try {
    const pages = sitePages(assetsDir())
      .map((p) => p.path)
      .filter((p) => p === '/' || p === '/en/' || p.includes('/tutorial/'));
    let mostJs: PageBytes | null = null;
    for (const path of pages) {
      const b = await measurePage(browser, server.url, path);
      const tutorial = path.includes('/tutorial/');
      if (tutorial && (!mostJs || b.js > mostJs.js)) mostJs = b;
      const over = tutorial && b.js > PAGE_JS_LIMIT_BYTES;
      report(
        o.json,
        { kind: 'page', ...b, js_limit_bytes: tutorial ? PAGE_JS_LIMIT_BYTES : null, over_limit: over },
        `page ${path.padEnd(36)} JS ${kib(b.js).padStart(10)}  CSS ${kib(b.css).padStart(9)}  total ${kib(b.total).padStart(10)} ` +
          `(${b.requests} requests; API data ${kib(b.api)})${over ? '  OVER the 150 KiB JS limit' : ''}`,
      );
    }
    const heaviest = heaviestPagePath();
    if (!o.json) console.log(`heaviest tutorial page (HTML + JS + CSS in the build, profiled by Lighthouse): ${heaviest}; most JS fetched: ${mostJs?.path ?? 'n/a'}`);
    return { home: '/', heaviest };
  } finally {
    await browser.close();
    if (!o.server) await server.stop();
  }
}

/** Lighthouse performance score (mobile defaults, simulated throttling) of each path. */
export async function benchLighthouse(o: { json: boolean; server?: RunningServer; paths: string[] }): Promise<void> {
  const { default: lighthouse } = await import('lighthouse');
  const { launch } = await import('chrome-launcher');
  const server = o.server ?? (await startServer({ vars: { RATE_LIMIT_ENABLED: 'false' } }));
  const chrome = await launch({ chromePath: CHROMIUM_PATH, chromeFlags: CHROMIUM_ARGS });
  try {
    for (const path of o.paths) {
      const result = await lighthouse(server.url + path, { port: chrome.port, onlyCategories: ['performance'], output: 'json', logLevel: 'error' });
      const lhr = result?.lhr;
      const audit = (id: string) => lhr?.audits[id]?.numericValue ?? NaN;
      const record = {
        kind: 'lighthouse',
        path,
        performance: lhr?.categories.performance?.score ?? null,
        fcp_ms: audit('first-contentful-paint'),
        lcp_ms: audit('largest-contentful-paint'),
        tbt_ms: audit('total-blocking-time'),
        cls: audit('cumulative-layout-shift'),
      };
      report(
        o.json,
        record,
        `lighthouse ${path}: performance ${record.performance === null ? 'n/a' : Math.round(100 * record.performance)} ` +
          `(FCP ${fmt(record.fcp_ms, 0)} ms, LCP ${fmt(record.lcp_ms, 0)} ms, TBT ${fmt(record.tbt_ms, 0)} ms, CLS ${fmt(record.cls, 3)})`,
      );
    }
  } finally {
    chrome.kill();
    if (!o.server) await server.stop();
  }
}
