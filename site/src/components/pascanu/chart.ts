// The repeated-multiplication figure: the measured log10 ‖∂h_T/∂h_t‖ of an RNN against t next to
// Pascanu's bound (T−t)·log10(γ·σ_max(W_hh)), with the regime the bound implies marked. Pure
// functions of the /jacobian response, used by the build (with a server-side document) and in the
// browser.
import * as Plot from '@observablehq/plot';
import type { JacobianResponse } from '../../../../worker/src/schemas.ts';
import { CELL_COLORS, CHART_WIDTH } from '../../lib/chart-theme.ts';
import { escapeHtml, formatNumber, sampleIndices, tableHtml } from '../../lib/table.ts';
import type { PascanuStrings } from './strings.ts';

/** Default state: the widget's controls, as URL strings. */
export const DEFAULTS = {
  seq_len: '100',
  gain: '1',
  hidden_size: '16',
  init: 'pytorch',
  nonlinearity: 'tanh',
  seed: '42',
};

export function toQuery(state: Record<string, string>) {
  return {
    cell: 'rnn',
    seq_len: state.seq_len,
    hidden_size: state.hidden_size,
    gain: state.gain,
    init: state.init,
    nonlinearity: state.nonlinearity,
    seed: state.seed,
  };
}

/** sup |φ'| for the RNN activations the API offers (tanh and relu both have γ = 1). */
export const GAMMA = 1;

export type Regime = 'vanishing' | 'critical' | 'exploding-possible';

// Orthogonal W_hh has σ_max = 1 up to a few ulps; calling that "exploding possible" would be
// noise, not a statement about the bound.
const CRITICAL_TOLERANCE = 1e-9;

export function regimeOf(eta: number): Regime {
  if (Math.abs(eta - 1) <= CRITICAL_TOLERANCE) return 'critical';
  return eta < 1 ? 'vanishing' : 'exploding-possible';
}

// Tints of the allowed region: ≥ 3:1 against both the light and the dark background.
const REGIME_COLORS: Record<Regime, string> = {
  vanishing: '#1971c2',
  critical: '#868e96',
  'exploding-possible': '#e03131',
};
const BOUND_COLOR = '#868e96';

const REGIME_KEYS = {
  vanishing: { regime: 'regimeVanishing', comparison: 'etaBelow' },
  critical: { regime: 'regimeCritical', comparison: 'etaNear' },
  'exploding-possible': { regime: 'regimeExploding', comparison: 'etaAbove' },
} as const;

function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => vars[name] ?? '');
}

function sentence(text: string, lang: string): string {
  return text + (lang === 'en' ? '. ' : '。');
}

/** η = γ·σ_max(W_hh), its regime, and the gain at which η would be exactly 1 (σ_max ∝ gain). */
export function analysis(body: JacobianResponse) {
  const eta = GAMMA * (body.result.sigma_max_w_hh ?? 0);
  const regime = regimeOf(eta);
  const criticalGain = eta > 0 ? body.config.gain / eta : null;
  return { eta, regime, criticalGain };
}

/** The regime in words and γ·σ_max compared with 1, e.g. "γ·σ_max = 0.9324 < 1", "vanishing guaranteed". */
export function regimeParts(body: JacobianResponse, s: PascanuStrings, lang: string) {
  const { eta, regime } = analysis(body);
  const keys = REGIME_KEYS[regime];
  return { comparison: fill(s[keys.comparison], { eta: formatNumber(lang, eta, 4) }), regime: s[keys.regime] };
}

export function regimeLabel(body: JacobianResponse, s: PascanuStrings, lang: string): string {
  return fill(s.regimeLine, regimeParts(body, s, lang));
}

function detail(body: JacobianResponse, s: PascanuStrings, lang: string): string {
  const { criticalGain } = analysis(body);
  const readout = fill(s.readout, {
    sigma: formatNumber(lang, body.result.sigma_max_w_hh, 4),
    gain: formatNumber(lang, body.config.gain, 4),
    act: body.config.nonlinearity,
  });
  const gap = lang === 'en' ? ' ' : '';
  const crossing = criticalGain === null ? '' : gap + fill(s.criticalGain, { critical: formatNumber(lang, criticalGain, 3) });
  const zeros = body.result.log10_jacobian_norm.filter((v) => v === null).length;
  const zeroNote = zeros > 0 ? gap + fill(s.zeroJacobian, { steps: String(zeros) }) : '';
  return readout + crossing + zeroNote;
}

/** Data attributes a reader of the page (or a test) can check without parsing text. */
function dataAttributes(body: JacobianResponse): string {
  const { eta, regime, criticalGain } = analysis(body);
  return (
    `data-regime="${regime}" data-eta="${eta}" data-sigma-max="${body.result.sigma_max_w_hh ?? ''}"` +
    ` data-gamma="${GAMMA}" data-critical-gain="${criticalGain ?? ''}"`
  );
}

/** The line above the chart: the regime in words and σ_max, γ and the crossing gain. */
export function pascanuReadout(body: JacobianResponse, s: PascanuStrings, lang: string): string {
  return (
    `<p class="gf-readout" data-readout ${dataAttributes(body)}>` +
    `<strong>${escapeHtml(regimeLabel(body, s, lang))}</strong> ${escapeHtml(detail(body, s, lang))}</p>`
  );
}

const ANNOTATION_SIZE = 13;
/** Chart width from which the regime annotation fits on one line in either language. */
const WIDE_ANNOTATION = 520;

/** Narrow charts (drawn at the width of a phone's column) get relatively more height. */
export function chartHeight(width: number): number {
  return Math.round(Math.max(260, width * 0.53));
}

function rowsOf(body: JacobianResponse) {
  const bound = body.result.log10_bound ?? [];
  return body.result.log10_jacobian_norm.map((measured, k) => ({ t: k + 1, measured, bound: bound[k] ?? null }));
}

export function pascanuChart(
  body: JacobianResponse,
  s: PascanuStrings,
  lang: string,
  document?: Document,
  width = CHART_WIDTH,
): SVGSVGElement | HTMLElement {
  const rows = rowsOf(body);
  const T = body.config.seq_len;
  const { regime } = analysis(body);
  const values = rows.flatMap((r) => [r.measured, r.bound]).filter((v): v is number => v !== null);
  const top = Math.max(0, ...values);
  const bottom = Math.min(0, ...values);
  const pad = Math.max((top - bottom) * 0.05, 0.1);
  const [lo, hi] = [bottom - pad, top + pad];
  const label = regimeLabel(body, s, lang);
  // On a narrow chart the annotation takes two lines: the comparison, then the regime.
  const parts = regimeParts(body, s, lang);
  const annotation = width >= WIDE_ANNOTATION ? label : `${parts.comparison}\n${parts.regime}`;
  const annotationLines = annotation.split('\n').length;
  const chart = Plot.plot({
    ...(document ? { document } : {}),
    width,
    height: chartHeight(width),
    marginLeft: 64,
    marginTop: 24 + ANNOTATION_SIZE * 1.25 * annotationLines,
    ariaLabel: s.ariaLabel,
    ariaDescription: sentence(label, lang) + detail(body, s, lang),
    x: { label: s.xLabel, labelAnchor: 'right', domain: [1, T] },
    // Label along the axis: the top margin belongs to the regime annotation.
    y: { label: s.yLabel, labelAnchor: 'center', grid: true, domain: [lo, hi] },
    color: { domain: [s.measured, s.bound], range: [CELL_COLORS.rnn, BOUND_COLOR], legend: true },
    marks: [
      // The region the bound leaves open to the measured norm: it narrows or opens with η.
      Plot.areaY(rows, { x: 't', y1: () => lo, y2: 'bound', fill: REGIME_COLORS[regime], fillOpacity: 0.16 }),
      Plot.ruleY([0], { strokeOpacity: 0.4 }),
      Plot.line(rows, { x: 't', y: 'bound', stroke: () => s.bound, strokeWidth: 2, strokeDasharray: '6 4' }),
      Plot.line(rows, { x: 't', y: 'measured', stroke: () => s.measured, strokeWidth: 2 }),
      Plot.dot([annotation], { frameAnchor: 'top-left', dx: 6, dy: -14, r: 6, symbol: 'square', fill: REGIME_COLORS[regime] }),
      Plot.text([annotation], {
        frameAnchor: 'top-left',
        dx: 16,
        dy: -8,
        text: (d: string) => d,
        textAnchor: 'start',
        lineAnchor: 'bottom',
        fontSize: ANNOTATION_SIZE,
        fontWeight: 'bold',
      }),
    ],
  });
  return markMarks(chart, regime);
}

/** Names the marks (Plot labels them only by type) so that the drawn data can be found. */
function markMarks<E extends SVGSVGElement | HTMLElement>(chart: E, regime: Regime): E {
  const name = (selector: string, attributes: Record<string, string>) => {
    const element = chart.querySelector(selector);
    for (const [key, value] of Object.entries(attributes)) element?.setAttribute(key, value);
  };
  name('g[aria-label="area"]', { 'data-mark': 'allowed-region', 'data-regime': regime });
  name('g[aria-label="line"][stroke-dasharray]', { 'data-mark': 'bound' });
  name('g[aria-label="line"]:not([stroke-dasharray])', { 'data-mark': 'measured' });
  name('g[aria-label="text"]', { 'data-mark': 'regime', 'data-regime': regime });
  return chart;
}

export function pascanuTable(body: JacobianResponse, s: PascanuStrings, lang: string): string {
  const rows = rowsOf(body);
  const indices = sampleIndices(rows.length);
  return (
    `<p data-summary ${dataAttributes(body)}>${escapeHtml(sentence(regimeLabel(body, s, lang), lang) + detail(body, s, lang))}</p>` +
    tableHtml({
      caption: s.tableCaption + (indices.length < rows.length ? ` ${s.sampled}` : ''),
      columns: ['t', s.measured, s.bound],
      rows: indices.map((k) => [rows[k].t, formatNumber(lang, rows[k].measured, 4), formatNumber(lang, rows[k].bound, 4)]),
    })
  );
}
