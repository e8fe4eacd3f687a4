// Security headers on pages and API (issue 6), as served by the worker with its static assets:
// a strict Content-Security-Policy for the site (no unhashed inline script, no third-party
// origin), nosniff, Referrer-Policy, frame-ancestors / X-Frame-Options, HSTS; the API sets no
// cookies and its CORS allows reading methods only. In Chromium the policy must not block
// anything the site does (no securitypolicyviolation on any page, widgets redrawn live).
import { createHash } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, newContext, sitePages } from '../support/browser.ts';
import { WIDGETS, firstControl, moveAndRender } from './widget-specs.ts';

const base = inject('baseUrl');
const assetsDir = inject('assetsDir');
/** HSTS worth having: a year, the minimum for browsers' preload lists. */
const HSTS_MIN_SECONDS = 31_536_000;
const REFERRER_POLICIES = ['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin'];
/** Source expressions that name no origin of anyone else. */
const OWN_SOURCES = /^('self'|'none'|'sha(256|384|512)-[A-Za-z0-9+/=]+'|'nonce-[^']+'|'wasm-unsafe-eval'|'unsafe-inline'|'strict-dynamic'|data:|blob:)$/;

function directives(csp: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of csp.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) map.set(name.toLowerCase(), sources);
  }
  return map;
}

function inlineScriptHashes(html: string): string[] {
  return [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)]
    .map((m) => m[1])
    .filter((body) => body.trim() !== '')
    .map((body) => `'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`);
}

/** The hardening headers every response carries, pages and API alike. */
function expectHardening(res: Response, what: string): void {
  expect(res.headers.get('x-content-type-options'), `${what}: X-Content-Type-Options`).toBe('nosniff');
  expect(REFERRER_POLICIES, `${what}: Referrer-Policy ${res.headers.get('referrer-policy')}`).toContain(res.headers.get('referrer-policy'));
  const hsts = res.headers.get('strict-transport-security') ?? '';
  const maxAge = Number(/max-age=(\d+)/i.exec(hsts)?.[1] ?? 0);
  expect(maxAge, `${what}: Strict-Transport-Security "${hsts}"`).toBeGreaterThanOrEqual(HSTS_MIN_SECONDS);
  const frameAncestors = directives(res.headers.get('content-security-policy') ?? '').get('frame-ancestors');
  const xfo = res.headers.get('x-frame-options')?.toUpperCase();
  const framingRefused = (frameAncestors && frameAncestors.every((s) => s === "'none'" || s === "'self'")) || xfo === 'DENY' || xfo === 'SAMEORIGIN';
  expect(framingRefused, `${what}: frame-ancestors / X-Frame-Options (got ${frameAncestors?.join(' ')} / ${xfo})`).toBe(true);
  expect(res.headers.get('set-cookie'), `${what}: no cookies`).toBeNull();
}

describe('site pages', () => {
  const paths = [...sitePages(assetsDir).map((p) => p.path), '/page-that-does-not-exist/'];
  for (const path of paths) {
    it(`${path}: strict CSP hashing every inline script, no third-party origin; hardening headers`, async () => {
      const res = await fetch(base + path);
      const html = await res.text();
      expectHardening(res, path);
      const csp = res.headers.get('content-security-policy');
      expect(csp, `${path}: Content-Security-Policy`).toBeTruthy();
      const d = directives(csp!);
      const scriptSrc = d.get('script-src') ?? d.get('default-src');
      expect(scriptSrc, 'script-src or default-src').toBeDefined();
      expect(scriptSrc, "no 'unsafe-inline' scripts").not.toContain("'unsafe-inline'");
      expect(scriptSrc, "no 'unsafe-eval'").not.toContain("'unsafe-eval'");
      expect(d.get('object-src') ?? d.get('default-src'), 'object-src').toEqual(["'none'"]);
      for (const [name, sources] of d) {
        if (name === 'upgrade-insecure-requests' || name === 'report-uri' || name === 'report-to') continue;
        for (const source of sources) expect(source, `${name} names only our own origin`).toMatch(OWN_SOURCES);
      }
      for (const hash of inlineScriptHashes(html)) expect(scriptSrc, `${path}: an inline script's hash`).toContain(hash);
    });
  }
});

describe('API responses', () => {
  const cases: [string, number][] = [
    ['/api/v1/gradients', 200],
    ['/api/v1/openapi.json', 200],
    ['/api/v1/gradients?hidden=32', 400],
    ['/api/nope', 404],
  ];
  for (const [path, status] of cases) {
    it(`${path} (${status}): hardening headers, no cookies`, async () => {
      const res = await fetch(base + path, { headers: { Cookie: 'session=should-be-ignored' } });
      await res.arrayBuffer();
      expect(res.status).toBe(status);
      expectHardening(res, path);
    });
  }

  it('CORS allows reading methods only, never with credentials', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const res = await fetch(`${base}/api/v1/gradients`, {
        method: 'OPTIONS',
        headers: { Origin: 'https://elsewhere.example', 'Access-Control-Request-Method': method },
      });
      await res.arrayBuffer();
      const allowed = (res.headers.get('access-control-allow-methods') ?? '').toUpperCase().split(/\s*,\s*/);
      expect(allowed, `preflight for ${method}`).not.toContain(method);
      expect(res.headers.get('access-control-allow-credentials')).not.toBe('true');
    }
    const post = await fetch(`${base}/api/v1/gradients`, { method: 'POST', body: '{}' });
    await post.arrayBuffer();
    expect(post.status).toBe(405);
  });
});

describe('the policy in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('blocks nothing the site does: no violation on any page, widgets redraw live', async () => {
    const context = await newContext(browser);
    await context.addInitScript(() => {
      (window as unknown as { __csp: string[] }).__csp = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        (window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
      );
    });
    const page = await context.newPage();
    const violations: string[] = [];
    for (const p of sitePages(assetsDir)) {
      await page.goto(base + p.path);
      await page.waitForLoadState('networkidle');
      const spec = WIDGETS.filter((w) => w.page === p.slug);
      for (const s of spec) {
        const w = page.locator(s.tag);
        const control = await firstControl(w);
        await moveAndRender(page, s, control, s.moves?.[control.name]);
      }
      violations.push(...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).map((v) => `${p.path}: ${v}`));
    }
    await context.close();
    expect(violations).toEqual([]);
  });
});
