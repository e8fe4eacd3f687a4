// What each widget must draw from its API responses. One entry per gf-* element; the browser
// tests (widgets, faults, keyboard, mobile) iterate over this list, and a test fails when a page
// carries a widget that has no entry here.
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { GradientsResponse, JacobianResponse, TraceResponse } from '../../worker/src/schemas.ts';
import { renders, waitForRender, type Lang } from '../support/browser.ts';
import { controls, moveControl, type Control } from '../support/widgets.ts';
import { assertDrawn, parseCell, pathPoints, showsValue } from '../support/drawn.ts';

export interface WidgetSpec {
  tag: string;
  /** The Chinese page carrying it (the English one is under /en). */
  page: string;
  /** Values to move particular controls to (default: the next option / one step). */
  moves?: Record<string, string>;
  /**
   * The query parameter(s) a control's URL state must appear as in the request. Default: the
   * same key and value.
   */
  query?(name: string, value: string): Record<string, string>;
  /** Asserts the figure and the table show exactly these responses (data-link order). */
  checkDrawn(widget: Locator, bodies: unknown[], lang: Lang): Promise<void>;
  /**
   * A button that starts the requests (memory horizon: training takes seconds, so a control only
   * marks the figure stale and this button trains).
   */
  start?: string;
}

/** Series of a Plot line chart: colour → label from the legend, each path's points. */
async function lineSeries(widget: Locator): Promise<{ label: string; points: [number, number][] }[]> {
  const raw = await widget.locator('[data-figure]').evaluate((figure) => {
    const legend = new Map<string, string>();
    for (const swatch of Array.from(figure.querySelectorAll('[class$="-swatch"]'))) {
      const colour = swatch.querySelector('svg')?.getAttribute('fill') ?? '';
      legend.set(colour.toLowerCase(), swatch.textContent?.trim() ?? '');
    }
    return Array.from(figure.querySelectorAll('g[aria-label="line"] path, g[data-mark="line"] path')).map((p) => ({
      label: legend.get((p.getAttribute('stroke') ?? '').toLowerCase()) ?? `?${p.getAttribute('stroke')}`,
      d: p.getAttribute('d') ?? '',
    }));
  });
  return raw.map((s) => ({ label: s.label, points: pathPoints(s.d) }));
}

/** Header cells and body rows of the widget's table alternative. */
export async function tableOf(widget: Locator): Promise<{ head: string[]; rows: string[][] }> {
  return widget.locator('[data-table] table').first().evaluate((table) => ({
    head: Array.from(table.querySelectorAll('thead th')).map((th) => th.textContent?.trim() ?? ''),
    rows: Array.from(table.querySelectorAll('tbody tr')).map((tr) =>
      Array.from(tr.children).map((cell) => cell.textContent?.trim() ?? ''),
    ),
  }));
}

const gradientFlow: WidgetSpec = {
  tag: 'gf-gradient-flow',
  page: '/tutorial/03-vanishing-gradient/',
  moves: { seed: '7', hidden_size: '8' },
  async checkDrawn(widget, bodies) {
    const body = bodies[0] as GradientsResponse;
    const cells = Object.keys(body.results) as (keyof GradientsResponse['results'])[];
    const T = body.config.seq_len;
    const series = await lineSeries(widget);
    expect(series.map((s) => s.label).sort()).toEqual(cells.map((c) => c.toUpperCase()).sort());
    const values: number[] = [];
    const ys: number[] = [];
    for (const s of series) {
      const data = body.results[s.label.toLowerCase() as keyof GradientsResponse['results']]!.log10_grad_h;
      expect(s.points.length, `${s.label}: one vertex per time step`).toBe(T);
      expect(data.every((v) => v !== null), `${s.label}: finite series`).toBe(true);
      assertDrawn(`${s.label} x`, data.map((_, k) => k + 1), s.points.map((p) => p[0]));
      values.push(...(data as number[]));
      ys.push(...s.points.map((p) => p[1]));
    }
    // One y scale for all cells: side by side means comparable.
    assertDrawn('log10 |dL/dh_t| on y', values, ys);

    const table = await tableOf(widget);
    expect(table.head.slice(1).sort()).toEqual(cells.map((c) => c.toUpperCase()).sort());
    expect(table.rows.length).toBe(Math.min(T, 100));
    expect(Number(table.rows[0][0])).toBe(1);
    expect(Number(table.rows.at(-1)![0])).toBe(T);
    for (const row of table.rows) {
      const t = Number(row[0]);
      table.head.slice(1).forEach((label, c) => {
        const value = body.results[label.toLowerCase() as keyof GradientsResponse['results']]!.log10_grad_h[t - 1];
        expect(showsValue(parseCell(row[c + 1]), value), `table ${label} at t=${t}: ${row[c + 1]} vs ${value}`).toBe(true);
      });
    }
  },
};

/** A shown number and its precision: "-1,234.5", "−0.12", "3.4 × 10⁻⁵" (leading number of a cell). */
export function shownNumber(text: string): { value: number; digits: number } | null {
  const SUP = '⁰¹²³⁴⁵⁶⁷⁸⁹';
  const t = text.trim().replace(/\u2212/g, '-').replace(/[,\u00a0\u202f]/g, '');
  const m = /^(-?\d+(?:\.\d+)?)(?:\s*[×x]\s*10([⁻-]?[⁰¹²³⁴⁵⁶⁷⁸⁹\d]+)|[eE]([-+]?\d+))?/.exec(t);
  if (!m) return null;
  const mantissa = m[1];
  // Trailing zeros of a whole number may be rounding ("1,310" is 1308 shown to 3 digits).
  const significant = mantissa.includes('.') ? mantissa : mantissa.replace(/0+$/, '');
  const digits = significant.replace(/^-?0*\.?0*/, '').replace('.', '').length || 1;
  let value = Number(mantissa);
  if (m[2]) {
    const exp = Number(m[2].replace('⁻', '-').replace(/[⁰¹²³⁴⁵⁶⁷⁸⁹]/g, (d) => String(SUP.indexOf(d))));
    value *= 10 ** exp;
  }
  if (m[3]) value *= 10 ** Number(m[3]);
  return { value, digits };
}

/** Every finite number anywhere in the responses, sorted. */
function numbersIn(bodies: unknown[]): number[] {
  const out: number[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'number' && Number.isFinite(v)) out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  bodies.forEach(walk);
  return out.sort((a, b) => a - b);
}

/**
 * Every number the table alternative shows (columns not listed as derived) is a number of the
 * responses, rounded as shown. Used where the figure is not a plain line chart.
 */
export async function expectTableFromBodies(widget: Locator, bodies: unknown[], derivedColumns: number[] = [], tableIndex = 0): Promise<void> {
  const numbers = numbersIn(bodies);
  const table = await widget.locator('[data-table] table').nth(tableIndex).evaluate((t) =>
    Array.from(t.querySelectorAll('tbody tr')).map((tr) => Array.from(tr.children).map((c) => c.textContent?.trim() ?? '')),
  );
  expect(table.length, 'table rows').toBeGreaterThan(0);
  let checked = 0;
  for (const row of table) {
    row.forEach((cell, c) => {
      if (c === 0 || derivedColumns.includes(c)) return;
      const shown = shownNumber(cell);
      if (!shown) return;
      const half = shown.value === 0 ? 5e-4 : 0.5 * 10 ** (Math.floor(Math.log10(Math.abs(shown.value))) - shown.digits + 1);
      // Binary search for the nearest response number.
      let lo = 0;
      let hi = numbers.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (numbers[mid] < shown.value) lo = mid + 1;
        else hi = mid;
      }
      const near = [numbers[lo - 1], numbers[lo]].filter((n) => n !== undefined);
      const hit = near.some((n) => Math.abs(n - shown.value) <= half * 1.0001 + 1e-12);
      expect(hit, `table cell "${cell}" (row ${row[0]}, column ${c}) is a number of the response`).toBe(true);
      checked++;
    });
  }
  expect(checked, 'numbers checked in the table').toBeGreaterThan(0);
}

/** Lines named by data-mark: each series' points (all path segments). */
async function markedLines(widget: Locator, marks: string[]): Promise<[number, number][][]> {
  return Promise.all(
    marks.map(async (mark) => {
      const ds = await widget.locator(`[data-figure] g[data-mark="${mark}"] path`).evaluateAll((ps) => ps.map((p) => p.getAttribute('d') ?? ''));
      expect(ds.length, `a drawn line "${mark}"`).toBeGreaterThan(0);
      return ds.flatMap((d) => pathPoints(d));
    }),
  );
}

/** Lines over t = 1..T drawn from series with nulls as gaps: vertices = non-null values, one y scale. */
function expectLines(lines: [number, number][][], series: (number | null)[][], names: string[]): void {
  const values: number[] = [];
  const ys: number[] = [];
  lines.forEach((points, k) => {
    const present = series[k].map((v, i) => [i + 1, v] as const).filter(([, v]) => v !== null) as [number, number][];
    expect(points.length, `${names[k]}: one vertex per value`).toBe(present.length);
    assertDrawn(`${names[k]} x`, present.map(([t]) => t), points.map((p) => p[0]));
    values.push(...present.map(([, v]) => v));
    ys.push(...points.map((p) => p[1]));
  });
  assertDrawn(`${names.join(', ')} on y`, values, ys);
}

const pascanu: WidgetSpec = {
  tag: 'gf-pascanu',
  page: '/tutorial/03-vanishing-gradient/',
  moves: { seed: '7' },
  query: (name, value) => ({ cell: 'rnn', [name]: value }),
  async checkDrawn(widget, bodies) {
    const body = bodies[0] as JacobianResponse;
    const measured = body.result.log10_jacobian_norm;
    const bound = body.result.log10_bound ?? [];
    expectLines(await markedLines(widget, ['measured', 'bound']), [measured, bound], ['measured', 'bound']);
    const table = await tableOf(widget);
    expect(table.rows.length).toBe(Math.min(body.config.seq_len, 100));
    for (const row of table.rows) {
      const t = Number(row[0]);
      expect(showsValue(parseCell(row[1]), measured[t - 1]), `measured at t=${t}`).toBe(true);
      expect(showsValue(parseCell(row[2]), bound[t - 1] ?? null), `bound at t=${t}`).toBe(true);
    }
  },
};

const forgetGate: WidgetSpec = {
  tag: 'gf-forget-gate',
  page: '/tutorial/04-lstm/',
  moves: { seed: '7' },
  async checkDrawn(widget, bodies) {
    const [gradients, jacobian] = bodies as [GradientsResponse, JacobianResponse];
    const T = jacobian.config.seq_len;
    const gradC = gradients.results.lstm!.log10_grad_c!;
    const path = jacobian.result.log10_cell_path!;
    // (T − t)·log10 σ(b_f): the carousel if every forget gate sat at its bias.
    const logSigma = Math.log10(1 / (1 + Math.exp(-jacobian.config.forget_bias)));
    const reference = Array.from({ length: T }, (_, k) => (T - (k + 1)) * logSigma);
    expectLines(await markedLines(widget, ['grad-c', 'cell-path', 'reference']), [gradC, path, reference], ['grad-c', 'cell-path', 'reference']);
    const table = await tableOf(widget);
    for (const row of table.rows) {
      const t = Number(row[0]);
      expect(showsValue(parseCell(row[1]), gradC[t - 1]), `‖∂L/∂c‖ at t=${t}`).toBe(true);
      expect(showsValue(parseCell(row[2]), path[t - 1]), `cell path at t=${t}`).toBe(true);
      expect(Math.abs(parseCell(row[3])! - reference[t - 1]) <= 1e-3 * Math.max(1, Math.abs(reference[t - 1])), `reference at t=${t}`).toBe(true);
    }
  },
};

const insideLstm: WidgetSpec = {
  tag: 'gf-inside-lstm',
  page: '/tutorial/04-lstm/',
  moves: { seed: '7' },
  query: (name, value) => ({ cell: 'lstm', [name]: value }),
  async checkDrawn(widget, bodies) {
    const body = bodies[0] as TraceResponse;
    const T = body.config.seq_len;
    const H = body.config.hidden_size;
    // The diagram shows the gates at its time step (mean over units unless one is chosen).
    const view = await widget.locator('[data-lstm-diagram] svg').evaluate((svg) => ({
      t: Number(svg.getAttribute('data-t')),
      unit: svg.getAttribute('data-unit') ?? 'mean',
      gates: Object.fromEntries(Array.from(svg.querySelectorAll('text[data-gate]')).map((e) => [e.getAttribute('data-gate'), Number(e.getAttribute('data-value'))])),
    }));
    expect(view.t).toBeGreaterThanOrEqual(1);
    expect(view.t).toBeLessThanOrEqual(T);
    for (const gate of ['i', 'f', 'g', 'o'] as const) {
      const row = body.result.gates[gate]![view.t - 1] as number[];
      const expected = view.unit === 'mean' ? row.reduce((a, b) => a + b, 0) / row.length : row[Number(view.unit)];
      expect(Math.abs(view.gates[gate] - expected), `${gate} at t=${view.t}`).toBeLessThanOrEqual(1e-12);
    }
    // One heatmap cell per (t, unit) in each of i, f, g, o, c.
    const counts = await widget.locator('[data-lstm-heatmaps] svg').evaluateAll((svgs) =>
      svgs.map((svg) => svg.querySelectorAll('g[data-mark="cell"] rect').length).filter((n) => n > 0),
    );
    expect(counts).toEqual([T * H, T * H, T * H, T * H, T * H]);
    await expectTableFromBodies(widget, bodies);
  },
};

const clipping: WidgetSpec = {
  tag: 'gf-clipping',
  page: '/tutorial/05-limitations/',
  moves: { seed: '7' },
  async checkDrawn(widget, bodies) {
    await expectTableFromBodies(widget, bodies);
  },
};

const cost: WidgetSpec = {
  tag: 'gf-cost',
  page: '/tutorial/05-limitations/',
  async checkDrawn(widget, bodies) {
    // Column 1 is the formula (text); parameters and multiply-adds are the response's counts.
    await expectTableFromBodies(widget, bodies, [1]);
  },
};

const memoryHorizon: WidgetSpec = {
  tag: 'gf-memory-horizon',
  page: '/tutorial/05-limitations/',
  moves: { seed: '7' },
  start: '[data-train]',
  async checkDrawn(widget, bodies) {
    // Columns 4 and 5 are error / baseline ratios, computed by the widget.
    await expectTableFromBodies(widget, bodies, [4, 5]);
  },
};

export const WIDGETS: WidgetSpec[] = [gradientFlow, pascanu, forgetGate, insideLstm, clipping, cost, memoryHorizon];

export function specFor(tag: string): WidgetSpec | undefined {
  return WIDGETS.find((w) => w.tag === tag);
}

/**
 * Moves a control and waits for the widget to redraw from the API: for a widget with a start
 * button (memory horizon), the move only marks the figure stale, and the button starts the runs.
 * Returns the value the control now shows.
 */
export async function moveAndRender(page: Page, spec: WidgetSpec, control: Control, to?: string, timeout?: number): Promise<string> {
  const widget = page.locator(spec.tag);
  const before = await renders(page, spec.tag);
  const shown = await moveControl(widget, control, to);
  await waitForRender(page, spec.tag, before, timeout);
  if (spec.start) {
    const again = await renders(page, spec.tag);
    await widget.locator(spec.start).click();
    await waitForRender(page, spec.tag, again, timeout);
  }
  return shown;
}

/** The first control a reader would reach for: a select or a range. */
export async function firstControl(widget: Locator): Promise<Control> {
  const all = await controls(widget);
  const found = all.find((c) => !c.disabled && (c.type === 'select-one' || c.type === 'range')) ?? all.find((c) => !c.disabled);
  expect(found, 'a control').toBeDefined();
  return found!;
}
