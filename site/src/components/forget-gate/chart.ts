// The forget-gate figure: log10 ‖∂L/∂c_t‖ and the cell path log10 max_j ∏_{k=t+1}^{T} f_k[j]
// against t, next to (T−t)·log10 σ(b_f). Pure functions of the /gradients and /jacobian
// responses, used by the build (with a server-side document) and in the browser.
import * as Plot from '@observablehq/plot';
import type { GradientsResponse, JacobianResponse } from '../../../../worker/src/schemas.ts';
// The core's own elementary functions, so the reference line has the same bits on every engine.
import { log10, sigmoid } from '../../../../worker/src/core/math.ts';
import { CELL_COLORS, CHART_WIDTH } from '../../lib/chart-theme.ts';
import { escapeHtml, formatNumber, sampleIndices, tableHtml } from '../../lib/table.ts';
import type { ForgetGateStrings } from './strings.ts';

/** Default state: the widget's controls, as URL strings. */
export const DEFAULTS = {
  forget_bias: '1',
  seq_len: '100',
  hidden_size: '16',
  init: 'pytorch',
  seed: '42',
};

/** The common query of both requests (the cell is added per endpoint). */
function modelQuery(state: Record<string, string>) {
  return {
    seq_len: state.seq_len,
    hidden_size: state.hidden_size,
    forget_bias: state.forget_bias,
    init: state.init,
    seed: state.seed,
  };
}

export function gradientsQuery(state: Record<string, string>) {
  return { cells: 'lstm', ...modelQuery(state) };
}

export function jacobianQuery(state: Record<string, string>) {
  return { cell: 'lstm', ...modelQuery(state) };
}

export type ForgetGateData = [GradientsResponse, JacobianResponse];

// ≥ 3:1 against both the light and the dark background.
const CELL_PATH_COLOR = '#7048e8';
const REFERENCE_COLOR = '#868e96';

function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => vars[name] ?? '');
}

function rowsOf([gradients, jacobian]: ForgetGateData) {
  const T = jacobian.config.seq_len;
  const logSigma = log10(sigmoid(jacobian.config.forget_bias));
  const gradC = gradients.results.lstm?.log10_grad_c ?? [];
  const path = jacobian.result.log10_cell_path ?? [];
  return path.map((cellPath, k) => ({
    t: k + 1,
    gradC: gradC[k] ?? null,
    cellPath,
    reference: (T - (k + 1)) * logSigma,
  }));
}

function numbers([gradients, jacobian]: ForgetGateData) {
  return {
    meanForgetGate: gradients.results.lstm?.diagnostics.mean_forget_gate ?? null,
    forgetBias: jacobian.config.forget_bias,
    sigmaBias: sigmoid(jacobian.config.forget_bias),
  };
}

function readoutText(data: ForgetGateData, s: ForgetGateStrings, lang: string): string {
  const n = numbers(data);
  return fill(s.readout, {
    mean: formatNumber(lang, n.meanForgetGate, 3),
    sigma: formatNumber(lang, n.sigmaBias, 3),
    bias: formatNumber(lang, n.forgetBias, 3),
  });
}

function summaryText(data: ForgetGateData, s: ForgetGateStrings, lang: string): string {
  const first = rowsOf(data)[0];
  const gap = lang === 'en' ? ' ' : '';
  return (
    readoutText(data, s, lang) +
    gap +
    fill(s.summary, {
      grad: formatNumber(lang, first?.gradC, 4),
      path: formatNumber(lang, first?.cellPath, 4),
      ref: formatNumber(lang, first?.reference, 4),
    })
  );
}

function dataAttributes(data: ForgetGateData): string {
  const n = numbers(data);
  return `data-mean-forget-gate="${n.meanForgetGate ?? ''}" data-forget-bias="${n.forgetBias}" data-sigma-bias="${n.sigmaBias}"`;
}

/** The line above the chart: the mean forget gate against σ(b_f). */
export function forgetGateReadout(data: ForgetGateData, s: ForgetGateStrings, lang: string): string {
  return `<p class="gf-readout" data-readout ${dataAttributes(data)}>${escapeHtml(readoutText(data, s, lang))}</p>`;
}

export function forgetGateChart(
  data: ForgetGateData,
  s: ForgetGateStrings,
  lang: string,
  document?: Document,
  width = CHART_WIDTH,
): SVGSVGElement | HTMLElement {
  const rows = rowsOf(data);
  const series = [
    { key: 'gradC', label: s.gradC, color: CELL_COLORS.lstm, mark: 'grad-c' },
    { key: 'cellPath', label: s.cellPath, color: CELL_PATH_COLOR, mark: 'cell-path' },
    { key: 'reference', label: s.reference, color: REFERENCE_COLOR, mark: 'reference' },
  ] as const;
  const chart = Plot.plot({
    ...(document ? { document } : {}),
    width,
    height: Math.round(Math.max(260, width * 0.53)),
    marginLeft: 56,
    ariaLabel: s.ariaLabel,
    ariaDescription: summaryText(data, s, lang),
    x: { label: s.xLabel, labelAnchor: 'right', domain: [1, data[1].config.seq_len] },
    y: { label: s.yLabel, grid: true },
    color: { domain: series.map((d) => d.label), range: series.map((d) => d.color), legend: true },
    marks: [
      Plot.ruleY([0], { strokeOpacity: 0.4 }),
      ...series.map((d) =>
        Plot.line(rows, {
          x: 't',
          y: d.key,
          stroke: () => d.label,
          strokeWidth: 2,
          ...(d.key === 'reference' ? { strokeDasharray: '6 4' } : {}),
        }),
      ),
    ],
  });
  // Plot labels marks only by type: name the lines (in mark order) so the drawn data can be found.
  chart.querySelectorAll('g[aria-label="line"]').forEach((g, k) => g.setAttribute('data-mark', series[k].mark));
  return chart;
}

export function forgetGateTable(data: ForgetGateData, s: ForgetGateStrings, lang: string): string {
  const rows = rowsOf(data);
  const indices = sampleIndices(rows.length);
  return (
    `<p data-summary ${dataAttributes(data)}>${escapeHtml(summaryText(data, s, lang))}</p>` +
    tableHtml({
      caption: s.tableCaption + (indices.length < rows.length ? ` ${s.sampled}` : ''),
      columns: ['t', s.gradC, s.cellPath, s.reference],
      rows: indices.map((k) => [
        rows[k].t,
        formatNumber(lang, rows[k].gradC, 4),
        formatNumber(lang, rows[k].cellPath, 4),
        formatNumber(lang, rows[k].reference, 4),
      ]),
    })
  );
}
