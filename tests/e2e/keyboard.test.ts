// Keyboard only: from the top of the page, Tab reaches every control of every widget (its form,
// any view controls inside the figure, its shown buttons and the summaries of its panels), each
// shows a visible focus indicator, and each is operable from the keyboard (arrows for ranges,
// selects and numbers, Space for checkboxes, Enter and Space for summaries and the Train button).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, newContext } from '../support/browser.ts';
import { WIDGETS } from './widget-specs.ts';

const base = inject('baseUrl');
/** Tab presses allowed to get from the top of the page through the widget. */
const MAX_TABS = 400;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

interface Focused {
  /** The data-kb mark operable() gave the element ('' when it has none). */
  probe: string;
  inWidget: boolean;
  what: string;
  indicator: string;
}

/** What has focus now, and how its focus is shown (outline or box-shadow). */
function focused(page: Page, tag: string): Promise<Focused> {
  return page.evaluate((t) => {
    const el = document.activeElement as HTMLElement | null;
    const widget = document.querySelector(t);
    if (!el || el === document.body) return { probe: '', inWidget: false, what: '', indicator: '' };
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0 ? `outline ${style.outlineWidth} ${style.outlineStyle}` : '';
    const shadow = style.boxShadow !== 'none' ? `box-shadow ${style.boxShadow}` : '';
    const what = `${el.localName}[${(el as HTMLInputElement).name ?? ''}] ${el.textContent?.trim().slice(0, 20) ?? ''}`;
    return { probe: el.getAttribute('data-kb') ?? '', inWidget: !!widget?.contains(el), what, indicator: outline || shadow };
  }, tag);
}

interface Operable {
  probe: string;
  tag: string;
  type: string;
  what: string;
  train: boolean;
}

/**
 * Every keyboard-operable control shown inside the widget: named form controls, view controls,
 * buttons not hidden and the summaries of its panels. Each is marked data-kb="<k>".
 */
function operable(page: Page, tag: string): Promise<Operable[]> {
  return page.evaluate((t) => {
    const widget = document.querySelector(t)!;
    return Array.from(widget.querySelectorAll<HTMLInputElement>('input, select, button:not([hidden]), summary'))
      .filter((el) => !el.disabled && el.type !== 'hidden' && el.checkVisibility())
      .map((el, k) => {
        el.setAttribute('data-kb', String(k));
        const what = `${el.localName}[${el.name ?? ''}]${el.dataset.view ? `[data-view=${el.dataset.view}]` : ''}${el.type === 'checkbox' ? `[value=${el.value}]` : ''} ${el.textContent?.trim().slice(0, 20) ?? ''}`;
        return { probe: String(k), tag: el.localName, type: el.type ?? '', what, train: el.matches('[data-train]') };
      });
  }, tag);
}

/** Tabs from the top of the page through the widget; what had focus inside it, in order. */
async function tabThrough(page: Page, tag: string): Promise<Focused[]> {
  await page.locator('body').focus();
  const reached: Focused[] = [];
  let entered = false;
  for (let k = 0; k < MAX_TABS; k++) {
    await page.keyboard.press('Tab');
    const f = await focused(page, tag);
    if (f.inWidget) {
      entered = true;
      reached.push(f);
    } else if (entered) break;
  }
  expect(entered, `Tab never reached ${tag} in ${MAX_TABS} presses`).toBe(true);
  return reached;
}

/** The widget's progress bar shows a run under way (memory horizon: training started). */
function runStarted(page: Page, tag: string): Promise<unknown> {
  return page.waitForFunction((t) => {
    const w = document.querySelector(t);
    const bar = w?.querySelector<HTMLElement>('[data-progress]');
    return w?.getAttribute('data-state') === 'loading' && !!bar && Number(bar.dataset.run) >= 1;
  }, tag);
}

for (const spec of WIDGETS) {
  describe(`${spec.tag}, keyboard only`, () => {
    let context: BrowserContext;
    let page: Page;
    beforeAll(async () => {
      context = await newContext(browser);
      page = await context.newPage();
    });
    afterAll(async () => {
      await context?.close();
    });

    it('Tab reaches every control, each with a visible focus indicator, and the keys operate it', async () => {
      await page.goto(base + spec.page);
      await page.evaluate((tag) => customElements.whenDefined(tag), spec.tag);
      // Panels open, so that Tab must also reach what they hold (the curl line's copy button).
      await page.locator(spec.tag).locator('details').evaluateAll((all) => all.forEach((d) => ((d as HTMLDetailsElement).open = true)));
      const wanted = await operable(page, spec.tag);
      expect(wanted.length).toBeGreaterThan(0);
      expect(wanted.filter((c) => c.tag === 'button' && !c.train).length, 'the copy button of the opened data panel').toBeGreaterThan(0);
      expect(wanted.filter((c) => c.tag === 'summary').length, 'the panels\u2019 summaries').toBeGreaterThan(0);
      const reached = await tabThrough(page, spec.tag);
      const reachedProbes = reached.map((f) => f.probe);
      for (const c of wanted) expect(reachedProbes, `Tab reaches ${c.what}`).toContain(c.probe);
      for (const f of reached) expect(f.indicator, `focus indicator on ${f.what}`).not.toBe('');

      // Operate each control with the keyboard only: its value or state must change.
      for (const c of wanted.filter((w) => w.tag === 'input' || w.tag === 'select')) {
        const control = page.locator(spec.tag).locator(`[data-kb="${c.probe}"]`);
        // An earlier key press may have made it inert (clipping: the activation of an LSTM).
        if (await control.isDisabled()) continue;
        await control.focus();
        const read = () => control.evaluate((el) => ((el as HTMLInputElement).type === 'checkbox' ? String((el as HTMLInputElement).checked) : (el as HTMLInputElement).value));
        const before = await read();
        if (c.type === 'checkbox') await page.keyboard.press('Space');
        else {
          await page.keyboard.press(c.type === 'range' || c.type === 'number' ? 'ArrowUp' : 'ArrowDown');
          // At the top of its range a control moves the other way.
          if ((await read()) === before) await page.keyboard.press(c.type === 'range' || c.type === 'number' ? 'ArrowDown' : 'ArrowUp');
        }
        // The widget may disable it a debounce later, in reaction to an earlier key press.
        if ((await read()) === before && (await control.isDisabled())) continue;
        expect(await read(), `${c.what} operated from the keyboard`).not.toBe(before);
      }

      // Enter toggles a panel's details, Space toggles it back.
      for (const c of wanted.filter((w) => w.tag === 'summary')) {
        const summary = page.locator(spec.tag).locator(`[data-kb="${c.probe}"]`);
        const open = () => summary.evaluate((el) => (el.parentElement as HTMLDetailsElement).open);
        const before = await open();
        await summary.focus();
        await page.keyboard.press('Enter');
        expect(await open(), `Enter on ${c.what}`).toBe(!before);
        await page.keyboard.press('Space');
        expect(await open(), `Space on ${c.what}`).toBe(before);
      }
    });

    if (spec.start) {
      for (const key of ['Enter', 'Space']) {
        it(`${key} on the Train button starts a run: the progress bar moves`, async () => {
          await page.goto(base + spec.page);
          await page.evaluate((tag) => customElements.whenDefined(tag), spec.tag);
          const train = (await operable(page, spec.tag)).filter((c) => c.train);
          expect(train.length, 'a Train button').toBe(1);
          const reached = await tabThrough(page, spec.tag);
          expect(reached.map((f) => f.probe), 'Tab reaches the Train button').toContain(train[0].probe);
          await page.locator(spec.tag).locator(`[data-kb="${train[0].probe}"]`).focus();
          expect(await page.getAttribute(spec.tag, 'data-state')).not.toBe('loading');
          await page.keyboard.press(key);
          await runStarted(page, spec.tag);
          // Leave the page: its run stops with it.
          await page.goto('about:blank');
        });
      }
    }
  });
}
