// axe-core on every page (and the 404 page), light and dark theme, at WCAG 2.1 AA: zero violations. Each widget is
// also checked live (after a redraw from the API, with its table and data panels open, and in
// its error state), since the browser draws a different SVG than the build did.
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, newContext, sitePages, type Theme } from '../support/browser.ts';
import { controls, moveControl } from '../support/widgets.ts';
import { WIDGETS, firstControl, moveAndRender } from './widget-specs.ts';

const base = inject('baseUrl');
const assetsDir = inject('assetsDir');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
/** Rules switched off, each with its reason. None so far. */
const EXCLUDED_RULES: Record<string, string> = {};

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function violations(page: Page, include?: string): Promise<string[]> {
  let builder = new AxeBuilder({ page }).withTags(TAGS);
  if (Object.keys(EXCLUDED_RULES).length) builder = builder.disableRules(Object.keys(EXCLUDED_RULES));
  if (include) builder = builder.include(include);
  const result = await builder.analyze();
  return result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}${n.failureSummary ? ` [${n.failureSummary.replace(/\s+/g, ' ').slice(0, 160)}]` : ''}`).join(' | ')}${v.nodes.length > 5 ? ` (+${v.nodes.length - 5} more)` : ''}`,
  );
}

for (const theme of ['light', 'dark'] as Theme[]) {
  describe(`axe, ${theme} theme`, () => {
    let context: BrowserContext;
    let page: Page;
    beforeAll(async () => {
      context = await newContext(browser, theme);
      page = await context.newPage();
    });
    afterAll(async () => {
      await context?.close();
    });

    for (const p of sitePages(assetsDir)) {
      it(`${p.path}: no WCAG 2.1 AA violations`, async () => {
        await page.goto(base + p.path);
        expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
        expect(await violations(page)).toEqual([]);
      });
    }

    // The page a reader meets at a broken link (served for any missing path).
    it('/404.html: no WCAG 2.1 AA violations', async () => {
      await page.goto(base + '/404.html');
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
      expect((await page.locator('h1').first().innerText()).trim().length, 'a title').toBeGreaterThan(0);
      expect(await violations(page)).toEqual([]);
    });

    for (const spec of WIDGETS) {
      it(`${spec.tag}: no violations after a live redraw (panels open) and in its error state`, async () => {
        await page.goto(base + spec.page);
        await page.evaluate((tag) => customElements.whenDefined(tag), spec.tag);
        const w = page.locator(spec.tag);
        const control = await firstControl(w);
        await moveAndRender(page, spec, control, spec.moves?.[control.name]);
        await w.locator('details').evaluateAll((all) => all.forEach((d) => ((d as HTMLDetailsElement).open = true)));
        expect(await violations(page, spec.tag), 'after a redraw').toEqual([]);

        await page.route('**/api/v1/**', (route) => route.abort('connectionrefused'));
        const again = (await controls(w)).find((c) => c.name === control.name)!;
        await moveControl(w, again, undefined);
        if (spec.start) await w.locator(spec.start).click();
        await page.waitForFunction((t) => document.querySelector(t)?.getAttribute('data-state') === 'error', spec.tag);
        expect(await violations(page, spec.tag), 'in the error state').toEqual([]);
        await page.unrouteAll({ behavior: 'ignoreErrors' });
      });
    }
  });
}
