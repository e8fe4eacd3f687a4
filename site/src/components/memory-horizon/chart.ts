// The memory-horizon figure: the adding problem trained for rnn and lstm at several sequence
// lengths, final test MSE against T with the trivial baseline, plus the live loss curve of the
// run in progress. Pure functions of the API responses, used by the build and in the browser.
import * as Plot from '@observablehq/plot';
import type { TrainResponse } from '../../../../worker/src/schemas.ts';
import type { Query } from '../../lib/api.ts';
import { CELL_COLORS, CELL_LABELS } from '../../lib/chart-theme.ts';
import { escapeHtml, tableHtml } from '../../lib/table.ts';
import { fill, formatWide, powerOfTen } from '../clipping/format.ts';
import type { MemoryHorizonStrings } from './strings.ts';

/** Default state, as URL strings. Seed 0 is one where both cells behave as they usually do. */
export const DEFAULTS = {
  hidden_size: '4',
  steps: '1000',
  lr: '0.02',
  seed: '0',
};

/**
 * Sequence lengths and the choices of the controls, fixed so that every reachable run fits
 * BUDGET_TRAIN_MACS (60M multiply-adds): the dearest, lstm at T = 12, H = 4, 1000 steps of one
 * sequence, costs 58M. Longer sequences need more steps than one request may use; with the
 * budget raised, T = 20–30 is where the tanh RNN stays at the baseline and the LSTM does not.
 */
export const LENGTHS = [3, 6, 9, 12] as const;
export const CELLS = ['rnn', 'lstm'] as const;
export type HorizonCell = (typeof CELLS)[number];
export const HIDDEN_SIZES = ['2', '3', '4'] as const;
export const STEP_CHOICES = ['250', '500', '1000'] as const;
export const LEARNING_RATES = ['0.005', '0.01', '0.02', '0.05'] as const;
const RUN = { task: 'adding', batch_size: 1, optimizer: 'adam' } as const;

export interface HorizonRun {
  cell: HorizonCell;
  seqLen: number;
  query: Query;
}

/** Every run of a state, in training order: both cells at each length, shortest first. */
export function runsOf(state: Record<string, string>): HorizonRun[] {
  return LENGTHS.flatMap((seqLen) =>
    CELLS.map((cell) => ({
      cell,
      seqLen,
      query: {
        cell,
        task: RUN.task,
        seq_len: seqLen,
        hidden_size: state.hidden_size,
        seed: state.seed,
        steps: state.steps,
        batch_size: RUN.batch_size,
        lr: state.lr,
        optimizer: RUN.optimizer,
      },
    })),
  );
}

/** Total training steps of a state over all its runs (the progress bar's maximum). */
export function totalSteps(state: Record<string, string>): number {
  return runsOf(state).length * Number(state.steps);
}

interface Point {
  cell: string;
  T: number;
  error: number | null;
}

function pointsOf(bodies: readonly TrainResponse[]): Point[] {
  return bodies.map((b) => ({ cell: CELL_LABELS[b.config.cell], T: b.config.seq_len, error: b.result.test_error }));
}

/** One baseline per length (the test set, and so its baseline error, depends on T). */
function baselinesOf(bodies: readonly TrainResponse[]): Map<number, number | null> {
  const out = new Map<number, number | null>();
  for (const b of bodies) out.set(b.config.seq_len, b.result.baseline_error);
  return out;
}

function errorOf(bodies: readonly TrainResponse[], cell: HorizonCell, T: number): TrainResponse | undefined {
  return bodies.find((b) => b.config.cell === cell && b.config.seq_len === T);
}

export function summary(bodies: readonly TrainResponse[], s: MemoryHorizonStrings, lang: string): string {
  const sep = lang === 'en' ? '; ' : '；';
  const cells = CELLS.map((cell) =>
    fill(s.summaryCell, {
      cell: CELL_LABELS[cell],
      values: LENGTHS.map((T) => `T = ${T}: ${formatWide(lang, errorOf(bodies, cell, T)?.result.test_error)}`).join(', '),
    }),
  );
  const baselines = [...baselinesOf(bodies).values()].filter((v): v is number => v !== null);
  const mean = baselines.length ? baselines.reduce((a, b) => a + b, 0) / baselines.length : null;
  return `${cells.join(sep)}${lang === 'en' ? '. ' : '。'}${fill(s.summary, { baseline: formatWide(lang, mean) })}`;
}

/** The final chart; with fewer bodies than runs (training in progress) it shows what is done. */
export function horizonChart(
  bodies: readonly TrainResponse[],
  s: MemoryHorizonStrings,
  lang: string,
  document: Document = globalThis.document,
): HTMLElement {
  const points = pointsOf(bodies);
  const baselines = [...baselinesOf(bodies)].map(([T, error]) => ({ T, error })).sort((a, b) => a.T - b.T);
  const svg = Plot.plot({
    document,
    width: 480,
    height: 300,
    marginLeft: 52,
    marginRight: 24,
    marginBottom: 42,
    style: { fontSize: '13px' },
    ariaLabel: s.ariaLabel,
    ariaDescription: summary(bodies, s, lang),
    x: { label: s.xLabel, labelAnchor: 'right', domain: [LENGTHS[0] - 1, LENGTHS[LENGTHS.length - 1] + 1], ticks: [...LENGTHS] },
    y: { type: 'log', label: s.yLabel, grid: true, nice: true, tickFormat: powerOfTen },
    color: {
      domain: CELLS.map((c) => CELL_LABELS[c]),
      range: CELLS.map((c) => CELL_COLORS[c]),
      legend: true,
    },
    marks: [
      Plot.line(baselines, { x: 'T', y: 'error', stroke: 'currentColor', strokeDasharray: '5 4', strokeOpacity: 0.8, className: 'gf-baseline' }),
      // Labelled at the shortest length, where both cells are well below it.
      Plot.text(baselines.slice(0, 1), { x: 'T', y: 'error', text: () => s.baselineLabel, textAnchor: 'start', dy: -9, fill: 'currentColor' }),
      Plot.line(points, { x: 'T', y: 'error', stroke: 'cell', strokeWidth: 2 }),
      Plot.dot(points, { x: 'T', y: 'error', fill: 'cell', r: 4, className: 'gf-horizon-point' }),
    ],
  });
  const root = document.createElement('div');
  root.className = 'gf-horizon';
  root.setAttribute('data-horizon-result', '');
  root.setAttribute('data-runs-done', String(bodies.length));
  root.setAttribute('data-runs', String(LENGTHS.length * CELLS.length));
  const errors: Record<string, Record<string, number | null>> = {};
  for (const cell of CELLS) {
    errors[cell] = {};
    for (const T of LENGTHS) {
      const body = errorOf(bodies, cell, T);
      if (body) errors[cell][T] = body.result.test_error;
    }
  }
  root.setAttribute('data-errors', JSON.stringify(errors));
  root.setAttribute('data-baselines', JSON.stringify(Object.fromEntries(baselinesOf(bodies))));
  if (bodies[0]) {
    const c = bodies[0].config;
    root.setAttribute('data-config', JSON.stringify({ hidden_size: c.hidden_size, steps: c.steps, lr: c.lr, seed: c.seed }));
  }
  root.append(svg);
  return root;
}

export function horizonTable(bodies: readonly TrainResponse[], s: MemoryHorizonStrings, lang: string): string {
  const baselines = baselinesOf(bodies);
  const cellValue = (cell: HorizonCell, T: number, ratio: boolean): string => {
    const body = errorOf(bodies, cell, T);
    if (!body) return s.notRun;
    const error = body.result.test_error;
    const base = body.result.baseline_error;
    return formatWide(lang, ratio ? (error !== null && base ? error / base : null) : error);
  };
  return (
    `<p>${escapeHtml(summary(bodies, s, lang))}</p>` +
    tableHtml({
      caption: s.tableCaption,
      columns: [
        s.colLength,
        ...CELLS.map((c) => CELL_LABELS[c]),
        s.colBaseline,
        ...CELLS.map((c) => fill(s.colRatio, { cell: CELL_LABELS[c] })),
      ],
      rows: LENGTHS.map((T) => [
        T,
        ...CELLS.map((c) => cellValue(c, T, false)),
        formatWide(lang, baselines.get(T)),
        ...CELLS.map((c) => cellValue(c, T, true)),
      ]),
    })
  );
}

export interface LivePoint {
  step: number;
  loss: number | null;
}

/** The live chart's y range: a one-sequence MSE lies within it unless a run diverges (then clamped). */
const LIVE_LOSS_DOMAIN = [1e-4, 10];

/** The loss curve of the run in progress, from its `progress` events, under a one-line title. */
export function liveChart(
  points: readonly LivePoint[],
  run: { cell: HorizonCell; seqLen: number; steps: number },
  s: MemoryHorizonStrings,
  document: Document = globalThis.document,
): HTMLElement {
  const color = CELL_COLORS[run.cell];
  const svg = Plot.plot({
    document,
    width: 480,
    height: 150,
    marginLeft: 52,
    marginRight: 24,
    marginBottom: 42,
    style: { fontSize: '13px' },
    ariaLabel: s.ariaLive,
    x: { label: s.liveX, labelAnchor: 'right', domain: [0, run.steps] },
    y: { type: 'log', label: s.liveY, grid: true, domain: LIVE_LOSS_DOMAIN, clamp: true, tickFormat: powerOfTen },
    marks: [
      Plot.line(points, { x: 'step', y: 'loss', stroke: color, strokeWidth: 1.5 }),
      Plot.dot(points.slice(-1), { x: 'step', y: 'loss', fill: color, r: 3 }),
    ],
  });
  const root = document.createElement('div');
  const title = document.createElement('p');
  title.className = 'gf-live-title';
  title.textContent = fill(s.liveTitle, { cell: CELL_LABELS[run.cell], T: run.seqLen });
  root.append(title, svg);
  return root;
}
