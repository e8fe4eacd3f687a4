// Core benchmark: forward + BPTT (the /gradients computation) per cell and size, timed against a
// calibration mat-vec run in the same loop, and the API's default /gradients request (the largest
// request of each endpoint is bench/largest.ts).
// T = steps, H = hidden, D = input, G = gate blocks, GH = G·H.
import { loadavg } from 'node:os';
import { backward, forward, type KernelChoice } from '../worker/src/core/cells.ts';
import { macsPerStep } from '../worker/src/core/cost.ts';
import { computeGradients } from '../worker/src/core/gradients.ts';
import { buildModel } from '../worker/src/core/init.ts';
import { lossAndDy } from '../worker/src/core/readout.ts';
import { GATE_BLOCKS, type CellKind, type ModelConfig } from '../worker/src/core/types.ts';
import { calibrate, packRows4, VARIANTS } from './calibrate.ts';
import { fmt, report, summarise } from './stats.ts';

export const SIZES: readonly [number, number, number][] = [
  [50, 16, 4],
  [200, 32, 4],
  [1000, 64, 4],
];

function configOf(cell: CellKind, T: number, H: number, D: number): ModelConfig {
  return { cell, T, H, D, seed: 42, init: 'pytorch', gain: 1, forgetBias: 0, nonlinearity: 'tanh', loss: 'last' };
}

/** Multiply-adds of forward + BPTT: forward macsPerStep per step, backward twice that (cost.ts). */
export function forwardBackwardMacs(cell: CellKind, T: number, H: number, D: number): number {
  return 3 * T * macsPerStep(cell, H, D);
}

/** Wall time per run of fn, ms, over `reps` runs. */
export function timeOnce(fn: () => void, reps = 1): number {
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) fn();
  return (performance.now() - t0) / reps;
}

/**
 * A calibration sample of about `macs` multiply-adds with the given mat-vec variant at (R × K);
 * returns multiply-adds per second.
 */
function calibrationSampler(R: number, K: number, variant: string) {
  const W = new Float64Array(R * K);
  const v = new Float64Array(K);
  for (let e = 0; e < W.length; e++) W[e] = ((e * 7919) % 1000) / 1000 - 0.5;
  for (let k = 0; k < K; k++) v[k] = ((k * 104729) % 1000) / 1000 - 0.5;
  const { fn, packed } = VARIANTS[variant];
  const M = packed ? packRows4(W, R, K) : W;
  const out = new Float64Array(R + 4);
  return (macs: number) => {
    const reps = Math.max(1, Math.round(macs / (R * K)));
    let sink = 0;
    const ms = timeOnce(() => {
      for (let i = 0; i < reps; i++) {
        v[0] = i * 1e-9;
        fn(out, M, v, R, K);
        sink += out[0];
      }
    });
    return sink === 1e300 ? 0 : (reps * R * K) / (ms / 1000);
  };
}

export interface CoreOptions {
  json: boolean;
  /** Milliseconds of fused-kernel samples per configuration (more = tighter spread). */
  budgetMs: number;
}

/**
 * One configuration: samples of the fused kernel, each followed by a calibration sample of the
 * same length (best mat-vec variant at the gate matrix's shape), so that both see the same load
 * on the shared machine; the ratio is taken per pair and summarised. Every third pair also times
 * the naive mat-vec, the reference kernel and computeGradients as a whole.
 */
export function benchCore(cell: CellKind, T: number, H: number, D: number, o: CoreOptions) {
  const cfg = configOf(cell, T, H, D);
  const { params, seq } = buildModel(cfg);
  const macs = forwardBackwardMacs(cell, T, H, D);
  const run = (kernel: KernelChoice) => () => {
    const cache = forward(params, seq, 'tanh', undefined, kernel);
    const { dY } = lossAndDy(cache.y, seq.target, 'last');
    backward(params, seq, cache, 'tanh', dY, kernel);
  };
  const fused = run('fused');
  const reference = run('reference');
  const R = GATE_BLOCKS[cell] * H;
  const K = H + D;
  const cal = calibrate(R, K, 150);
  const best = calibrationSampler(R, K, cal.bestVariant);
  const naive = calibrationSampler(R, K, 'naive');
  const whole = () => computeGradients(cfg);

  for (let i = 0; i < 5; i++) {
    fused();
    reference();
    whole();
  }
  const single = Math.max(Math.min(timeOnce(fused), timeOnce(fused), timeOnce(fused)), 0.005);
  // Short samples (~1 ms) are less often preempted; tiny runs are repeated up to that.
  const reps = Math.max(1, Math.ceil(1 / single));
  const estimate = single * reps;
  const n = Math.min(300, Math.max(15, Math.round(o.budgetMs / estimate)));
  const calMacs = (cal.best * estimate) / 1000;
  const naiveMacs = (cal.naive * estimate) / 1000;
  const fusedMs: number[] = [];
  const ratios: number[] = [];
  const referenceMs: number[] = [];
  const wholeMs: number[] = [];
  const bestRate: number[] = [];
  const naiveRate: number[] = [];
  for (let i = 0; i < n; i++) {
    const ms = timeOnce(fused, reps);
    const calRate = best(calMacs);
    fusedMs.push(ms);
    bestRate.push(calRate);
    ratios.push(macs / (ms / 1000) / calRate);
    if (i % 3 === 0) {
      referenceMs.push(timeOnce(reference, reps));
      naiveRate.push(naive(naiveMacs));
      wholeMs.push(timeOnce(whole, reps));
    }
  }
  const f = summarise(fusedMs);
  const r = summarise(referenceMs);
  const w = summarise(wholeMs);
  const b = summarise(bestRate);
  const nv = summarise(naiveRate);
  const q = summarise(ratios);
  const rate = macs / (f.median / 1000);
  const record = {
    kind: 'core',
    cell,
    T,
    H,
    D,
    macs,
    runs: f.n * reps,
    fused_ms: { median: f.median, p10: f.p10, p90: f.p90, mad: f.mad, min: f.min },
    us_per_step: (1000 * f.median) / T,
    macs_per_s: rate,
    calibration: { shape: [R, K], variant: cal.bestVariant, blocked_macs_per_s: b.median, naive_macs_per_s: nv.median },
    /** Median over pairs of (fused rate / calibration rate of the sample right after it). */
    ratio: q.median,
    ratio_p10_p90: [q.p10, q.p90],
    /** Fastest fused run against the fastest calibration rate seen (the start-up calibration
     * included): what each reaches when nothing else runs; never flatters the core. */
    ratio_best: macs / (f.min / 1000) / Math.max(cal.best, ...bestRate),
    reference_ms: { median: r.median, p10: r.p10, p90: r.p90 },
    speedup: r.median / f.median,
    compute_gradients_ms: { median: w.median, p10: w.p10, p90: w.p90 },
    loadavg: loadavg()[0],
  };
  report(
    o.json,
    record,
    `${cell.padEnd(4)} T=${String(T).padStart(4)} H=${String(H).padStart(2)} D=${String(D).padStart(2)}  ` +
      `fused ${fmt(f.median, 3)} ms [p10 ${fmt(f.p10, 3)}, p90 ${fmt(f.p90, 3)}] ${fmt(record.us_per_step, 2)} µs/step ` +
      `${fmt(rate / 1e9)} GMAC/s | ${fmt(100 * q.median, 0)} % of calibrated (p10–p90 ${fmt(100 * q.p10, 0)}–${fmt(100 * q.p90, 0)} %, ` +
      `best-of-run ${fmt(100 * record.ratio_best, 0)} %; ${cal.bestVariant} ${fmt(b.median / 1e9)}, naive ${fmt(nv.median / 1e9)} GMAC/s) ` +
      `| reference ${fmt(r.median, 3)} ms (${fmt(record.speedup, 1)}×) | computeGradients ${fmt(w.median, 3)} ms`,
  );
  return record;
}

/**
 * The API's default /gradients request (cells rnn,lstm at T = 50, H = 16, D = 4, seed 42): the
 * core's whole computation of its two results, against the "well under 1 ms".
 */
/** Calls of the default /gradients reported as the process's first ones, and before the timed ones. */
const FIRST_CALLS = 100;
const WARM_CALLS = 1000;

export function benchDefaultGradients(o: CoreOptions) {
  const cfgs = (['rnn', 'lstm'] as const).map((cell) => ({ ...configOf(cell, 50, 16, 4), seed: 42 }));
  const fn = () => cfgs.map((c) => computeGradients(c));
  // The first few hundred calls of a process run while V8 is still tiering the kernels up (slower
  // the more code the process has loaded: in this bench's process the first 200 calls took 2-4×
  // the steady state). A warm isolate serving a dragged slider is past that, so the figure is
  // the steady state after WARM_CALLS; the first calls are reported beside it.
  const first = summarise(Array.from({ length: FIRST_CALLS }, () => timeOnce(fn)));
  for (let i = FIRST_CALLS; i < WARM_CALLS; i++) fn();
  const ms = summarise(Array.from({ length: 1000 }, () => timeOnce(fn)));
  const record = {
    kind: 'default-gradients',
    cells: 'rnn,lstm',
    T: 50,
    H: 16,
    D: 4,
    ms: { median: ms.median, p10: ms.p10, p90: ms.p90, min: ms.min },
    first_calls: { calls: FIRST_CALLS, median: first.median, p90: first.p90 },
  };
  report(
    o.json,
    record,
    `default /gradients (rnn+lstm, T=50, H=16): ${fmt(ms.median, 3)} ms median [p10 ${fmt(ms.p10, 3)}, p90 ${fmt(ms.p90, 3)}], best ${fmt(ms.min, 3)} ms ` +
      `after ${WARM_CALLS} calls; the process's first ${FIRST_CALLS}: ${fmt(first.median, 3)} ms median [p90 ${fmt(first.p90, 3)}]`,
  );
  return record;
}
