// Lighthouse (Node API, Debian's Chromium through chrome-launcher) on the home page and on the
// heaviest tutorial page (tests/support/browser.ts heaviestTutorialPage, shared with the bench). The four category scores
// are printed; accessibility, best practices and SEO must be at least MIN_SCORE. Performance is
// only reported (it measures this shared machine as much as the site; see `npm run bench`).
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH, heaviestTutorialPage, requireChromium } from '../support/browser.ts';

const base = inject('baseUrl');
const assetsDir = inject('assetsDir');
const MIN_SCORE = 0.95;
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
const LIGHTHOUSE_TIMEOUT_MS = 300_000;

// The same page the bench profiles (one shared ranking; see heaviestTutorialPage).
const { page: heaviest, bytes: heaviestBytes } = heaviestTutorialPage(assetsDir);

let chrome: chromeLauncher.LaunchedChrome;
beforeAll(async () => {
  requireChromium();
  chrome = await chromeLauncher.launch({ chromePath: CHROMIUM_PATH, chromeFlags: CHROMIUM_ARGS, logLevel: 'error' });
});
afterAll(async () => {
  chrome?.kill();
});

describe('Lighthouse', () => {
  for (const path of ['/', heaviest.path]) {
    it(`${path}: accessibility, best practices and SEO ≥ ${MIN_SCORE}`, { timeout: LIGHTHOUSE_TIMEOUT_MS }, async () => {
      const result = await lighthouse(base + path, {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: [...CATEGORIES],
      });
      expect(result, 'a Lighthouse result').toBeDefined();
      const { lhr } = result!;
      expect(lhr.runtimeError, lhr.runtimeError?.message).toBeUndefined();
      const scores = Object.fromEntries(CATEGORIES.map((c) => [c, lhr.categories[c]?.score ?? null]));
      const weight = path === '/' ? '' : ` (heaviest tutorial page, ${heaviestBytes} bytes of HTML, JS and CSS)`;
      console.log(`Lighthouse ${path}${weight}: ${CATEGORIES.map((c) => `${c} ${scores[c]}`).join(', ')}`);
      for (const category of ['accessibility', 'best-practices', 'seo'] as const) {
        const failing = Object.values(lhr.audits)
          .filter((a) => lhr.categories[category].auditRefs.some((r) => r.id === a.id && r.weight > 0) && a.score !== null && a.score < 1)
          .map((a) => `${a.id}: ${a.title}`);
        expect(scores[category], `${category} on ${path}; audits below 1: ${failing.join('; ')}`).toBeGreaterThanOrEqual(MIN_SCORE);
      }
    });
  }
});
