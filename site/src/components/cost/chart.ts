// The cost figure: parameter counts and multiply-adds per step of rnn, lstm and gru, each with
// its ratio to the RNN, and the parameter formulas the API returns. Pure functions of the
// /params response, used by the build (with a server-side document) and in the browser.
import * as Plot from '@observablehq/plot';
import type { ParamsResponse } from '../../../../worker/src/schemas.ts';
import { CELL_COLORS, CELL_LABELS, CELL_ORDER, CHART_WIDTH } from '../../lib/chart-theme.ts';
import { escapeHtml, formatNumber, tableHtml } from '../../lib/table.ts';
import type { CostStrings } from './strings.ts';

/** Default state: the widget's controls, as URL strings. */
export const DEFAULTS = {
  hidden_size: '16',
  input_size: '4',
};

export function toQuery(state: Record<string, string>) {
  return { hidden_size: state.hidden_size, input_size: state.input_size };
}

function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => vars[name] ?? '');
}

/** Counts are exact integers: print every digit, grouped as the language does. */
function formatCount(lang: string, value: number): string {
  return new Intl.NumberFormat(lang, { maximumFractionDigits: 0 }).format(value);
}

function formatRatio(lang: string, ratio: number): string {
  return `${formatNumber(lang, ratio, 3)}×`;
}

function cellsOf(body: ParamsResponse) {
  const rnn = body.results.rnn;
  return CELL_ORDER.map((cell) => {
    const r = body.results[cell];
    return {
      cell,
      label: CELL_LABELS[cell],
      params: r.param_count,
      macs: r.macs_per_step,
      formula: r.formula,
      paramRatio: r.param_count / rnn.param_count,
      macsRatio: r.macs_per_step / rnn.macs_per_step,
    };
  });
}

/** The API's formula with H and D written out: 4·(H·D + H·H + 2·H) → 4·(16·4 + 16·16 + 2·16). */
function substitute(formula: string, H: number, D: number): string {
  return formula.replace(/\bH\b/g, String(H)).replace(/\bD\b/g, String(D));
}

function summaryText(body: ParamsResponse, s: CostStrings, lang: string): string {
  const [, lstm, gru] = cellsOf(body);
  return fill(s.summary, {
    H: String(body.config.hidden_size),
    D: String(body.config.input_size),
    lstm: formatNumber(lang, lstm.paramRatio, 3),
    gru: formatNumber(lang, gru.paramRatio, 3),
    lstmMacs: formatNumber(lang, lstm.macsRatio, 3),
    gruMacs: formatNumber(lang, gru.macsRatio, 3),
  });
}

/** The formulas under the controls, one line per cell, with the numbers a test can read. */
export function costFormulas(body: ParamsResponse, s: CostStrings, lang: string): string {
  const { hidden_size: H, input_size: D } = body.config;
  const items = cellsOf(body).map(
    (c) =>
      `<li data-cell="${c.cell}" data-param-count="${c.params}" data-macs-per-step="${c.macs}"` +
      ` data-param-ratio="${c.paramRatio}" data-macs-ratio="${c.macsRatio}">` +
      escapeHtml(fill(s.formulaLine, { cell: c.label, formula: c.formula, substituted: substitute(c.formula, H, D), count: formatCount(lang, c.params) })) +
      '</li>',
  );
  return `<ul class="gf-formulas" data-formulas>${items.join('')}</ul>`;
}

export function costChart(
  body: ParamsResponse,
  s: CostStrings,
  lang: string,
  document?: Document,
  width = CHART_WIDTH,
): SVGSVGElement | HTMLElement {
  const cells = cellsOf(body);
  const rows = cells.flatMap((c) => [
    { metric: s.params, cell: c.label, value: c.params, text: `${formatCount(lang, c.params)}\n${formatRatio(lang, c.paramRatio)}` },
    { metric: s.macs, cell: c.label, value: c.macs, text: `${formatCount(lang, c.macs)}\n${formatRatio(lang, c.macsRatio)}` },
  ]);
  const top = Math.max(...rows.map((r) => r.value));
  const chart = Plot.plot({
    ...(document ? { document } : {}),
    width,
    height: Math.round(Math.max(260, width * 0.5)),
    marginLeft: 56,
    marginTop: 28,
    ariaLabel: s.ariaLabel,
    ariaDescription: summaryText(body, s, lang),
    fx: { domain: [s.params, s.macs], label: null, padding: 0.15 },
    x: { domain: cells.map((c) => c.label), label: null, padding: 0.2 },
    // Head room for the two-line labels above the bars.
    y: { label: s.yLabel, grid: true, domain: [0, top * 1.25], tickFormat: (v: number) => formatCount(lang, v) },
    color: { domain: cells.map((c) => c.label), range: cells.map((c) => CELL_COLORS[c.cell]) },
    marks: [
      Plot.barY(rows, { fx: 'metric', x: 'cell', y: 'value', fill: 'cell' }),
      Plot.text(rows, { fx: 'metric', x: 'cell', y: 'value', text: 'text', lineAnchor: 'bottom', dy: -4, fontSize: width < 480 ? 10 : 12 }),
      Plot.ruleY([0]),
    ],
  });
  // Plot labels marks only by type: name them so the drawn data can be found.
  chart.querySelector('g[aria-label="bar"]')?.setAttribute('data-mark', 'bars');
  chart.querySelector('g[aria-label="text"]')?.setAttribute('data-mark', 'labels');
  return chart;
}

export function costTable(body: ParamsResponse, s: CostStrings, lang: string): string {
  return (
    `<p data-summary>${escapeHtml(summaryText(body, s, lang))}</p>` +
    tableHtml({
      caption: s.tableCaption,
      // The formulas are the list above the chart; every cell here starts with a count.
      columns: [s.cell, s.params, s.macs],
      rows: cellsOf(body).map((c) => [
        c.label,
        `${formatCount(lang, c.params)} (${formatRatio(lang, c.paramRatio)})`,
        `${formatCount(lang, c.macs)} (${formatRatio(lang, c.macsRatio)})`,
      ]),
    })
  );
}
