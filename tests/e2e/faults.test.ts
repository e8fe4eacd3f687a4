// Widgets under API faults (issue 6): API unreachable, 429 with Retry-After, 422 over budget,
// a 5xx, a truncated body and a foreign body. Each must give a clear message in the page's
// language, keep the last good figure readable, offer a retry, and recover once the API is back.
import type { Browser, BrowserContext, Locator, Page, Route } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { hasHan, launchBrowser, newContext, renders, waitForRender, type Lang } from '../support/browser.ts';
import { recordApi, type ApiLog } from '../support/drawn.ts';
import { controls, moveControl, widgetInfo } from '../support/widgets.ts';
import { WIDGETS } from './widget-specs.ts';

const base = inject('baseUrl');

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const RETRY_AFTER_SECONDS = '17';
/** Shortest message that can say what happened (characters). */
const MIN_MESSAGE_ZH = 4;
const MIN_MESSAGE_EN = 10;

function problem(status: number, title: string, extra: Record<string, unknown> = {}) {
  return {
    status,
    headers: { 'Content-Type': 'application/problem+json', 'Cache-Control': 'no-store' },
    body: JSON.stringify({ type: 'about:blank', title, status, ...extra }),
  };
}

interface Fault {
  name: string;
  /** Messages of faults in the same group may be equal; different groups must differ. */
  group: string;
  handle(route: Route): Promise<void>;
  check?(message: string): void;
}

const FAULTS: Fault[] = [
  { name: 'API unreachable', group: 'network', handle: (route) => route.abort('connectionrefused') },
  {
    name: '429 with Retry-After',
    group: 'rate-limit',
    handle: (route) =>
      route.fulfill(
        (() => {
          const p = problem(429, 'Too Many Requests', { detail: `Too many requests; retry after ${RETRY_AFTER_SECONDS} seconds.` });
          return { ...p, headers: { ...p.headers, 'Retry-After': RETRY_AFTER_SECONDS } };
        })(),
      ),
    check: (message) => expect.soft(message, 'the 429 message says when to retry').toContain(RETRY_AFTER_SECONDS),
  },
  {
    name: '422 over budget',
    group: 'budget',
    handle: (route) => route.fulfill(problem(422, 'Over the compute budget', { detail: 'cost 90000000 > budget 60000000', cost: 90_000_000, budget: 60_000_000 })),
  },
  { name: '503 from the server', group: 'server', handle: (route) => route.fulfill(problem(503, 'Service Unavailable')) },
  {
    name: 'a truncated body',
    group: 'malformed',
    handle: async (route) => {
      const real = await route.fetch();
      const text = await real.text();
      await route.fulfill({ response: real, body: text.slice(0, Math.floor(text.length / 2)) });
    },
  },
  {
    name: 'a well-formed body of the wrong shape',
    group: 'malformed',
    handle: (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '{"hello":"world"}' }),
  },
];

/** A message a reader can act on: not empty, not an untranslated key, in the page's language. */
function expectClearMessage(message: string, lang: Lang, fault: string): void {
  expect.soft(message.trim().length, `${fault}: a message`).toBeGreaterThanOrEqual(lang === 'en' ? MIN_MESSAGE_EN : MIN_MESSAGE_ZH);
  expect.soft(message, `${fault}: an untranslated string key`).not.toMatch(/\berror[A-Z]\w*|gradflow\.widget\.|undefined|\[object/);
  if (lang === 'zh-CN') expect.soft(hasHan(message), `${fault}: "${message}" is not Chinese`).toBe(true);
  else {
    expect.soft(hasHan(message), `${fault}: "${message}" is not English`).toBe(false);
    expect.soft(message).toMatch(/[a-z]{3,}/i);
  }
}

async function waitForState(page: Page, tag: string, state: string): Promise<void> {
  await page.waitForFunction(
    ([t, s]) => {
      const el = document.querySelector(t as string);
      return el?.getAttribute('data-state') === s && !el.hasAttribute('aria-busy');
    },
    [tag, state] as const,
    { timeout: 60_000 },
  );
}

for (const spec of WIDGETS) {
  for (const lang of ['zh-CN', 'en'] as Lang[]) {
    describe(`${spec.tag} (${lang}) under API faults`, () => {
      let context: BrowserContext;
      let page: Page;
      let api: ApiLog;
      const uncaught: string[] = [];
      const widget = (): Locator => page.locator(spec.tag);
      const messages = new Map<string, string>();
      let lastGood: unknown[] = [];

      beforeAll(async () => {
        context = await newContext(browser);
        page = await context.newPage();
        api = recordApi(page);
        page.on('pageerror', (err) => uncaught.push(err.message));
        await page.goto(base + (lang === 'en' ? '/en' : '') + spec.page);
        await page.evaluate((tag) => customElements.whenDefined(tag), spec.tag);
        const { links } = await widgetInfo(widget());
        lastGood = await Promise.all(links.map(async (link) => (await fetch(base + link)).json()));
      });
      afterAll(async () => {
        await context?.close();
      });
      // A failed test must not leave its fault installed or the widget in error for the next one.
      afterEach(async () => {
        await page.unrouteAll({ behavior: 'ignoreErrors' });
        if ((await widget().getAttribute('data-state')) === 'error') {
          await widget().locator('[data-retry]').click();
          await waitForState(page, spec.tag, 'idle');
        }
      });

      for (const fault of FAULTS) {
        it(`${fault.name}: a clear message, the last figure kept, and a working retry`, async () => {
          const w = widget();
          let faulted = 0;
          await page.route('**/api/v1/**', (route) => {
            faulted++;
            return fault.handle(route);
          });
          const control = (await controls(w)).find((c) => !c.disabled && (c.type === 'range' || c.type === 'select-one'))!;
          expect(control, 'a range or select control to move').toBeDefined();
          await moveControl(w, control, undefined);
          if (spec.start) await w.locator(spec.start).click();
          await page.waitForFunction((t) => document.querySelector(t)?.hasAttribute('aria-busy'), spec.tag).catch(() => {});
          await waitForState(page, spec.tag, 'error');
          expect(faulted, 'the faulty request was made').toBeGreaterThan(0);

          const info = await widgetInfo(w);
          messages.set(fault.group, info.status);
          // Soft: a poor message is reported, and the rest (figure kept, retry) is still checked.
          expectClearMessage(info.status, lang, fault.name);
          fault.check?.(info.status);
          expect(info.retryHidden, 'the retry button is shown').toBe(false);
          expect(await w.locator('[data-status]').getAttribute('role')).toBe('status');
          // The page stays readable: the previous figure and its table are still drawn.
          await spec.checkDrawn(w, lastGood, lang);
          expect(await page.locator('main h1').first().isVisible()).toBe(true);

          await page.unrouteAll({ behavior: 'wait' });
          const mark = api.all.length;
          const before = await renders(page, spec.tag);
          await w.locator('[data-retry]').click();
          await waitForRender(page, spec.tag, before);
          const after = await widgetInfo(w);
          expect(after.state).toBe('idle');
          expect(after.retryHidden, 'the retry button goes away').toBe(true);
          const made = api.since(mark).filter((x) => x.status === 200);
          lastGood = await Promise.all(
            after.links.map((link) => {
              const x = made.filter((m) => m.url.pathname + m.url.search === link).at(-1);
              expect(x, `retry requested ${link}`).toBeDefined();
              return x!.json();
            }),
          );
          await spec.checkDrawn(w, lastGood, lang);
          expect(uncaught).toEqual([]);
        });
      }

      it('tells the faults apart', () => {
        const groups = [...messages.keys()];
        expect(groups.length).toBe(new Set(FAULTS.map((f) => f.group)).size);
        const texts = new Set(messages.values());
        expect(texts.size, `one message per kind of fault: ${JSON.stringify(Object.fromEntries(messages))}`).toBe(groups.length);
      });
    });
  }
}

// Controls set to a state the API would refuse (a seed outside 0..2³²−1, no cell chosen): the
// widget says what is wrong in the page's language without asking the API, offers no Retry (a
// retry cannot help; changing the control does), keeps the last figure, and draws again once the
// control is fixed.
const INVALID_STATES: { tag: string; name: string; set(w: Locator): Promise<void>; fix(w: Locator): Promise<void>; says: RegExp }[] = [
  ...WIDGETS.filter((spec) => spec.tag !== 'gf-cost').flatMap((spec) =>
    ['-1', '4294967296'].map((seed) => ({
      tag: spec.tag,
      name: `seed ${seed}`,
      set: (w: Locator) => w.locator('[data-controls] [name="seed"]').fill(seed),
      fix: (w: Locator) => w.locator('[data-controls] [name="seed"]').fill('7'),
      says: /4294967295/,
    })),
  ),
  {
    tag: 'gf-gradient-flow',
    name: 'no cell chosen',
    // All boxes at once, as one change: unchecking them one by one passes through valid states.
    set: (w) =>
      w.evaluate((el) => {
        const boxes = Array.from(el.querySelectorAll<HTMLInputElement>('[data-controls] [name="cells"]'));
        for (const box of boxes) box.checked = false;
        boxes[0].dispatchEvent(new Event('change', { bubbles: true }));
      }),
    fix: (w) => w.locator('[data-controls] [name="cells"][value="lstm"]').check(),
    says: /单元|cell/,
  },
];

for (const lang of ['zh-CN', 'en'] as Lang[]) {
  describe(`invalid control states (${lang}): a message, no request, no retry`, () => {
    let context: BrowserContext;
    let page: Page;
    let api: ApiLog;
    beforeAll(async () => {
      context = await newContext(browser);
      page = await context.newPage();
      api = recordApi(page);
    });
    afterAll(async () => {
      await context?.close();
    });

    for (const c of INVALID_STATES) {
      const spec = WIDGETS.find((s) => s.tag === c.tag)!;
      it(`${c.tag}: ${c.name}`, async () => {
        const uncaught: string[] = [];
        page.on('pageerror', (err) => uncaught.push(err.message));
        await page.goto(base + (lang === 'en' ? '/en' : '') + spec.page);
        await page.evaluate((tag) => customElements.whenDefined(tag), spec.tag);
        const w = page.locator(spec.tag);
        const { links } = await widgetInfo(w);
        const shown = await Promise.all(links.map(async (link) => (await fetch(base + link)).json()));
        const mark = api.all.length;
        await c.set(w);
        await waitForState(page, spec.tag, 'invalid');
        const info = await widgetInfo(w);
        expectClearMessage(info.status, lang, c.name);
        expect(info.status).toMatch(c.says);
        expect(info.retryHidden, 'no retry for a state only a control can fix').toBe(true);
        expect(api.since(mark).map((x) => x.url.pathname + x.url.search), 'no request for an invalid state').toEqual([]);
        await spec.checkDrawn(w, shown, lang);

        const before = await renders(page, spec.tag);
        await c.fix(w);
        await waitForRender(page, spec.tag, before);
        expect((await widgetInfo(w)).state).toBe('idle');
        expect(uncaught).toEqual([]);
      });
    }
  });
}
