// The gradient-flow figure: log10 ‖∂L/∂h_t‖ against t, one line per cell. Pure functions of
// the API response, used by the build (with a server-side document) and in the browser.
import * as Plot from '@observablehq/plot';
import type { GradientsResponse } from '../../../../worker/src/schemas.ts';
import { CELL_COLORS, CELL_LABELS, CELL_ORDER, CHART_WIDTH, type CellName } from '../../lib/chart-theme.ts';
import { formatNumber, sampleIndices, tableHtml } from '../../lib/table.ts';
import type { GradientFlowStrings } from './strings.ts';

/** Default state: the widget's controls, as URL strings. */
export const DEFAULTS = {
  cells: 'rnn,lstm,gru',
  seq_len: '100',
  gain: '1',
  hidden_size: '16',
  init: 'pytorch',
  nonlinearity: 'tanh',
  seed: '42',
};

export function toQuery(state: Record<string, string>) {
  return {
    cells: state.cells,
    seq_len: state.seq_len,
    hidden_size: state.hidden_size,
    gain: state.gain,
    init: state.init,
    nonlinearity: state.nonlinearity,
    seed: state.seed,
  };
}

function cellsOf(body: GradientsResponse): CellName[] {
  return CELL_ORDER.filter((cell) => body.results[cell] !== undefined);
}

function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => vars[name] ?? '');
}

export function summary(body: GradientsResponse, s: GradientFlowStrings, lang: string): string {
  return cellsOf(body)
    .map((cell) => {
      const series = body.results[cell]!.log10_grad_h;
      return fill(s.summary, {
        cell: CELL_LABELS[cell],
        first: formatNumber(lang, series[0]),
        last: formatNumber(lang, series[series.length - 1]),
      });
    })
    .join(lang === 'en' ? '; ' : '；');
}

export function gradientFlowChart(
  body: GradientsResponse,
  s: GradientFlowStrings,
  lang: string,
  document?: Document,
  width = CHART_WIDTH,
): SVGSVGElement | HTMLElement {
  const cells = cellsOf(body);
  const rows = cells.flatMap((cell) =>
    body.results[cell]!.log10_grad_h.map((value, k) => ({ cell: CELL_LABELS[cell], t: k + 1, value })),
  );
  return Plot.plot({
    ...(document ? { document } : {}),
    width,
    // 320 high at the build's CHART_WIDTH; a narrow column keeps a readable aspect.
    height: Math.round(Math.max(260, width / 2)),
    marginLeft: 56,
    ariaLabel: s.ariaLabel,
    ariaDescription: summary(body, s, lang),
    x: { label: s.xLabel, labelAnchor: 'right' },
    y: { label: s.yLabel, grid: true },
    color: {
      domain: cells.map((c) => CELL_LABELS[c]),
      range: cells.map((c) => CELL_COLORS[c]),
      legend: true,
    },
    marks: [
      Plot.ruleY([0], { strokeOpacity: 0.4 }),
      Plot.line(rows, { x: 't', y: 'value', stroke: 'cell', strokeWidth: 2 }),
    ],
  });
}

export function gradientFlowTable(body: GradientsResponse, s: GradientFlowStrings, lang: string): string {
  const cells = cellsOf(body);
  const T = body.config.seq_len;
  const indices = sampleIndices(T);
  return (
    `<p>${summary(body, s, lang)}</p>` +
    tableHtml({
      caption: s.tableCaption + (indices.length < T ? ` ${s.sampled}` : ''),
      columns: ['t', ...cells.map((c) => CELL_LABELS[c])],
      rows: indices.map((k) => [k + 1, ...cells.map((c) => formatNumber(lang, body.results[c]!.log10_grad_h[k], 4))]),
    })
  );
}
