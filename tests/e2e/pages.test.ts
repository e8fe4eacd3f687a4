// Every page of the site in Chromium, in both locales: loads without console errors or failed
// requests, the language switcher lands on the same page, Chinese renders in a CJK font, and at
// 360×740 nothing scrolls sideways and every widget still works, every control on screen and
// large enough to touch.
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  launchBrowser, newContext, sitePages, watchProblems, type Problems, type SitePage,
} from '../support/browser.ts';
import { recordApi } from '../support/drawn.ts';
import { widgetInfo } from '../support/widgets.ts';
import { WIDGETS, firstControl, moveAndRender } from './widget-specs.ts';

const base = inject('baseUrl');
const assetsDir = inject('assetsDir');
const PAGES = sitePages(assetsDir);
const MOBILE = { width: 360, height: 740 };

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('the page list', () => {
  it('has the home page and six tutorial pages in each locale, each page in both', () => {
    for (const lang of ['zh-CN', 'en']) {
      const mine = PAGES.filter((p) => p.lang === lang).map((p) => p.slug);
      expect(mine).toContain('/');
      expect(mine.filter((s) => s.startsWith('/tutorial/')).length).toBe(6);
    }
    const zh = PAGES.filter((p) => p.lang === 'zh-CN').map((p) => p.slug);
    const en = PAGES.filter((p) => p.lang === 'en').map((p) => p.slug);
    expect(en).toEqual(zh);
  });
});

describe('every page, both locales', () => {
  let context: BrowserContext;
  let page: Page;
  let problems: Problems;
  beforeAll(async () => {
    context = await newContext(browser);
    page = await context.newPage();
    problems = watchProblems(page);
  });
  afterAll(async () => {
    await context?.close();
  });

  async function open(path: string, lang: string): Promise<void> {
    await page.waitForLoadState('networkidle');
    expect(new URL(page.url()).pathname).toBe(path);
    expect(await page.getAttribute('html', 'lang')).toBe(lang);
    expect((await page.locator('h1').first().innerText()).trim().length, `${path}: a title`).toBeGreaterThan(0);
    expect(problems.list, path).toEqual([]);
  }

  async function switchLanguage(to: string): Promise<void> {
    const select = page.locator('starlight-lang-select select').filter({ visible: true }).first();
    await Promise.all([page.waitForURL((url) => url.pathname === to), select.selectOption(to)]);
  }

  // Each Chinese page, its English twin through the switcher, and back: every page loads, and
  // the switcher keeps the page both ways.
  for (const zh of PAGES.filter((p) => p.lang === 'zh-CN')) {
    const en = `/en${zh.slug}`;
    it(`${zh.path} and ${en}: load without console errors or failed requests; the switcher keeps the page`, async () => {
      problems.clear();
      const res = await page.goto(base + zh.path);
      expect(res?.status()).toBe(200);
      await open(zh.path, 'zh-CN');
      await switchLanguage(en);
      await open(en, 'en');
      await switchLanguage(zh.path);
      await open(zh.path, 'zh-CN');
    });
  }

  // A missing page answers 404 with the site's 404 page. That status (and Chromium's console line
  // for it) is the expected answer; any other console error or failed request is a failure.
  for (const missing of ['/no-such-page/', '/en/no-such-page/']) {
    it(`${missing}: the 404 page, with no console errors or failed requests besides its own status`, async () => {
      problems.clear();
      const res = await page.goto(base + missing);
      expect(res?.status()).toBe(404);
      await page.waitForLoadState('networkidle');
      expect(new URL(page.url()).pathname).toBe(missing);
      expect((await page.locator('h1').first().innerText()).trim().length, 'a title').toBeGreaterThan(0);
      const own = new Set([
        `HTTP 404: ${base}${missing}`,
        `console error: Failed to load resource: the server responded with a status of 404 (Not Found) (${base}${missing})`,
      ]);
      expect(problems.list.filter((p) => !own.has(p)), missing).toEqual([]);
      expect(problems.list, 'the 404 status itself was seen').toContain(`HTTP 404: ${base}${missing}`);
    });
  }
});

/** Platform fonts Chromium used for the text inside the first element matching a selector. */
async function platformFonts(page: Page, selector: string): Promise<{ familyName: string; glyphCount: number }[]> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
  const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
  expect(nodeId, `an element ${selector}`).toBeGreaterThan(0);
  const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
  await cdp.detach();
  return fonts;
}

describe('Chinese text renders in a CJK font', () => {
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    context = await newContext(browser);
    page = await context.newPage();
  });
  afterAll(async () => {
    await context?.close();
  });

  // The home page has no widget; the tutorial page's figures draw Chinese axis labels in SVG.
  for (const [path, selectors] of [
    ['/', ['h1, h2, h3', 'main p']],
    ['/tutorial/03-vanishing-gradient/', ['h1, h2, h3', 'main p', '[data-widget] svg text']],
  ] as const) {
    it(`${path}: ${selectors.length === 3 ? 'the title, a paragraph and chart text use' : 'the title and a paragraph use'} Noto CJK glyphs`, async () => {
      await page.goto(base + path);
      await page.evaluate(() => document.fonts.ready);
      // Mark the first heading, paragraph (and chart text) of the content that contain Han characters.
      const marked = await page.evaluate((selectors) =>
        selectors.map((selector, k) => {
          // Only a drawn element has platform fonts: skip hidden ones (e.g. the collapsed mobile table of contents).
          const el = Array.from(document.querySelectorAll(selector)).find(
            (e) => /\p{Script=Han}{2}/u.test(e.textContent ?? '') && e.getClientRects().length > 0 && e.checkVisibility(),
          );
          el?.setAttribute('data-cjk-probe', String(k));
          return !!el;
        }),
        [...selectors],
      );
      expect(marked, `Chinese text in each of ${selectors.join(' | ')}`).toEqual(selectors.map(() => true));
      for (const selector of selectors.map((_, k) => `[data-cjk-probe="${k}"]`)) {
        const fonts = await platformFonts(page, selector);
        const cjk = fonts.filter((f) => /Noto (Sans|Serif)( Mono)? CJK/i.test(f.familyName));
        expect(cjk.length, `${selector} fonts: ${JSON.stringify(fonts)}`).toBeGreaterThan(0);
        const han = await page.locator(selector).first().evaluate((el) => (el.textContent?.match(/\p{Script=Han}/gu) ?? []).length);
        const cjkGlyphs = cjk.reduce((n, f) => n + f.glyphCount, 0);
        expect(cjkGlyphs, `${selector}: every Han character drawn by Noto CJK`).toBeGreaterThanOrEqual(han);
      }
    });
  }
});

/** Horizontal overflow of the page: how far the document is wider than the viewport. */
function sidewaysScroll(page: Page): Promise<{ scrollWidth: number; clientWidth: number; widest: string }> {
  return page.evaluate(() => {
    const el = document.scrollingElement!;
    // For the failure message: the element sticking out furthest to the right.
    let widest = '';
    let right = el.clientWidth;
    for (const node of Array.from(document.body.querySelectorAll('*'))) {
      const r = node.getBoundingClientRect().right;
      if (r > right + 1) {
        right = r;
        widest = `${node.localName}${node.id ? `#${node.id}` : ''}.${String(node.className).split(' ')[0]} (${Math.round(r)}px)`;
      }
    }
    return { scrollWidth: el.scrollWidth, clientWidth: el.clientWidth, widest };
  });
}

describe('mobile, 360×740', () => {
  let context: BrowserContext;
  let page: Page;
  let problems: Problems;
  beforeAll(async () => {
    context = await newContext(browser, 'light', { viewport: MOBILE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    page = await context.newPage();
    problems = watchProblems(page);
  });
  afterAll(async () => {
    await context?.close();
  });

  for (const p of PAGES as SitePage[]) {
    it(`${p.path} does not scroll sideways`, async () => {
      await page.goto(base + p.path);
      const { scrollWidth, clientWidth, widest } = await sidewaysScroll(page);
      expect(scrollWidth, `page wider than the screen; widest element: ${widest}`).toBeLessThanOrEqual(clientWidth);
    });
  }

  for (const spec of WIDGETS) {
    for (const prefix of ['', '/en']) {
      it(`${spec.tag} on ${prefix}${spec.page} is usable: fits the screen, a control redraws the figure`, async () => {
        problems.clear();
        const api = recordApi(page);
        await page.goto(base + prefix + spec.page);
        await page.evaluate((tag) => customElements.whenDefined(tag), spec.tag);
        const w = page.locator(spec.tag);
        await w.scrollIntoViewIfNeeded();
        const box = await w.boundingBox();
        expect(box!.x).toBeGreaterThanOrEqual(0);
        expect(box!.x + box!.width).toBeLessThanOrEqual(MOBILE.width);
        await expectAllTouchable(w);
        const control = await firstControl(w);
        await moveAndRender(page, spec, control, spec.moves?.[control.name]);
        const { links } = await widgetInfo(w);
        const bodies = await Promise.all(
          links.map((link) => api.all.filter((x) => x.url.pathname + x.url.search === link).at(-1)!.json()),
        );
        await spec.checkDrawn(w, bodies, prefix ? 'en' : 'zh-CN');
        const text = await smallestChartText(w);
        expect(text.sample, 'the figure has visible chart text').not.toBe('');
        expect(text.size, `chart text ${JSON.stringify(text.sample)} is drawn ${text.size} px high`).toBeGreaterThanOrEqual(MIN_TEXT_PX);
        expect((await sidewaysScroll(page)).scrollWidth).toBeLessThanOrEqual(MOBILE.width);
        expect(problems.list).toEqual([]);
      });
    }
  }
});

/**
 * Smallest chart text a reader sees, in CSS px: a text's font size times the factor its SVG is
 * scaled by (drawn width / viewBox width). A 640-px figure squeezed into a phone's ~300-px column
 * draws Plot's 10-px labels under 5 px; the widgets redraw at the column's width instead.
 */
const MIN_TEXT_PX = 7.5;
async function smallestChartText(widget: Locator): Promise<{ size: number; sample: string }> {
  return widget.evaluate((root) => {
    let size = Infinity;
    let sample = '';
    for (const text of Array.from(root.querySelectorAll<SVGTextElement>('[data-figure] svg text'))) {
      if (!text.getClientRects().length || !text.textContent?.trim()) continue;
      const svg = text.ownerSVGElement!;
      const box = svg.viewBox.baseVal;
      const scale = box && box.width ? svg.getBoundingClientRect().width / box.width : 1;
      const px = parseFloat(getComputedStyle(text).fontSize) * scale;
      if (px < size) [size, sample] = [Math.round(px * 100) / 100, text.textContent.trim()];
    }
    return { size, sample };
  });
}

/** WCAG 2.5.8 (target size, minimum): 24 × 24 CSS px. */
const MIN_TARGET_PX = 24;

/**
 * Every control of the widget (form and view controls, shown buttons, the panels' summaries, and
 * what the opened panels hold) lies within the screen's width and is at least MIN_TARGET_PX in
 * its smaller dimension. A checkbox's target includes its label (a tap on it toggles the box).
 */
async function expectAllTouchable(widget: Locator): Promise<void> {
  await widget.locator('details').evaluateAll((all) => all.forEach((d) => ((d as HTMLDetailsElement).open = true)));
  const targets = await widget.evaluate((root) =>
    Array.from(root.querySelectorAll<HTMLInputElement>('input, select, button:not([hidden]), summary'))
      .filter((el) => el.type !== 'hidden' && el.getClientRects().length > 0)
      .map((el) => {
        const boxes = [el, ...(el.type === 'checkbox' || el.type === 'radio' ? Array.from(el.labels ?? []) : [])].map((e) => e.getBoundingClientRect());
        const left = Math.min(...boxes.map((b) => b.left));
        const right = Math.max(...boxes.map((b) => b.right));
        const top = Math.min(...boxes.map((b) => b.top));
        const bottom = Math.max(...boxes.map((b) => b.bottom));
        const what = `${el.localName}${el.name ? `[name=${el.name}]` : ''}${el.dataset.view ? `[data-view=${el.dataset.view}]` : ''}${el.type === 'checkbox' ? `[value=${el.value}]` : ''} ${el.textContent?.trim().slice(0, 20) ?? ''}`;
        return { what, left, right, width: right - left, height: bottom - top };
      }),
  );
  expect(targets.length, 'controls').toBeGreaterThan(0);
  const problems: string[] = [];
  for (const t of targets) {
    if (t.left < 0 || t.right > MOBILE.width) problems.push(`${t.what}: off screen (${Math.round(t.left)}–${Math.round(t.right)} px)`);
    if (Math.min(t.width, t.height) < MIN_TARGET_PX) problems.push(`${t.what}: ${Math.round(t.width * 10) / 10} × ${Math.round(t.height * 10) / 10} px`);
  }
  expect(problems, `controls off screen or under ${MIN_TARGET_PX} px`).toEqual([]);
  await widget.locator('details').evaluateAll((all) => all.forEach((d) => ((d as HTMLDetailsElement).open = false)));
}
