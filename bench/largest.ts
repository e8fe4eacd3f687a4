// The largest request each endpoint allows: the query of highest cost (worker/src/limits.ts) that
// the schema limits and the budgets of wrangler.toml's top-level [vars] still accept, along each
// of its sizes; and `benchLargest`, which times each one as a whole request through the worker
// app in this process (validation, budget check, computation, JSON body), so its ns per cost unit
// is the figure the budgets are set from (wrangler.toml, README "Budgets").
// T = seq_len, H = hidden_size, D = input_size, B = batch_size.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { gradientsCost, jacobianCost, traceCost, trainCost } from '../worker/src/limits.ts';
import { TRAIN_LIMITS } from '../worker/src/schemas.ts';
import type { CellKind, TrainConfig } from '../worker/src/core/types.ts';
import { fmt, report, summarise } from './stats.ts';

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
  /** Along which size it is the largest: `long` (T), `wide` (H), `steps` (training steps). */
  shape: 'long' | 'wide' | 'steps';
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
 * For one family, the two largest requests along each size: `long`, T as large as allowed at H, D
 * maximal; `wide`, H as large as allowed at T, D maximal. The costly options are on
 * (include=weights, loss=all, init=orthogonal). One of them is the costliest request allowed.
 */
function modelFamily(cost: (T: number, H: number, D: number) => number, budget: number) {
  const { T: TM, H: HM, D: DM } = MODEL_MAX;
  const out: { shape: 'long' | 'wide'; size: [number, number, number] }[] = [];
  const T = largestWhere(1, TM, (t) => cost(t, HM, DM) <= budget);
  if (T >= 1) out.push({ shape: 'long', size: [T, HM, DM] });
  const H = largestWhere(1, HM, (h) => cost(TM, h, DM) <= budget);
  if (H >= 1 && !(T === TM && H === HM)) out.push({ shape: 'wide', size: [TM, H, DM] });
  return out;
}

const HEAVY = { include: 'weights', loss: 'all', init: 'orthogonal', seed: '1', gain: '1' } as const;

function sizeQuery([T, H, D]: [number, number, number]) {
  return { seq_len: String(T), hidden_size: String(H), input_size: String(D) };
}

export function largestRequests(b: Budgets = readBudgets()): LargestRequest[] {
  const out: LargestRequest[] = [];
  const cellSets: CellKind[][] = [['rnn'], ['lstm'], ['gru'], ['rnn', 'lstm', 'gru']];
  for (const cells of cellSets) {
    const cost = (T: number, H: number, D: number) =>
      gradientsCost({ seq_len: T, hidden_size: H, input_size: D, cells, include: 'weights' });
    for (const { shape, size } of modelFamily(cost, b.BUDGET_MACS)) {
      out.push({
        endpoint: 'gradients',
        family: cells.join(','),
        shape,
        query: { cells: cells.join(','), ...sizeQuery(size), ...HEAVY },
        cost: cost(...size),
        budget: b.BUDGET_MACS,
      });
    }
  }
  for (const cell of ['rnn', 'lstm', 'gru'] as const) {
    const jac = (T: number, H: number, D: number) => jacobianCost({ seq_len: T, hidden_size: H, input_size: D, cell });
    const { include: _omit, ...heavy } = HEAVY;
    for (const { shape, size } of modelFamily(jac, b.BUDGET_MACS)) {
      out.push({ endpoint: 'jacobian', family: cell, shape, query: { cell, ...sizeQuery(size), ...heavy }, cost: jac(...size), budget: b.BUDGET_MACS });
    }
  }
  for (const cell of ['rnn', 'lstm', 'gru'] as const) {
    const tr = (T: number, H: number, D: number) =>
      traceCost({ seq_len: T, hidden_size: H, input_size: D, cell, include: 'weights' });
    for (const { shape, size } of modelFamily(tr, b.BUDGET_MACS)) {
      out.push({ endpoint: 'trace', family: cell, shape, query: { cell, ...sizeQuery(size), ...HEAVY }, cost: tr(...size), budget: b.BUDGET_MACS });
    }
  }
  for (const cell of ['rnn', 'lstm', 'gru'] as const) out.push(...largestTrain(cell, b.BUDGET_TRAIN_MACS));
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

/**
 * /train (adam, clip on, init orthogonal), the largest allowed along each size: `steps`, the most
 * steps of the widgets' kind of run (T = 12, H = 4, one sequence per step); `long`, one step at
 * the longest T the largest allowed H reaches (T = 1000 when H fits, else the longest T at
 * H = 1); `wide`, one step at H = 64 and the longest T it allows (or the widest H at T = 2).
 * Training's cost is mostly the fixed test set (256 forward passes) at one step, the
 * minibatches at many.
 */
function largestTrain(cell: CellKind, budget: number): LargestRequest[] {
  const query = (T: number, H: number, steps: number, B: number) => ({
    cell,
    task: 'adding',
    seq_len: String(T),
    hidden_size: String(H),
    seed: '1',
    init: 'orthogonal',
    gain: '1',
    steps: String(steps),
    batch_size: String(B),
    lr: '0.01',
    optimizer: 'adam',
    clip: '1',
  });
  const cost = (T: number, H: number, steps: number, B: number) => trainCost(trainConfigOf(query(T, H, steps, B)));
  const { seqLen, steps: stepLimits } = TRAIN_LIMITS;
  const out: LargestRequest[] = [];
  const push = (shape: LargestRequest['shape'], T: number, H: number, steps: number, B: number) => {
    if (T < seqLen.min || H < 1 || steps < 1 || cost(T, H, steps, B) > budget) return;
    out.push({ endpoint: 'train', family: cell, shape, query: query(T, H, steps, B), cost: cost(T, H, steps, B), budget });
  };
  push('steps', 12, 4, largestWhere(1, stepLimits.max, (s) => cost(12, 4, s, 1) <= budget), 1);
  const HLong = largestWhere(1, MODEL_MAX.H, (h) => cost(seqLen.max, h, 1, 1) <= budget);
  if (HLong >= 1) push('long', seqLen.max, HLong, 1, 1);
  else push('long', largestWhere(seqLen.min, seqLen.max, (t) => cost(t, 1, 1, 1) <= budget), 1, 1, 1);
  const TWide = largestWhere(seqLen.min, seqLen.max, (t) => cost(t, MODEL_MAX.H, 1, 1) <= budget);
  if (TWide >= seqLen.min) push('wide', TWide, MODEL_MAX.H, 1, 1);
  else push('wide', seqLen.min, largestWhere(1, MODEL_MAX.H, (h) => cost(seqLen.min, h, 1, 1) <= budget), 1, 1);
  return out;
}

/** The path and query of a request, without its seed (each timed run gets a fresh one). */
export function pathOf(req: LargestRequest): string {
  const { seed: _seed, ...rest } = req.query;
  return `/api/v1/${req.endpoint}?${new URLSearchParams(rest)}`;
}

export interface LargestOptions {
  json: boolean;
  quick?: boolean;
}

/**
 * Each largest request through the worker app (app.request, in this process, with the budgets of
 * wrangler.toml): runs with distinct seeds, so none is answered from the in-isolate cache. Per
 * request: wall time (median, p10, p90, min), process CPU time (median; left out: the time the
 * process waited for a core on a loaded machine) and ns per cost unit. A request the worker does
 * not answer with 200 is an error: the budgets and this list disagree.
 */
export async function benchLargest(o: LargestOptions) {
  const { default: app } = await import('../worker/src/index.ts');
  const budgets = readBudgets();
  const env = {
    BUDGET_MACS: String(budgets.BUDGET_MACS),
    BUDGET_TRAIN_MACS: String(budgets.BUDGET_TRAIN_MACS),
    RATE_LIMIT_ENABLED: 'false',
    RATE_LIMITER: { limit: async () => ({ success: true }) },
  };
  let seed = 1;
  const once = async (path: string) => {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const res = await app.request(`${path}&seed=${seed++}`, {}, env);
    const body = await res.arrayBuffer();
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status} ${new TextDecoder().decode(body)}`);
    return { ms, cpuMs: (cpu.user + cpu.system) / 1000 };
  };
  const records = [];
  for (const req of largestRequests(budgets)) {
    const path = pathOf(req);
    const first = await once(path);
    await once(path); // a second untimed run: the first ones of a process also compile
    const runs = o.quick ? 3 : Math.min(15, Math.max(7, Math.round(1500 / Math.max(first.ms, 1))));
    const samples = [];
    for (let i = 0; i < runs; i++) samples.push(await once(path));
    const wall = summarise(samples.map((s) => s.ms));
    const cpu = summarise(samples.map((s) => s.cpuMs));
    const record = {
      kind: 'largest',
      endpoint: req.endpoint,
      family: req.family,
      shape: req.shape,
      path,
      cost: req.cost,
      budget: req.budget,
      runs,
      ms: { median: wall.median, p10: wall.p10, p90: wall.p90, min: wall.min, first: first.ms },
      cpu_ms: { median: cpu.median, min: cpu.min },
      ns_per_unit: (wall.median * 1e6) / req.cost,
      ns_per_unit_min: (wall.min * 1e6) / req.cost,
      cpu_ns_per_unit: (cpu.median * 1e6) / req.cost,
      loadavg: loadavg()[0],
    };
    records.push(record);
    report(
      o.json,
      record,
      `largest ${req.endpoint.padEnd(9)} ${req.family.padEnd(12)} ${req.shape.padEnd(5)} cost ${fmt(req.cost / 1e6, 1).padStart(4)}M / ${fmt(req.budget / 1e6, 0)}M: ` +
        `${fmt(wall.median, 1).padStart(5)} ms median [p10 ${fmt(wall.p10, 1)}, p90 ${fmt(wall.p90, 1)}, min ${fmt(wall.min, 1)}] ` +
        `${fmt(record.ns_per_unit, 2)} ns/unit (best ${fmt(record.ns_per_unit_min, 2)}); cpu ${fmt(cpu.median, 1)} ms ${fmt(record.cpu_ns_per_unit, 2)} ns/unit; ` +
        `load ${fmt(record.loadavg, 1)}  ${path}`,
    );
  }
  const range = (values: number[]) => ({ min: Math.min(...values), median: summarise(values).median, max: Math.max(...values) });
  const wallUnit = range(records.map((r) => r.ns_per_unit));
  const cpuUnit = range(records.map((r) => r.cpu_ns_per_unit));
  const slowest = records.reduce((a, r) => (r.ms.median > a.ms.median ? r : a), records[0]);
  const show = (r: { min: number; median: number; max: number }) => `${fmt(r.min, 2)}–${fmt(r.max, 2)} (median ${fmt(r.median, 2)})`;
  report(
    o.json,
    {
      kind: 'largest-summary',
      requests: records.length,
      ns_per_unit: wallUnit,
      cpu_ns_per_unit: cpuUnit,
      slowest: { path: slowest.path, ms_median: slowest.ms.median },
      loadavg: loadavg()[0],
    },
    `largest: ${records.length} requests; ns/unit ${show(wallUnit)}, cpu ns/unit ${show(cpuUnit)}; ` +
      `slowest median ${fmt(slowest.ms.median, 1)} ms (${slowest.endpoint} ${slowest.family} ${slowest.shape})`,
  );
  return records;
}
