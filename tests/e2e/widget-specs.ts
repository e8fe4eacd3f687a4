// What each widget must draw from its API responses. One entry per gf-* element; the browser
// tests (widgets, faults, keyboard, mobile) iterate over this list, and a test fails when a page
// carries a widget that has no entry here.
import type { Locator } from 'playwright-core';
import { expect } from 'vitest';
import type { GradientsResponse } from '../../worker/src/schemas.ts';
import type { Lang } from '../support/browser.ts';
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
}

/** Series of a Plot line chart: colour → label from the legend, each path's points. */
async function lineSeries(widget: Locator): Promise<{ label: string; points: [number, number][] }[]> {
  const raw = await widget.locator('[data-figure]').evaluate((figure) => {
    const legend = new Map<string, string>();
    for (const swatch of Array.from(figure.querySelectorAll('[class$="-swatch"]'))) {
      const colour = swatch.querySelector('svg')?.getAttribute('fill') ?? '';
      legend.set(colour.toLowerCase(), swatch.textContent?.trim() ?? '');
    }
    return Array.from(figure.querySelectorAll('g[aria-label="line"] path')).map((p) => ({
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

export const WIDGETS: WidgetSpec[] = [gradientFlow];

export function specFor(tag: string): WidgetSpec | undefined {
  return WIDGETS.find((w) => w.tag === tag);
}
