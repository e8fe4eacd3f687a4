// The clipping figure: two /train runs from one seed, without and with global-norm clipping at τ.
// Top panel ‖g‖ per step before clipping (log y, clipped steps dotted, a rule at τ); bottom panel
// the minibatch MSE per step (log y, a rule at the trivial baseline). Pure functions of the two
// responses, used by the build (with a server-side document) and in the browser.
import * as Plot from '@observablehq/plot';
import type { TrainResponse } from '../../../../worker/src/schemas.ts';
import type { Query } from '../../lib/api.ts';
import { CELL_COLORS } from '../../lib/chart-theme.ts';
import { escapeHtml, sampleIndices, tableHtml } from '../../lib/table.ts';
import { fill, formatWide, powerOfTen } from './format.ts';
import type { ClippingStrings } from './strings.ts';

/**
 * Default state, as URL strings. A ReLU RNN with gain 3 (ρ(W_hh) ≈ 1.7 at H = 8) explodes in the
 * forward and the backward pass from the first step, so the unclipped SGD run is thrown far off
 * while the clipped one stays near the baseline; a tanh RNN saturates instead (try it).
 */
export const DEFAULTS = {
  cell: 'rnn',
  nonlinearity: 'relu',
  gain: '3',
  clip: '1',
  lr: '0.1',
  seed: '42',
};

/**
 * The run's size is fixed so that every reachable state fits BUDGET_TRAIN_MACS (60M cost units,
 * worker/src/core/cost.ts): the LSTM costs 59M at these sizes, the RNN 24M; gain, lr, τ and seed
 * do not change the cost. (100 steps, 64M, would be over budget.)
 */
export const RUN = { task: 'adding', seq_len: 10, hidden_size: 8, batch_size: 8, steps: 90, optimizer: 'sgd' } as const;

/** The two requests of a state: [without clipping, with clip = τ]; same seed, same everything else. */
export function toQueries(state: Record<string, string>): [Query, Query] {
  const free: Query = {
    cell: state.cell,
    task: RUN.task,
    seq_len: RUN.seq_len,
    hidden_size: RUN.hidden_size,
    seed: state.seed,
    gain: state.gain,
    // Only the RNN has an activation to choose; the API would warn that other cells ignore it.
    nonlinearity: state.cell === 'rnn' ? state.nonlinearity : undefined,
    steps: RUN.steps,
    batch_size: RUN.batch_size,
    lr: state.lr,
    optimizer: RUN.optimizer,
  };
  return [free, { ...free, clip: state.clip }];
}

/** Narrower than CHART_WIDTH: two stacked panels stay legible when scaled down to 360 px. */
const PANEL_WIDTH = 480;

const FREE_COLOR = CELL_COLORS.rnn;
const CLIPPED_COLOR = CELL_COLORS.lstm;

function finiteMax(values: readonly (number | null)[]): number | null {
  let max: number | null = null;
  for (const v of values) if (v !== null && Number.isFinite(v) && (max === null || v > max)) max = v;
  return max;
}

function diverged(body: TrainResponse): boolean {
  const r = body.result;
  return r.test_error === null || r.loss.includes(null) || r.grad_norm.includes(null);
}

export interface ClippingFacts {
  tau: number;
  steps: number;
  baseline: number | null;
  testErrorFree: number | null;
  testErrorClipped: number | null;
  clippedSteps: number;
  maxGradFree: number | null;
  maxGradClipped: number | null;
  divergedFree: boolean;
  divergedClipped: boolean;
}

export function facts([free, clipped]: readonly [TrainResponse, TrainResponse]): ClippingFacts {
  return {
    tau: clipped.config.clip ?? Number.NaN,
    steps: free.result.loss.length,
    baseline: free.result.baseline_error,
    testErrorFree: free.result.test_error,
    testErrorClipped: clipped.result.test_error,
    clippedSteps: clipped.result.clipped.filter(Boolean).length,
    maxGradFree: finiteMax(free.result.grad_norm),
    maxGradClipped: finiteMax(clipped.result.grad_norm),
    divergedFree: diverged(free),
    divergedClipped: diverged(clipped),
  };
}

function errorText(lang: string, s: ClippingStrings, error: number | null, baseline: number | null, broke: boolean): string {
  if (error === null) return s.diverged;
  const ratio = baseline ? fill(s.ratio, { ratio: formatWide(lang, error / baseline) }) : '';
  return formatWide(lang, error) + ratio + (broke ? ` — ${s.diverged}` : '');
}

export function summary(bodies: readonly [TrainResponse, TrainResponse], s: ClippingStrings, lang: string): string {
  const f = facts(bodies);
  const main = fill(s.summary, {
    steps: f.steps,
    tau: formatWide(lang, f.tau),
    free: errorText(lang, s, f.testErrorFree, f.baseline, f.divergedFree),
    clipped: errorText(lang, s, f.testErrorClipped, f.baseline, f.divergedClipped),
    baseline: formatWide(lang, f.baseline),
  });
  const counts = fill(s.clippedCount, { count: f.clippedSteps, steps: f.steps, maxFree: formatWide(lang, f.maxGradFree) });
  return `${main}${lang === 'en' ? ' ' : ''}${counts}`;
}

interface Row {
  run: string;
  step: number;
  grad: number | null;
  loss: number | null;
  clipped: boolean;
}

function rowsOf(body: TrainResponse, run: string): Row[] {
  const r = body.result;
  return r.loss.map((loss, k) => ({ run, step: k + 1, grad: r.grad_norm[k], loss, clipped: r.clipped[k] }));
}

function runLabels(s: ClippingStrings, lang: string, tau: number): [string, string] {
  return [s.runFree, fill(s.runClipped, { tau: formatWide(lang, tau) })];
}

/** The figure: a summary line and the two panels, in one element carrying the facts as data-*. */
export function clippingChart(
  bodies: readonly [TrainResponse, TrainResponse],
  s: ClippingStrings,
  lang: string,
  document: Document = globalThis.document,
): HTMLElement {
  const f = facts(bodies);
  const [freeLabel, clippedLabel] = runLabels(s, lang, f.tau);
  const free = rowsOf(bodies[0], freeLabel);
  const clipped = rowsOf(bodies[1], clippedLabel);
  const color = { domain: [freeLabel, clippedLabel], range: [FREE_COLOR, CLIPPED_COLOR] };
  const x = { label: s.xLabel, labelAnchor: 'right' as const, domain: [1, f.steps] };
  const lines = (y: 'grad' | 'loss') => [
    Plot.line(free, { x: 'step', y, stroke: 'run', strokeWidth: 1.75, className: 'gf-run-free' }),
    Plot.line(clipped, { x: 'step', y, stroke: 'run', strokeWidth: 1.75, strokeDasharray: '6 2', className: 'gf-run-clipped' }),
  ];
  // Rule labels sit in the right margin, clear of the data.
  const label = (y: number, text: string) =>
    Plot.text([y], { x: f.steps, y: (d: number) => d, text: () => text, textAnchor: 'start', dx: 6, fill: 'currentColor' });
  const description = summary(bodies, s, lang);
  /** One log-y panel: the two runs' lines over a labelled horizontal rule. */
  const panel = (y: 'grad' | 'loss', rule: { at: number; text: string; dash: string; className: string }, more: {
    height: number;
    ariaLabel: string;
    yLabel: string;
    legend: boolean;
    marks?: Plot.Markish[];
  }) =>
    Plot.plot({
      document,
      width: PANEL_WIDTH,
      height: more.height,
      marginLeft: 52,
      marginRight: 64,
      marginBottom: 42,
      style: { fontSize: '13px' },
      ariaLabel: more.ariaLabel,
      ariaDescription: description,
      x,
      y: { type: 'log', label: more.yLabel, grid: true, tickFormat: powerOfTen },
      color: { ...color, legend: more.legend },
      marks: [
        Plot.ruleY([rule.at], { stroke: 'currentColor', strokeDasharray: rule.dash, strokeOpacity: 0.85, className: rule.className }),
        label(rule.at, rule.text),
        ...lines(y),
        ...(more.marks ?? []),
      ],
    });

  const tauText = fill(s.thresholdLabel, { tau: formatWide(lang, f.tau) });
  const grad = panel('grad', { at: f.tau, text: tauText, dash: '4 3', className: 'gf-threshold' }, {
    height: 250,
    ariaLabel: s.ariaGrad,
    yLabel: s.gradLabel,
    legend: true,
    marks: [
      Plot.dot(clipped.filter((row) => row.clipped), { x: 'step', y: 'grad', r: 2.5, fill: CLIPPED_COLOR, className: 'gf-clipped-step' }),
    ],
  });
  const baseline = f.baseline ?? Number.NaN;
  const loss = panel('loss', { at: baseline, text: s.baselineLabel, dash: '1 3', className: 'gf-baseline' }, {
    height: 210,
    ariaLabel: s.ariaLoss,
    yLabel: s.lossLabel,
    legend: false,
  });

  const root = document.createElement('div');
  root.className = 'gf-clipping';
  root.setAttribute('data-clipping-result', '');
  const attrs: Record<string, string | number | boolean | null> = {
    threshold: f.tau,
    steps: f.steps,
    baseline: f.baseline,
    'test-error-free': f.testErrorFree,
    'test-error-clipped': f.testErrorClipped,
    'clipped-steps': f.clippedSteps,
    'max-grad-free': f.maxGradFree,
    'max-grad-clipped': f.maxGradClipped,
    'diverged-free': f.divergedFree,
    'diverged-clipped': f.divergedClipped,
  };
  for (const [name, value] of Object.entries(attrs)) root.setAttribute(`data-${name}`, String(value ?? ''));
  const text = document.createElement('p');
  text.className = 'gf-summary';
  text.setAttribute('data-summary', '');
  text.textContent = summary(bodies, s, lang);
  root.append(text, grad, loss);
  return root;
}

export function clippingTable(bodies: readonly [TrainResponse, TrainResponse], s: ClippingStrings, lang: string): string {
  const [free, clipped] = bodies.map((b) => b.result);
  const steps = free.loss.length;
  const indices = sampleIndices(steps);
  return (
    `<p>${escapeHtml(summary(bodies, s, lang))}</p>` +
    tableHtml({
      caption: s.tableCaption,
      columns: [s.colStep, s.colGradFree, s.colGradClipped, s.colClipped, s.colLossFree, s.colLossClipped],
      rows: indices.map((k) => [
        k + 1,
        formatWide(lang, free.grad_norm[k]),
        formatWide(lang, clipped.grad_norm[k]),
        clipped.clipped[k] ? s.yes : s.no,
        formatWide(lang, free.loss[k]),
        formatWide(lang, clipped.loss[k]),
      ]),
    })
  );
}
