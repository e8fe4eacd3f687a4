// Driving a widget (a gf-* custom element built on site/src/lib/widget.ts) the way a reader
// does, and reading its state back: controls, URL state, data links, status.
import type { Locator, Page } from 'playwright-core';

export interface Control {
  name: string;
  type: string; // 'range' | 'number' | 'checkbox' | 'select-one' | ...
  value: string;
  /** For checkboxes: the box's own value; `value` is then the checked state ('true'/'false'). */
  boxValue?: string;
  min?: string;
  max?: string;
  step?: string;
  options?: string[];
  disabled: boolean;
}

/** Every named, enabled control of the widget's form, in document order (one entry per checkbox). */
export function controls(widget: Locator): Promise<Control[]> {
  return widget.locator('[data-controls]').evaluate((form) =>
    (Array.from((form as HTMLFormElement).elements) as (HTMLInputElement | HTMLSelectElement)[])
      .filter((el) => !!el.name)
      .map((el): Control => {
        if (el instanceof HTMLSelectElement) {
          return { name: el.name, type: el.type, value: el.value, options: Array.from(el.options).map((o) => o.value), disabled: el.disabled };
        }
        if (el.type === 'checkbox' || el.type === 'radio') {
          return { name: el.name, type: el.type, value: String(el.checked), boxValue: el.value, disabled: el.disabled };
        }
        return { name: el.name, type: el.type, value: el.value, min: el.min, max: el.max, step: el.step, disabled: el.disabled };
      }),
  );
}

/** A locator for one control (a checkbox is told apart by its value). */
export function controlLocator(widget: Locator, control: Pick<Control, 'name' | 'boxValue'>): Locator {
  const form = widget.locator('[data-controls]');
  return control.boxValue === undefined
    ? form.locator(`[name="${control.name}"]`)
    : form.locator(`[name="${control.name}"][value="${control.boxValue}"]`);
}

/**
 * Moves a control to a different allowed value as a reader would: a range by one keyboard step
 * (down when at its maximum), a select to `to` or the next option, a number to `to` or one step,
 * a checkbox toggled. Returns the value the control now shows.
 */
export async function moveControl(widget: Locator, control: Control, to?: string): Promise<string> {
  const input = controlLocator(widget, control);
  await input.scrollIntoViewIfNeeded();
  switch (control.type) {
    case 'range': {
      await input.focus();
      const atMax = Number(control.value) >= Number(control.max);
      await input.press(atMax ? 'ArrowLeft' : 'ArrowRight');
      break;
    }
    case 'select-one': {
      const options = control.options ?? [];
      const next = to ?? options[(options.indexOf(control.value) + 1) % options.length];
      await input.selectOption(next);
      break;
    }
    case 'checkbox':
      await input.setChecked(control.value !== 'true');
      break;
    default: {
      const step = Number(control.step) || 1;
      const up = Number(control.value) + step;
      const next = to ?? String(control.max !== '' && up > Number(control.max) ? Number(control.value) - step : up);
      await input.fill(next);
      await input.dispatchEvent('change');
    }
  }
  return control.type === 'checkbox' ? String(await input.isChecked()) : input.inputValue();
}

/** The widget's state as the page URL carries it (`?<widget>.<key>=value`). */
export function urlState(page: Page, widgetId: string): Record<string, string> {
  const state: Record<string, string> = {};
  for (const [key, value] of new URL(page.url()).searchParams) {
    if (key.startsWith(`${widgetId}.`)) state[key.slice(widgetId.length + 1)] = value;
  }
  return state;
}

export interface WidgetInfo {
  id: string;
  defaults: Record<string, string>;
  state: string | undefined;
  status: string;
  retryHidden: boolean;
  links: string[];
  curls: string[];
}

export function widgetInfo(widget: Locator): Promise<WidgetInfo> {
  return widget.evaluate((el) => {
    const h = el as HTMLElement;
    return {
      id: h.dataset.widget ?? '',
      defaults: JSON.parse(h.dataset.defaults ?? '{}') as Record<string, string>,
      state: h.dataset.state,
      status: h.querySelector('[data-status]')?.textContent ?? '',
      retryHidden: (h.querySelector('[data-retry]') as HTMLButtonElement | null)?.hidden !== false,
      links: Array.from(h.querySelectorAll<HTMLAnchorElement>('a[data-link]')).map((a) => a.getAttribute('href') ?? ''),
      curls: Array.from(h.querySelectorAll('[data-curl]')).map((c) => c.textContent ?? ''),
    };
  });
}
