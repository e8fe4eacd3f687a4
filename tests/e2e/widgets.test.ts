// Every widget driven in Chromium against the real site + API: the build-time figure without
// any request, each control → a request for exactly that state → a redraw with the API's
// numbers, the state in the page URL and restored from it, the data link and curl line, the
// English page, and screenshots in both themes.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ROOT } from '../support/server.ts';
import {
  hasHan, launchBrowser, newContext, renders, waitForRender, watchProblems, widgetsInBuild,
  type Lang, type Problems, type Theme,
} from '../support/browser.ts';
import { recordApi, sseEvents, type ApiExchange, type ApiLog } from '../support/drawn.ts';
import { controls, controlLocator, urlState, widgetInfo, type Control } from '../support/widgets.ts';
import { WIDGETS, firstControl, moveAndRender, specFor } from './widget-specs.ts';

const base = inject('baseUrl');
const assetsDir = inject('assetsDir');
const SCREENSHOTS = join(ROOT, 'artifacts/screenshots');

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('widgets in the build', () => {
  it('every gf-* element on a page is driven by this suite', () => {
    const inBuild = [...widgetsInBuild(assetsDir).keys()].sort();
    expect(inBuild.length).toBeGreaterThan(0);
    expect(inBuild.filter((tag) => !specFor(tag)), 'widgets without a spec in tests/e2e/widget-specs.ts').toEqual([]);
  });

  it('each widget sits on the pages its spec names, in both locales', () => {
    const inBuild = widgetsInBuild(assetsDir);
    for (const spec of WIDGETS) {
      expect(inBuild.get(spec.tag) ?? [], spec.tag).toEqual(expect.arrayContaining([spec.page, `/en${spec.page}`]));
    }
  });
});

/** The responses behind the widget's current data links, in link order (all must have been made). */
async function bodiesForLinks(widget: Locator, exchanges: ApiExchange[]): Promise<unknown[]> {
  const { links } = await widgetInfo(widget);
  expect(links.length).toBeGreaterThan(0);
  return Promise.all(
    links.map((link) => {
      const made = exchanges.filter((x) => x.url.pathname + x.url.search === link && x.status === 200).at(-1);
      expect(made, `request for data link ${link} (made: ${exchanges.map((x) => x.url.pathname + x.url.search).join(', ')})`).toBeDefined();
      return made!.json();
    }),
  );
}

/** The state value a checkbox group or single control now has, as the widget's URL carries it. */
async function groupValue(widget: Locator, control: Control): Promise<string> {
  if (control.type !== 'checkbox') return controlLocator(widget, control).inputValue();
  return widget
    .locator(`[data-controls] [name="${control.name}"]`)
    .evaluateAll((boxes) => (boxes as HTMLInputElement[]).filter((b) => b.checked).map((b) => b.value).join(','));
}

for (const spec of WIDGETS) {
  describe(spec.tag, () => {
    let context: BrowserContext;
    let page: Page;
    let api: ApiLog;
    let problems: Problems;
    const widget = () => page.locator(spec.tag);

    beforeAll(async () => {
      context = await newContext(browser);
      page = await context.newPage();
      api = recordApi(page);
      problems = watchProblems(page);
    });
    afterAll(async () => {
      await context?.close();
    });

    it('shows its build-time figure, with the default data, before any request', async () => {
      const blocked = await context.newPage();
      const asked: string[] = [];
      await blocked.route('**/api/**', (route) => {
        asked.push(route.request().url());
        return route.abort();
      });
      await blocked.goto(base + spec.page);
      await blocked.evaluate((tag) => customElements.whenDefined(tag), spec.tag);
      await blocked.waitForLoadState('networkidle');
      expect(asked, 'requests made for the default state').toEqual([]);
      const w = blocked.locator(spec.tag);
      expect(await w.getAttribute('data-state')).not.toBe('error');
      // The build-time figure must equal what the live API answers for the defaults.
      const { links } = await widgetInfo(w);
      const bodies = await Promise.all(links.map(async (link) => (await fetch(base + link)).json()));
      await spec.checkDrawn(w, bodies, 'zh-CN');
      await blocked.close();
    });

    it('requests each control\u2019s new state and redraws with the API\u2019s data', async () => {
      await page.goto(base + spec.page);
      await page.evaluate((tag) => customElements.whenDefined(tag), spec.tag);
      const w = widget();
      const { id, defaults } = await widgetInfo(w);
      const all = await controls(w);
      expect(all.length).toBeGreaterThan(0);
      // The spec's order first (a control another move makes inert goes before that move), the
      // rest in document order. A checkbox is toggled and toggled back (each a move), so a group
      // never ends up empty.
      const rank = (c: Control) => {
        const k = spec.order?.indexOf(c.name) ?? -1;
        return k < 0 ? Infinity : k;
      };
      const ordered = all.map((c, k) => ({ c, k })).sort((a, b) => rank(a.c) - rank(b.c) || a.k - b.k).map(({ c }) => c);
      const moves = ordered.flatMap((c) => (c.type === 'checkbox' ? [c, c] : [c]));
      const moved = new Set<string>();
      const keyOf = (c: Control) => `${c.name}${c.boxValue === undefined ? '' : `=${c.boxValue}`}`;
      for (const initial of moves) {
        // Re-read the control: an earlier move may have changed it.
        const control = (await controls(w)).find((c) => c.name === initial.name && c.boxValue === initial.boxValue)!;
        // An inert control cannot be moved; the check after the loop names it.
        if (control.disabled) continue;
        moved.add(keyOf(control));
        const label = `${control.name}${control.boxValue ? `=${control.boxValue}` : ''} from ${control.value}`;
        const mark = api.all.length;
        const shown = await moveAndRender(page, spec, control, spec.moves?.[control.name]);
        expect(shown, `${label} moved`).not.toBe(control.value);
        const info = await widgetInfo(w);
        expect(info.state, `${label}: ${info.status}`).toBe('idle');

        const value = await groupValue(w, control);
        const inUrl = urlState(page, id)[control.name];
        expect(inUrl ?? defaults[control.name], `${label} in the page URL`).toBe(value);

        const made = api.since(mark);
        expect(made.length, `${label}: a request`).toBeGreaterThan(0);
        const expected = spec.query ? spec.query(control.name, value) : { [control.name]: value };
        const carrying = made.filter((x) => Object.entries(expected).every(([k, v]) => x.url.searchParams.get(k) === v));
        expect(carrying.length, `${label}: a request with ${JSON.stringify(expected)}, made ${made.map((x) => x.url.search).join(' ')}`).toBeGreaterThan(0);

        // The data link and the curl line name exactly the request that was made.
        info.links.forEach((link, k) => {
          expect(made.some((x) => x.url.pathname + x.url.search === link), `data link ${link}`).toBe(true);
          expect(info.curls[k]).toMatch(/^curl -s /);
          expect(info.curls[k]).toContain(`'${new URL(link, base).href}'`);
        });
        await spec.checkDrawn(w, await bodiesForLinks(w, made), 'zh-CN');
      }
      expect(all.map(keyOf).filter((k) => !moved.has(k)), 'controls never moved while enabled (order them in the spec)').toEqual([]);
      expect(problems.list).toEqual([]);
    });

    if (spec.views) {
      it('redraws from the loaded data when each view control moves, and writes it to the URL', async () => {
        const w = widget();
        const { id } = await widgetInfo(w);
        for (const view of spec.views!) {
          const control = w.locator(view.selector);
          await control.scrollIntoViewIfNeeded();
          const before = await control.inputValue();
          const mark = api.all.length;
          const type = await control.evaluate((el) => (el as HTMLInputElement).type);
          if (type === 'range') {
            await control.focus();
            const atMax = Number(before) >= Number(await control.getAttribute('max'));
            await control.press(atMax ? 'ArrowLeft' : 'ArrowRight');
          } else {
            const options = await control.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
            await control.selectOption(options[(options.indexOf(before) + 1) % options.length]);
          }
          const value = await control.inputValue();
          expect(value, `${view.key} moved`).not.toBe(before);
          await page.waitForFunction(
            ([tag, figure, attr, v]) => document.querySelector(tag)?.querySelector(figure)?.getAttribute(attr) === v,
            [spec.tag, view.figure, view.attr, value] as const,
          );
          expect(urlState(page, id)[view.key], `${view.key} in the page URL`).toBe(value);
          expect(api.since(mark).map((x) => x.url.search), `${view.key}: no request`).toEqual([]);
          await spec.checkDrawn(w, await bodiesForLinks(w, api.all), 'zh-CN');
        }
        expect(problems.list).toEqual([]);
      });
    }

    it('restores controls and figure from the page URL', async () => {
      const w = widget();
      const { id } = await widgetInfo(w);
      const state = urlState(page, id);
      expect(Object.keys(state).length, 'the previous test left a non-default state in the URL').toBeGreaterThan(0);
      const shared = page.url();
      const before = await controls(w);
      const links = (await widgetInfo(w)).links;

      const fresh = await context.newPage();
      const freshApi = recordApi(fresh);
      const freshProblems = watchProblems(fresh);
      await fresh.goto(shared);
      await waitForRender(fresh, spec.tag, 0);
      if (spec.start) {
        // The restored state is marked stale; its button trains it.
        const n = await renders(fresh, spec.tag);
        await fresh.locator(spec.tag).locator(spec.start).click();
        await waitForRender(fresh, spec.tag, n);
      }
      const fw = fresh.locator(spec.tag);
      expect(await controls(fw)).toEqual(before);
      for (const view of spec.views ?? []) {
        expect(state[view.key], `${view.key}: the previous test left it in the URL`).toBeDefined();
        expect(await fw.locator(view.selector).inputValue(), `${view.key} restored`).toBe(state[view.key]);
        expect(await fw.locator(view.figure).getAttribute(view.attr), `${view.key} drawn`).toBe(state[view.key]);
      }
      expect((await widgetInfo(fw)).links).toEqual(links);
      await spec.checkDrawn(fw, await bodiesForLinks(fw, freshApi.all), 'zh-CN');
      expect(freshProblems.list).toEqual([]);
      await fresh.close();
    });

    it('works on the English page, in English', async () => {
      const en = await context.newPage();
      const enApi = recordApi(en);
      const enProblems = watchProblems(en);
      await en.goto(`${base}/en${spec.page}`);
      await en.evaluate((tag) => customElements.whenDefined(tag), spec.tag);
      const w = en.locator(spec.tag);
      expect(await w.getAttribute('data-lang')).toBe('en');
      expect(hasHan(await w.innerText()), 'Chinese text in the English widget').toBe(false);
      const control = await firstControl(w);
      await moveAndRender(en, spec, control, spec.moves?.[control.name]);
      await spec.checkDrawn(w, await bodiesForLinks(w, enApi.all), 'en');
      expect(hasHan(await w.innerText()), 'Chinese text in the redrawn English widget').toBe(false);
      expect(enProblems.list).toEqual([]);
      await en.close();
    });

    it('is screenshotted in both themes and both languages (artifacts/screenshots)', async () => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      for (const theme of ['light', 'dark'] as Theme[]) {
        const themed = await newContext(browser, theme, { viewport: { width: 900, height: 1000 } });
        const shot = await themed.newPage();
        for (const lang of ['zh-CN', 'en'] as Lang[]) {
          await shot.goto(base + (lang === 'en' ? '/en' : '') + spec.page);
          expect(await shot.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
          const w = shot.locator(spec.tag);
          await w.scrollIntoViewIfNeeded();
          await w.screenshot({ path: join(SCREENSHOTS, `${spec.tag.slice(3)}-${lang}-${theme}.png`), animations: 'disabled' });
        }
        await themed.close();
      }
    });
  });
}

describe('gf-memory-horizon: the progress bar follows the streamed events', () => {
  const spec = specFor('gf-memory-horizon');

  it('advances from the progress events of each run and ends in the final result', async () => {
    expect(spec, 'the memory-horizon widget has a spec').toBeDefined();
    const context = await newContext(browser);
    const page = await context.newPage();
    const api = recordApi(page);
    await page.goto(base + spec!.page);
    await page.evaluate((tag) => customElements.whenDefined(tag), spec!.tag);
    // Record every value the bar shows, as it changes.
    await page.evaluate((tag) => {
      const bar = document.querySelector(tag)!.querySelector('[data-progress]')!;
      const seen: number[] = [];
      (window as unknown as { __progress: number[] }).__progress = seen;
      new MutationObserver(() => seen.push(Number(bar.getAttribute('aria-valuenow')))).observe(bar, { attributes: true, attributeFilter: ['aria-valuenow'] });
    }, spec!.tag);
    const before = await renders(page, spec!.tag);
    await page.locator(spec!.tag).locator(spec!.start!).click();
    await waitForRender(page, spec!.tag, before, 300_000);

    const seen = await page.evaluate(() => (window as unknown as { __progress: number[] }).__progress);
    const bar = await page.locator(spec!.tag).locator('[data-progress]').evaluate((el) => ({
      now: Number(el.getAttribute('aria-valuenow')),
      max: Number(el.getAttribute('aria-valuemax')),
      complete: el.getAttribute('data-complete'),
    }));
    const { links } = await widgetInfo(page.locator(spec!.tag));
    const runs = api.all.filter((x) => x.url.pathname === '/api/v1/train' && x.status === 200);
    expect(runs.map((x) => x.url.pathname + x.url.search)).toEqual(links);
    for (const run of runs) expect(run.response.headers()['content-type']).toMatch(/text\/event-stream/);
    const steps = Number(runs[0].url.searchParams.get('steps'));
    expect(bar.max).toBe(links.length * steps);
    expect(bar.now).toBe(bar.max);
    expect(bar.complete).toBe('true');

    // Each value the bar showed is a streamed event's step (offset by the runs before it), the
    // bar never went back, and it showed steps inside runs, not only run boundaries.
    const streamed = new Set<number>([0]);
    for (const [k, run] of runs.entries()) {
      const events = sseEvents(await run.response.text());
      expect(events.at(-1)?.event).toBe('result');
      for (const e of events) if (e.event === 'progress') streamed.add(k * steps + (e.data as { step: number }).step);
      streamed.add((k + 1) * steps);
    }
    expect(seen.length).toBeGreaterThan(links.length);
    for (const value of seen) expect(streamed.has(value), `bar value ${value} comes from a streamed event`).toBe(true);
    for (let k = 1; k < seen.length; k++) expect(seen[k], 'the bar never goes back').toBeGreaterThanOrEqual(seen[k - 1]);
    expect(seen.filter((v) => v % steps !== 0).length, 'values between run boundaries').toBeGreaterThan(0);

    await spec!.checkDrawn(page.locator(spec!.tag), await Promise.all(runs.map((r) => r.json())), 'zh-CN');
    await context.close();
  });
});
