// What each widget must draw from its API responses. One entry per gf-* element; the browser
// tests (widgets, faults, keyboard, mobile) iterate over this list, and a test fails when a page
// carries a widget that has no entry here.
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import * as Plot from '@observablehq/plot';
import type { GradientsResponse, JacobianResponse, ParamsResponse, TraceResponse, TrainResponse } from '../../worker/src/schemas.ts';
import { renders, waitForRender, type Lang } from '../support/browser.ts';
import { controls, moveControl, type Control } from '../support/widgets.ts';
import { PIXEL_TOLERANCE, assertDrawn, parseCell, pathPoints, showsValue } from '../support/drawn.ts';

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
  /**
   * Controls moved first, in this order (the rest follow in document order): a control another
   * move makes inert (clipping's activation once the cell is an LSTM) must be moved before it.
   */
  order?: string[];
  /**
   * View controls outside the form (inside-lstm's time step and unit): each redraws from the
   * data already loaded, is written to the URL as `<widget>.<key>`, and shows on the figure
   * element `figure` as attribute `attr`.
   */
  views?: { key: string; selector: string; figure: string; attr: string }[];
}

/** The figure's colour legend: swatch colour (lower case) → label. */
async function legendOf(widget: Locator): Promise<Map<string, string>> {
  const pairs = await widget.locator('[data-figure]').evaluate((figure) =>
    Array.from(figure.querySelectorAll('[class$="-swatch"]')).map(
      (swatch) => [(swatch.querySelector('svg')?.getAttribute('fill') ?? '').toLowerCase(), swatch.textContent?.trim() ?? ''] as [string, string],
    ),
  );
  return new Map(pairs);
}

/** Series of a Plot line chart: colour → label from the legend, each path's points. */
async function lineSeries(widget: Locator): Promise<{ label: string; points: [number, number][] }[]> {
  const legend = await legendOf(widget);
  const raw = await widget
    .locator('[data-figure]')
    .evaluate((figure) =>
      Array.from(figure.querySelectorAll('g[aria-label="line"] path, g[data-mark="line"] path')).map((p) => ({ stroke: p.getAttribute('stroke') ?? '', d: p.getAttribute('d') ?? '' })),
    );
  return raw.map((s) => ({ label: legend.get(s.stroke.toLowerCase()) ?? `?${s.stroke}`, points: pathPoints(s.d) }));
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
  views: [
    { key: 't', selector: 'input[data-view="t"]', figure: '[data-lstm-diagram] svg', attr: 'data-t' },
    { key: 'unit', selector: 'select[data-view="unit"]', figure: '[data-lstm-diagram] svg', attr: 'data-unit' },
  ],
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
    await expectHeatmapColours(widget, body);
    await expectTableFromBodies(widget, bodies);
  },
};

/** log10 of a value a log scale can draw; null (a gap) for anything else. */
function log10OrNull(v: number | null): number | null {
  return v !== null && Number.isFinite(v) && v > 0 ? Math.log10(v) : null;
}

const clipping: WidgetSpec = {
  tag: 'gf-clipping',
  page: '/tutorial/05-limitations/',
  moves: { seed: '7' },
  // The activation is inert once the cell is an LSTM: move it while the cell is still an RNN.
  order: ['nonlinearity'],
  async checkDrawn(widget, bodies) {
    const [free, clipped] = bodies as [TrainResponse, TrainResponse];
    // Two log-y panels, ‖g‖ (before clipping) then the loss, each with both runs on one scale.
    const panels = await widget.locator('[data-figure]').evaluate((figure) =>
      Array.from(figure.querySelectorAll('svg'))
        .filter((svg) => svg.querySelector('.gf-run-free'))
        .map((svg) => ['gf-run-free', 'gf-run-clipped'].map((c) => Array.from(svg.querySelectorAll(`.${c} path`)).map((p) => p.getAttribute('d') ?? ''))),
    );
    expect(panels.length, 'two panels: gradient norm and loss').toBe(2);
    (['grad_norm', 'loss'] as const).forEach((key, k) => {
      const names = [`unclipped ${key}`, `clipped ${key}`];
      panels[k].forEach((ds, r) => expect(ds.length, `a drawn line for ${names[r]}`).toBeGreaterThan(0));
      const lines = panels[k].map((ds) => ds.flatMap((d) => pathPoints(d)));
      expectLines(lines, [free, clipped].map((b) => b.result[key].map(log10OrNull)), names);
    });
    await expectTableFromBodies(widget, bodies);
  },
};

const cost: WidgetSpec = {
  tag: 'gf-cost',
  page: '/tutorial/05-limitations/',
  async checkDrawn(widget, bodies) {
    const body = bodies[0] as ParamsResponse;
    // Two facets (parameters, then multiply-adds per step), each a bar per cell named by the
    // x-axis label under it (same order left to right); every bar starts at 0 on the one y scale of both facets.
    const facets = await widget.locator('[data-figure] svg').first().evaluate((svg) => {
      const facetGroups = (mark: string) => Array.from(svg.querySelectorAll(`g[data-mark="${mark}"] > g`));
      const labels = facetGroups('x-axis tick label').map((g) =>
        Array.from(g.querySelectorAll('text')).map((t) => ({ x: Number(/translate\(([-\d.e]+)/.exec(t.getAttribute('transform') ?? '')?.[1]), text: t.textContent?.trim() ?? '' })),
      );
      const bars = facetGroups('bars').map((g) =>
        Array.from(g.querySelectorAll('rect')).map((r) => ({ x: Number(r.getAttribute('x')), width: Number(r.getAttribute('width')), y: Number(r.getAttribute('y')), height: Number(r.getAttribute('height')) })),
      );
      return { labels, bars };
    });
    expect(facets.bars.length, 'two facets of bars').toBe(2);
    expect(facets.labels.length, 'two facets of cell labels').toBe(2);
    const cells = Object.keys(body.results).sort();
    const values: number[] = [];
    const heights: number[] = [];
    const bottoms: number[] = [];
    (['param_count', 'macs_per_step'] as const).forEach((metric, k) => {
      const bars = facets.bars[k];
      expect(bars.length, `${metric}: one bar per cell`).toBe(cells.length);
      // Left to right, the k-th bar stands over the k-th label.
      const labels = [...facets.labels[k]].sort((a, b) => a.x - b.x);
      expect(labels.length, `${metric}: one label per bar`).toBe(bars.length);
      const named = [...bars].sort((a, b) => a.x - b.x).map((bar, b) => ({ cell: labels[b].text.toLowerCase(), bar }));
      expect(named.map((n) => n.cell).sort(), `${metric}: the cells`).toEqual(cells);
      for (const { cell, bar } of named) {
        values.push(body.results[cell as keyof ParamsResponse['results']][metric]);
        heights.push(bar.height);
        bottoms.push(bar.y + bar.height);
      }
    });
    const fit = assertDrawn('bar heights', values, heights);
    expect(Math.abs(fit.offset), 'bars start at zero').toBeLessThanOrEqual(PIXEL_TOLERANCE);
    expect(Math.max(...bottoms) - Math.min(...bottoms), 'bars share one baseline').toBeLessThanOrEqual(PIXEL_TOLERANCE);
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
    const runs = bodies as TrainResponse[];
    // One point per run with a test error: x is T, y is log10(error) (log scale), coloured by cell.
    const legend = await legendOf(widget);
    const dots = await widget
      .locator('[data-figure] [data-horizon-result] .gf-horizon-point circle')
      .evaluateAll((cs) => cs.map((c) => ({ cx: Number(c.getAttribute('cx')), cy: Number(c.getAttribute('cy')), fill: (c.getAttribute('fill') ?? '').toLowerCase() })));
    const drawn = runs.filter((b) => log10OrNull(b.result.test_error) !== null);
    expect(dots.length, 'one point per run with a test error').toBe(drawn.length);
    expect(drawn.length).toBeGreaterThan(1);
    assertDrawn('T on x', drawn.map((b) => b.config.seq_len), dots.map((d) => d.cx));
    assertDrawn('log10 test error on y', drawn.map((b) => log10OrNull(b.result.test_error)!), dots.map((d) => d.cy));
    drawn.forEach((b, k) => expect(legend.get(dots[k].fill), `colour of the ${b.config.cell} point at T=${b.config.seq_len}`).toBe(b.config.cell.toUpperCase()));
    // Columns 4 and 5 are error / baseline ratios, computed by the widget.
    await expectTableFromBodies(widget, bodies, [4, 5]);
  },
};

/** Where a colour lies on a colour scheme's ramp, sampled through Plot (the library, not the site). */
const RAMP_SAMPLES = 1000;
function rgbOf(colour: string): number[] {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(colour.trim());
  if (hex) return hex.slice(1).map((h) => parseInt(h, 16));
  const rgb = /^rgb\((\d+),\s*(\d+),\s*(\d+)\)$/.exec(colour.trim());
  if (rgb) return rgb.slice(1).map(Number);
  throw new Error(`not a colour: ${colour}`);
}
const ramps = new Map<string, number[][]>();
function rampPosition(scheme: string, colour: string): { at: number; off: number } {
  if (!ramps.has(scheme)) {
    const scale = Plot.scale({ color: { type: 'linear', scheme: scheme as Plot.ColorScheme, domain: [0, 1] } });
    ramps.set(scheme, Array.from({ length: RAMP_SAMPLES + 1 }, (_, k) => rgbOf(String(scale.apply!(k / RAMP_SAMPLES)))));
  }
  const c = rgbOf(colour);
  let best = { at: 0, off: Infinity };
  ramps.get(scheme)!.forEach((r, k) => {
    const off = Math.hypot(r[0] - c[0], r[1] - c[1], r[2] - c[2]);
    if (off < best.off) best = { at: k / RAMP_SAMPLES, off };
  });
  return best;
}

/** The heatmaps' schemes: σ gates on viridis, the tanh candidate on PuOr, the cell state on RdBu. */
const HEATMAP_SCHEMES: Record<string, string> = { i: 'viridis', f: 'viridis', o: 'viridis', g: 'puor', c: 'rdbu' };
/** Ramp positions may step back this much between ordered values (8-bit colour rounding). */
const RAMP_SLACK = 0.01;

/** Each heatmap cell sits at its (t, j) and its colour lies along the scheme in the order of the values. */
async function expectHeatmapColours(widget: Locator, body: TraceResponse): Promise<void> {
  const T = body.config.seq_len;
  const H = body.config.hidden_size;
  const maps = await widget.locator('[data-lstm-heatmaps] [data-heatmap]').evaluateAll((wraps) =>
    wraps.map((w) => ({
      key: (w as HTMLElement).dataset.heatmap ?? '',
      cells: Array.from(w.querySelectorAll('g[data-mark="cell"] rect')).map((r) => ({ x: Number(r.getAttribute('x')), y: Number(r.getAttribute('y')), fill: r.getAttribute('fill') ?? '' })),
    })),
  );
  expect(maps.map((m) => m.key)).toEqual(['i', 'f', 'g', 'o', 'c']);
  for (const { key, cells } of maps) {
    const series = (key === 'c' ? body.result.c : body.result.gates[key as 'i' | 'f' | 'g' | 'o'])!;
    const xs = [...new Set(cells.map((c) => c.x))].sort((a, b) => a - b);
    const ys = [...new Set(cells.map((c) => c.y))].sort((a, b) => a - b);
    expect([xs.length, ys.length], `${key}: T columns × H rows`).toEqual([T, H]);
    assertDrawn(`${key} t on x`, xs.map((_, k) => k + 1), xs);
    assertDrawn(`${key} j on y`, ys.map((_, j) => j), ys);
    const placed = cells.map((c) => {
      const value = series[xs.indexOf(c.x)][ys.indexOf(c.y)] as number | null;
      expect(value, `${key}: a cell is drawn only for a value`).not.toBeNull();
      const { at, off } = rampPosition(HEATMAP_SCHEMES[key], c.fill);
      expect(off, `${key}: colour ${c.fill} is on the ${HEATMAP_SCHEMES[key]} ramp`).toBeLessThanOrEqual(3);
      return { value: value!, at };
    });
    placed.sort((a, b) => a.value - b.value);
    let highest = -Infinity;
    for (const p of placed) {
      expect(p.at, `${key}: colour of ${p.value} lies after the colours of smaller values`).toBeGreaterThanOrEqual(highest - RAMP_SLACK);
      highest = Math.max(highest, p.at);
    }
    if (placed.at(-1)!.value > placed[0].value) {
      expect(placed.at(-1)!.at - placed[0].at, `${key}: colours vary with the values`).toBeGreaterThan(0.05);
    }
  }
}

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
