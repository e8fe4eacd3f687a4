// The largest request each endpoint allows: the query of highest cost (worker/src/limits.ts) that
// the schema limits and the budgets of wrangler.toml's top-level [vars] still accept.
// T = seq_len, H = hidden_size, D = input_size.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gradientsCost, jacobianCost, traceCost, trainCost } from '../worker/src/limits.ts';
import { TRAIN_LIMITS } from '../worker/src/schemas.ts';
import type { CellKind, TrainConfig } from '../worker/src/core/types.ts';

export const ROOT = join(import.meta.dirname, '..');

export interface Budgets {
  BUDGET_MACS: number;
  BUDGET_TRAIN_MACS: number;
}

/** The budgets of the local/dev environment (the top-level [vars] of wrangler.toml). */
export function readBudgets(): Budgets {
  const toml = readFileSync(join(ROOT, 'wrangler.toml'), 'utf8');
  const top = toml.split(/^\[env\./m)[0];
  const vars = top.split(/^\[vars\]\s*$/m)[1]?.split(/^\[/m)[0] ?? '';
  const value = (name: string) => {
    const m = new RegExp(`^\\s*${name}\\s*=\\s*"?([0-9_.e+]+)"?`, 'm').exec(vars);
    if (!m) throw new Error(`wrangler.toml [vars] has no ${name}`);
    return Number(m[1].replace(/_/g, ''));
  };
  return { BUDGET_MACS: value('BUDGET_MACS'), BUDGET_TRAIN_MACS: value('BUDGET_TRAIN_MACS') };
}

/** The local environment's per-IP rate limit ([[ratelimits]] simple = { limit, period }). */
export function readRateLimit(): { limit: number; period: number } {
  const top = readFileSync(join(ROOT, 'wrangler.toml'), 'utf8').split(/^\[env\./m)[0];
  const m = /simple\s*=\s*\{\s*limit\s*=\s*(\d+)\s*,\s*period\s*=\s*(\d+)\s*\}/.exec(top);
  if (!m) throw new Error('wrangler.toml has no [[ratelimits]] simple = { limit, period }');
  return { limit: Number(m[1]), period: Number(m[2]) };
}

export interface LargestRequest {
  endpoint: 'gradients' | 'jacobian' | 'trace' | 'train';
  /** Which family of queries this is the largest of (a cell or a cell list). */
  family: string;
  query: Record<string, string>;
  cost: number;
  budget: number;
}

const MODEL_MAX = { T: 1000, H: 64, D: 16 };

/** Largest n in [lo, hi] with ok(n), assuming ok is monotone (true then false); lo - 1 if none. */
function largestWhere(lo: number, hi: number, ok: (n: number) => boolean): number {
  if (!ok(lo)) return lo - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (ok(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * For one family, the costliest of: T as large as allowed at H, D maximal; H as large as allowed at
 * T, D maximal. The costly options are on (include=weights, loss=all, init=orthogonal).
 */
function modelFamily(cost: (T: number, H: number, D: number) => number, budget: number) {
  const { T: TM, H: HM, D: DM } = MODEL_MAX;
  const candidates: [number, number, number][] = [];
  const T = largestWhere(1, TM, (t) => cost(t, HM, DM) <= budget);
  if (T >= 1) candidates.push([T, HM, DM]);
  const H = largestWhere(1, HM, (h) => cost(TM, h, DM) <= budget);
  if (H >= 1) candidates.push([TM, H, DM]);
  let best: [number, number, number] | null = null;
  for (const c of candidates) if (!best || cost(...c) > cost(...best)) best = c;
  return best;
}

const HEAVY = { include: 'weights', loss: 'all', init: 'orthogonal', seed: '1', gain: '1' } as const;

export function largestRequests(b: Budgets = readBudgets()): LargestRequest[] {
  const out: LargestRequest[] = [];
  const cellSets: CellKind[][] = [['rnn'], ['lstm'], ['gru'], ['rnn', 'lstm', 'gru']];
  for (const cells of cellSets) {
    const cost = (T: number, H: number, D: number) =>
      gradientsCost({ seq_len: T, hidden_size: H, input_size: D, cells, include: 'weights' });
    const best = modelFamily(cost, b.BUDGET_MACS);
    if (!best) continue;
    const [T, H, D] = best;
    out.push({
      endpoint: 'gradients',
      family: cells.join(','),
      query: { cells: cells.join(','), seq_len: String(T), hidden_size: String(H), input_size: String(D), ...HEAVY },
      cost: cost(T, H, D),
      budget: b.BUDGET_MACS,
    });
  }
  for (const cell of ['rnn', 'lstm', 'gru'] as const) {
    const jac = (T: number, H: number, D: number) => jacobianCost({ seq_len: T, hidden_size: H, input_size: D, cell });
    const j = modelFamily(jac, b.BUDGET_MACS);
    if (j) {
      const [T, H, D] = j;
      const { include: _omit, ...heavy } = HEAVY;
      out.push({
        endpoint: 'jacobian',
        family: cell,
        query: { cell, seq_len: String(T), hidden_size: String(H), input_size: String(D), ...heavy },
        cost: jac(T, H, D),
        budget: b.BUDGET_MACS,
      });
    }
    const tr = (T: number, H: number, D: number) =>
      traceCost({ seq_len: T, hidden_size: H, input_size: D, cell, include: 'weights' });
    const t = modelFamily(tr, b.BUDGET_MACS);
    if (t) {
      const [T, H, D] = t;
      out.push({
        endpoint: 'trace',
        family: cell,
        query: { cell, seq_len: String(T), hidden_size: String(H), input_size: String(D), ...HEAVY },
        cost: tr(T, H, D),
        budget: b.BUDGET_MACS,
      });
    }
    const train = largestTrain(cell, b.BUDGET_TRAIN_MACS);
    if (train) out.push(train);
  }
  return out;
}

/** Train config of a query as the route builds it (adding task, adam, clip on). */
export function trainConfigOf(q: Record<string, string>): TrainConfig {
  return {
    cell: q.cell as CellKind,
    task: 'adding',
    T: Number(q.seq_len),
    H: Number(q.hidden_size),
    seed: Number(q.seed),
    init: q.init as TrainConfig['init'],
    gain: Number(q.gain),
    forgetBias: 0,
    nonlinearity: 'tanh',
    steps: Number(q.steps),
    batchSize: Number(q.batch_size),
    lr: Number(q.lr),
    optimizer: q.optimizer as TrainConfig['optimizer'],
    clip: Number(q.clip),
  };
}

/** /train: the most steps allowed at the longest sequences, the largest batch and H = 64. */
function largestTrain(cell: CellKind, budget: number): LargestRequest | null {
  const query = (steps: number, B: number) => ({
    cell,
    task: 'adding',
    seq_len: String(TRAIN_LIMITS.seqLen.max),
    hidden_size: String(MODEL_MAX.H),
    seed: '1',
    init: 'orthogonal',
    gain: '1',
    steps: String(steps),
    batch_size: String(B),
    lr: '0.01',
    optimizer: 'adam',
    clip: '1',
  });
  const cost = (steps: number, B: number) => trainCost(trainConfigOf(query(steps, B)));
  let B: number = TRAIN_LIMITS.batchSize.max;
  while (B > 1 && cost(1, B) > budget) B = Math.floor(B / 2);
  const steps = largestWhere(1, TRAIN_LIMITS.steps.max, (s) => cost(s, B) <= budget);
  if (steps < 1) return null;
  return { endpoint: 'train', family: cell, query: query(steps, B), cost: cost(steps, B), budget };
}
