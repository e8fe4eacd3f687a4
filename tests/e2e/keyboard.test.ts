// Keyboard only: from the top of the page, Tab reaches every control of every widget (its form
// and any view controls inside the figure), each shows a visible focus indicator, and each is
// operable from the keyboard (arrows for ranges, selects and numbers, Space for checkboxes).
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
  key: string;
  inWidget: boolean;
  tag: string;
  type: string;
  indicator: string;
}

/** What has focus now, and how its focus is shown (outline or box-shadow). */
function focused(page: Page, tag: string): Promise<Focused> {
  return page.evaluate((t) => {
    const el = document.activeElement as HTMLElement | null;
    const widget = document.querySelector(t);
    if (!el || el === document.body) return { key: '', inWidget: false, tag: '', type: '', indicator: '' };
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0 ? `outline ${style.outlineWidth} ${style.outlineStyle}` : '';
    const shadow = style.boxShadow !== 'none' ? `box-shadow ${style.boxShadow}` : '';
    const input = el as HTMLInputElement;
    const key = `${el.localName}|${input.name ?? ''}|${el.dataset.view ?? ''}|${input.type === 'checkbox' ? input.value : ''}|${el.textContent?.trim().slice(0, 20) ?? ''}`;
    return { key, inWidget: !!widget?.contains(el), tag: el.localName, type: input.type ?? '', indicator: outline || shadow };
  }, tag);
}

/** Every keyboard-operable control inside the widget (named form controls and view controls). */
function operable(page: Page, tag: string): Promise<string[]> {
  return page.evaluate((t) => {
    const widget = document.querySelector(t)!;
    return Array.from(widget.querySelectorAll<HTMLInputElement>('input, select'))
      .filter((el) => !el.disabled && el.type !== 'hidden' && el.getClientRects().length > 0)
      .map((el) => `${el.localName}|${el.name ?? ''}|${el.dataset.view ?? ''}|${el.type === 'checkbox' ? el.value : ''}|`);
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
      const wanted = await operable(page, spec.tag);
      expect(wanted.length).toBeGreaterThan(0);
      await page.locator('body').focus();
      const reached: Focused[] = [];
      let entered = false;
      for (let k = 0; k < MAX_TABS; k++) {
        await page.keyboard.press('Tab');
        const f = await focused(page, spec.tag);
        if (f.inWidget) {
          entered = true;
          reached.push(f);
        } else if (entered) break;
      }
      expect(entered, `Tab never reached ${spec.tag} in ${MAX_TABS} presses`).toBe(true);
      const reachedKeys = reached.map((f) => f.key.split('|').slice(0, 4).join('|') + '|');
      for (const key of wanted) expect(reachedKeys, `Tab reaches ${key}`).toContain(key);
      for (const f of reached) expect(f.indicator, `focus indicator on ${f.key}`).not.toBe('');

      // Operate each control with the keyboard only: its value or state must change.
      for (const key of wanted) {
        const [tag, name, view, boxValue] = key.split('|');
        const selector = view
          ? `${tag}[data-view="${view}"]`
          : `${tag}[name="${name}"]${boxValue ? `[value="${boxValue}"]` : ''}`;
        const control = page.locator(spec.tag).locator(selector).first();
        // An earlier key press may have made it inert (clipping: the activation of an LSTM).
        if (await control.isDisabled()) continue;
        await control.focus();
        const type = await control.evaluate((el) => (el as HTMLInputElement).type);
        const read = () => control.evaluate((el) => ((el as HTMLInputElement).type === 'checkbox' ? String((el as HTMLInputElement).checked) : (el as HTMLInputElement).value));
        const before = await read();
        if (type === 'checkbox') await page.keyboard.press('Space');
        else {
          await page.keyboard.press(type === 'range' || type === 'number' ? 'ArrowUp' : 'ArrowDown');
          // At the top of its range a control moves the other way.
          if ((await read()) === before) await page.keyboard.press(type === 'range' || type === 'number' ? 'ArrowDown' : 'ArrowUp');
        }
        // The widget may disable it a debounce later, in reaction to an earlier key press.
        if ((await read()) === before && (await control.isDisabled())) continue;
        expect(await read(), `${selector} operated from the keyboard`).not.toBe(before);
      }
    });
  });
}
