// The deploy path without an account: `wrangler deploy --dry-run` for each environment must
// bundle the worker under its size budget and pick up a complete site (every page in both
// locales, the search index) as its assets.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKER_BUNDLE_GZIP_MAX_BYTES } from '../../bench/budgets.ts';
import { expectedHtmlFiles, INDEXED_PAGES, LOCALES } from '../support/pages.ts';
import { ROOT } from '../support/server.ts';

// wrangler.toml's [assets] directory: what a deploy uploads.
const DIST = join(ROOT, 'site/dist');
// SITE_DIST points the build checks (not the dry runs) at another build, e.g. a broken copy.
const BUILD = resolve(process.env.SITE_DIST ?? DIST);
const ENVIRONMENTS = [
  { env: 'staging', name: 'gradflow-staging' },
  { env: 'production', name: 'gradflow' },
];
const outDirs: string[] = [];

function htmlPages(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.html'))
    .map((file) => relative(dir, join(dir, file)));
}

function dryRun(env: string) {
  const outdir = mkdtempSync(join(tmpdir(), `gradflow-dry-${env}-`));
  outDirs.push(outdir);
  const result = spawnSync(join(ROOT, 'node_modules/.bin/wrangler'), ['deploy', '--dry-run', '--env', env, '--outdir', outdir], {
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      ...process.env,
      PATH: `${join(ROOT, 'node_modules/.bin')}:${process.env.PATH ?? ''}`,
      WRANGLER_SEND_METRICS: 'false',
      CLOUDFLARE_CF_FETCH_ENABLED: 'false',
    },
    timeout: 180_000,
  });
  return { outdir, status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

afterAll(() => {
  for (const dir of outDirs) rmSync(dir, { recursive: true, force: true });
});

describe('the site build that wrangler uploads as assets', () => {
  it('exists (run `npm run build` first)', () => {
    expect(existsSync(join(BUILD, 'index.html')), `${BUILD}/index.html is missing: run npm run build`).toBe(true);
  });

  // tests/support/pages.ts derives the pages from the sources (content entries, the OpenAPI
  // document, the 404 page), not from this build.
  it('has every page of both locales (content and generated reference pages) and the 404 page', () => {
    const pages = new Set(htmlPages(BUILD));
    const missing = expectedHtmlFiles().filter((page) => !pages.has(page));
    expect(missing).toEqual([]);
  });

  it('has the search index for both languages, covering every indexed page', () => {
    const entry = JSON.parse(readFileSync(join(BUILD, 'pagefind/pagefind-entry.json'), 'utf8')) as {
      languages: Record<string, { page_count: number }>;
    };
    for (const { pagefind: key } of LOCALES) {
      expect(entry.languages[key], `no search index for ${key}`).toBeDefined();
      expect(entry.languages[key].page_count, `pages indexed for ${key}`).toBeGreaterThanOrEqual(INDEXED_PAGES.length);
    }
  });
});

describe.each(ENVIRONMENTS)('wrangler deploy --dry-run --env $env', ({ env, name }) => {
  let run: ReturnType<typeof dryRun>;
  beforeAll(() => {
    run = dryRun(env);
  });

  it('succeeds', () => {
    expect(run.status, run.output).toBe(0);
    expect(run.output).toContain('--dry-run: exiting now.');
  });

  it('uploads the whole site as assets', () => {
    const match = /Read (\d+) files from the assets directory (\S+)/.exec(run.output);
    expect(match, run.output).not.toBeNull();
    // wrangler reports the entries of a recursive readdir of the directory: files and folders.
    const entries = readdirSync(DIST, { recursive: true, encoding: 'utf8' });
    expect(Number(match![1])).toBe(entries.length);
    const files = new Set(entries.filter((f) => statSync(join(DIST, f)).isFile()));
    expect(expectedHtmlFiles().filter((page) => !files.has(page))).toEqual([]);
    expect(match![2]).toBe(DIST);
  });

  it('keeps every binding and var of the environment', () => {
    for (const binding of ['env.RATE_LIMITER', 'env.ASSETS', 'env.BUDGET_MACS', 'env.BUDGET_TRAIN_MACS', 'env.RATE_LIMIT_ENABLED', 'env.RATE_LIMIT_PERIOD']) {
      expect(run.output).toContain(binding);
    }
    const toml = readFileSync(join(ROOT, 'wrangler.toml'), 'utf8');
    expect(toml).toMatch(new RegExp(`\\[env\\.${env}\\][^[]*name = "${name}"`));
  });

  it(`bundles the worker under ${WORKER_BUNDLE_GZIP_MAX_BYTES / 1024} KiB gzip`, () => {
    const bundle = readFileSync(join(run.outdir, 'index.js'));
    const gzip = gzipSync(bundle).length;
    expect(bundle.length).toBeGreaterThan(10_000);
    expect(gzip).toBeLessThanOrEqual(WORKER_BUNDLE_GZIP_MAX_BYTES);
  });
});
