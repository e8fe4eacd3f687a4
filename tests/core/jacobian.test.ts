// The Jacobian analysis against finite differences, the Pascanu bound, the direct product of the
// forget gates and an analytic vanishing case.
// T = steps, H = hidden, D = input, G = gate blocks, S = state size (H, or 2H for lstm's [h; c]).
//
// The caches here come from refForward, a plain re-implementation of the contract's equations
// with Math.*, so the step Jacobian is differentiated against a forward the code under test did
// not write; computeJacobian itself (the core's own forward) is compared with the same numbers.
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../worker/src/core/init.ts';
import {
  computeJacobian,
  log10CellPath,
  log10JacobianNorms,
  log10PascanuBound,
  matMul,
  matMulRow,
  stateSize,
  stepJacobian,
} from '../../worker/src/core/jacobian.ts';
import { sigmaMax } from '../../worker/src/core/linalg.ts';
import type {
  Cache,
  CellKind,
  LstmCache,
  ModelConfig,
  Nonlinearity,
  Params,
  Sequence,
} from '../../worker/src/core/types.ts';

/** Central-difference step on the state. */
const FD_EPS = 1e-6;
/** Step Jacobian vs central differences, relative to the largest |entry| of J. */
const STEP_FD_TOLERANCE = 1e-8;
/**
 * ‖∂s_T/∂s_t‖ vs σ_max of a finite-difference Jacobian of the unrolled forward: relative for the
 * truncation error, plus an absolute floor for the rounding of s_T (~1e-16 / FD_EPS), which
 * dominates for the small norms of a vanishing chain.
 */
const CHAIN_FD_RELATIVE = 1e-7;
const CHAIN_FD_ABSOLUTE = 1e-9;
/** The core's forward vs refForward: both are float64 evaluations of the same equations. */
const FORWARD_AGREEMENT_LOG10 = 1e-11;
/** Rounding allowance on the Pascanu bound (log10 units); the bound itself holds exactly. */
const BOUND_ROUNDING_LOG10 = 1e-11;
/** Sum of log10 f vs log10 of the directly multiplied f's. */
const CELL_PATH_TOLERANCE_LOG10 = 1e-12;

const sigmoid = (a: number): number => 1 / (1 + Math.exp(-a));

function config(cell: CellKind, over: Partial<ModelConfig> = {}): ModelConfig {
  return {
    cell,
    T: 8,
    H: 4,
    D: 3,
    seed: 7,
    init: 'pytorch',
    gain: 1,
    forgetBias: 0,
    nonlinearity: 'tanh',
    loss: 'last',
    ...over,
  };
}

interface StepOut {
  s: Float64Array; // (S) h_t, or [h_t; c_t]
  gates: Record<string, Float64Array>; // each (H)
}

/** One step of the contract's equations from s_{t−1} (S) and x_t (row k of seq.x). */
function refStep(p: Params, act: Nonlinearity, seq: Sequence, k: number, sPrev: Float64Array): StepOut {
  const { H, D, G } = p;
  const aIh = new Float64Array(G * H); // (G*H) W_ih x_t + b_ih
  const aHh = new Float64Array(G * H); // (G*H) W_hh h_{t−1} + b_hh
  for (let r = 0; r < G * H; r++) {
    let u = p.bIh[r];
    for (let d = 0; d < D; d++) u += p.wIh[r * D + d] * seq.x[k * D + d];
    let v = p.bHh[r];
    for (let m = 0; m < H; m++) v += p.wHh[r * H + m] * sPrev[m];
    aIh[r] = u;
    aHh[r] = v;
  }
  const vec = () => new Float64Array(H);
  if (p.cell === 'rnn') {
    const h = vec();
    for (let j = 0; j < H; j++) {
      const a = aIh[j] + aHh[j];
      h[j] = act === 'tanh' ? Math.tanh(a) : Math.max(0, a);
    }
    return { s: h, gates: {} };
  }
  if (p.cell === 'lstm') {
    const [i, f, g, o, c, tanhC] = [vec(), vec(), vec(), vec(), vec(), vec()];
    const s = new Float64Array(2 * H);
    for (let j = 0; j < H; j++) {
      i[j] = sigmoid(aIh[j] + aHh[j]);
      f[j] = sigmoid(aIh[H + j] + aHh[H + j]);
      g[j] = Math.tanh(aIh[2 * H + j] + aHh[2 * H + j]);
      o[j] = sigmoid(aIh[3 * H + j] + aHh[3 * H + j]);
      c[j] = f[j] * sPrev[H + j] + i[j] * g[j];
      tanhC[j] = Math.tanh(c[j]);
      s[j] = o[j] * tanhC[j];
      s[H + j] = c[j];
    }
    return { s, gates: { i, f, g, o, c, tanhC } };
  }
  const [r, z, n, hn, h] = [vec(), vec(), vec(), vec(), vec()];
  for (let j = 0; j < H; j++) {
    r[j] = sigmoid(aIh[j] + aHh[j]);
    z[j] = sigmoid(aIh[H + j] + aHh[H + j]);
    hn[j] = aHh[2 * H + j];
    n[j] = Math.tanh(aIh[2 * H + j] + r[j] * hn[j]);
    h[j] = (1 - z[j]) * n[j] + z[j] * sPrev[j];
  }
  return { s: h, gates: { r, z, n, hn } };
}

/** The unrolled forward as a Cache (y is the readout, unused by the Jacobian). */
function refForward(p: Params, seq: Sequence, act: Nonlinearity): Cache {
  const { H } = p;
  const T = seq.T;
  const S = stateSize(p);
  const names = p.cell === 'lstm' ? ['i', 'f', 'g', 'o', 'c', 'tanhC'] : p.cell === 'gru' ? ['r', 'z', 'n', 'hn'] : [];
  const rows: Record<string, Float64Array> = { h: new Float64Array(T * H) };
  for (const name of names) rows[name] = new Float64Array(T * H);
  const y = new Float64Array(T);
  let s: Float64Array = new Float64Array(S);
  for (let k = 0; k < T; k++) {
    const out = refStep(p, act, seq, k, s);
    s = out.s;
    rows.h.set(s.subarray(0, H), k * H);
    for (const name of names) rows[name].set(out.gates[name], k * H);
    let yk = p.bY;
    for (let j = 0; j < H; j++) yk += p.wY[j] * s[j];
    y[k] = yk;
  }
  return { cell: p.cell, ...rows, y } as Cache;
}

/** s_k (S) of the reference forward, k = 0..T−1 (step k+1). */
function stateAt(p: Params, cache: Cache, k: number): Float64Array {
  const H = p.H;
  const s = new Float64Array(stateSize(p));
  if (k < 0) return s;
  s.set(cache.h.subarray(k * H, (k + 1) * H));
  if (cache.cell === 'lstm') s.set(cache.c.subarray(k * H, (k + 1) * H), H);
  return s;
}

/** Runs steps from+1..T (0-based rows from..T−1) from the state sFrom; returns s_T. */
function rollOut(p: Params, act: Nonlinearity, seq: Sequence, from: number, sFrom: Float64Array): Float64Array {
  let s = sFrom;
  for (let k = from; k < seq.T; k++) s = refStep(p, act, seq, k, s).s;
  return s;
}

/** Central differences of s ↦ f(s) (S → S) at s0: (S, S) row-major, column m = ∂f/∂s[m]. */
function fdJacobian(f: (s: Float64Array) => Float64Array, s0: Float64Array): Float64Array {
  const S = s0.length;
  const jac = new Float64Array(S * S);
  for (let m = 0; m < S; m++) {
    const plus = Float64Array.from(s0);
    const minus = Float64Array.from(s0);
    plus[m] += FD_EPS;
    minus[m] -= FD_EPS;
    const fp = f(plus);
    const fm = f(minus);
    for (let r = 0; r < S; r++) jac[r * S + m] = (fp[r] - fm[r]) / (2 * FD_EPS);
  }
  return jac;
}

function maxAbsDiffRelative(a: Float64Array, b: Float64Array): number {
  let diff = 0;
  let scale = 0;
  for (let e = 0; e < a.length; e++) {
    diff = Math.max(diff, Math.abs(a[e] - b[e]));
    scale = Math.max(scale, Math.abs(b[e]));
  }
  return scale > 0 ? diff / scale : diff;
}

const STEP_CASES: { name: string; cfg: ModelConfig }[] = [
  { name: 'rnn tanh', cfg: config('rnn') },
  { name: 'rnn tanh gain 2', cfg: config('rnn', { gain: 2, seed: 3 }) },
  { name: 'rnn relu', cfg: config('rnn', { nonlinearity: 'relu', gain: 1.5 }) },
  { name: 'lstm', cfg: config('lstm') },
  { name: 'lstm gain 3 forget_bias 2', cfg: config('lstm', { gain: 3, forgetBias: 2, seed: 11 }) },
  { name: 'gru', cfg: config('gru') },
  { name: 'gru gain 3 orthogonal', cfg: config('gru', { gain: 3, init: 'orthogonal', seed: 5 }) },
];

describe('stepJacobian', () => {
  for (const { name, cfg } of STEP_CASES) {
    it(`${name}: J_t equals central differences of one forward step, every t`, () => {
      const { params, seq } = buildModel(cfg);
      const act = cfg.nonlinearity;
      const cache = refForward(params, seq, act);
      const S = stateSize(params);
      const jac = new Float64Array(S * S);
      for (let t = 1; t <= cfg.T; t++) {
        stepJacobian(params, seq, cache, act, t, jac);
        const fd = fdJacobian((s) => refStep(params, act, seq, t - 1, s).s, stateAt(params, cache, t - 2));
        expect(maxAbsDiffRelative(jac, fd), `t = ${t}`).toBeLessThan(STEP_FD_TOLERANCE);
      }
    });
  }

  it('relu: J is zero on the rows of inactive units', () => {
    const cfg = config('rnn', { nonlinearity: 'relu', H: 8 });
    const { params, seq } = buildModel(cfg);
    const cache = refForward(params, seq, 'relu');
    const jac = new Float64Array(64);
    stepJacobian(params, seq, cache, 'relu', cfg.T, jac);
    let inactive = 0;
    for (let j = 0; j < 8; j++) {
      if (cache.h[(cfg.T - 1) * 8 + j] > 0) continue;
      inactive++;
      for (let m = 0; m < 8; m++) expect(jac[j * 8 + m] === 0).toBe(true);
    }
    expect(inactive).toBeGreaterThan(0);
  });
});

describe('matMul', () => {
  it('the four-row blocked product is bit-identical to the plain row loop, for every S up to 13', () => {
    for (let S = 1; S <= 13; S++) {
      const a = Float64Array.from({ length: S * S }, (_, e) => Math.sin(1.7 * e + S));
      const b = Float64Array.from({ length: S * S }, (_, e) => Math.cos(0.3 * e - S) * 1e-3);
      const blocked = new Float64Array(S * S).fill(Number.NaN); // must be overwritten, not added to
      const plain = new Float64Array(S * S).fill(Number.NaN);
      matMul(a, b, S, blocked);
      for (let i = 0; i < S; i++) matMulRow(a, b, S, i, plain);
      expect(blocked.every(Number.isFinite)).toBe(true);
      expect(blocked).toEqual(plain);
      // and it is the product: entry (S−1, 0) written out
      let entry = 0;
      for (let k = 0; k < S; k++) entry += a[(S - 1) * S + k] * b[k * S];
      expect(blocked[(S - 1) * S]).toBe(entry);
    }
  });
});

describe('log10 ‖∂s_T/∂s_t‖ for every t', () => {
  const CHAIN_CASES: ModelConfig[] = [
    config('rnn', { T: 10 }),
    config('rnn', { T: 10, nonlinearity: 'relu', gain: 1.2, seed: 2 }),
    config('lstm', { T: 10, H: 3, forgetBias: 1 }),
    config('gru', { T: 10, H: 3, gain: 2 }),
  ];
  for (const cfg of CHAIN_CASES) {
    const label = `${cfg.cell} ${cfg.nonlinearity} gain ${cfg.gain}`;
    it(`${label}: equals σ_max of a finite-difference Jacobian of the unrolled forward`, () => {
      const { params, seq } = buildModel(cfg);
      const act = cfg.nonlinearity;
      const cache = refForward(params, seq, act);
      const S = stateSize(params);
      const norms = log10JacobianNorms(params, seq, cache, act);
      expect(norms[cfg.T - 1]).toBe(0);
      for (let k = 0; k < cfg.T - 1; k++) {
        // s_{k+1} (row k) is the state the steps k+2..T start from, i.e. rows k+1..T−1.
        const fd = fdJacobian((s) => rollOut(params, act, seq, k + 1, s), stateAt(params, cache, k));
        const expected = sigmaMax(fd, S, S);
        const measured = 10 ** norms[k];
        expect(Math.abs(measured - expected), `t = ${k + 1}`).toBeLessThan(
          CHAIN_FD_RELATIVE * expected + CHAIN_FD_ABSOLUTE,
        );
      }
    });

    it(`${label}: computeJacobian (the core's own forward) gives the same norms`, () => {
      const { params, seq } = buildModel(cfg);
      const expected = log10JacobianNorms(params, seq, refForward(params, seq, cfg.nonlinearity), cfg.nonlinearity);
      const result = computeJacobian(cfg);
      expect(result.cell).toBe(cfg.cell);
      expect(result.sigmaMaxWhh).toBeCloseTo(sigmaMax(params.wHh, params.G * params.H, params.H), 14);
      for (let k = 0; k < cfg.T; k++) {
        expect(Math.abs(result.log10JacobianNorm[k] - expected[k])).toBeLessThan(FORWARD_AGREEMENT_LOG10);
      }
      expect(result.log10Bound === null).toBe(cfg.cell !== 'rnn');
      expect(result.log10CellPath === null).toBe(cfg.cell !== 'lstm');
    });
  }
});

describe('Pascanu, Mikolov & Bengio: ‖∂h_T/∂h_t‖ ≤ σ_max(W_hh)^(T−t) for rnn', () => {
  it('holds for tanh and relu, gains 0.3..3, several seeds, sizes and lengths', () => {
    let checked = 0;
    for (const nonlinearity of ['tanh', 'relu'] as const) {
      for (const gain of [0.3, 0.6, 0.9, 1, 1.1, 1.5, 2, 3]) {
        for (const seed of [1, 2, 3]) {
          for (const [T, H, init] of [[5, 2, 'pytorch'], [40, 6, 'orthogonal'], [120, 12, 'pytorch']] as const) {
            const cfg = config('rnn', { nonlinearity, gain, seed, T, H, D: 3, init });
            const result = computeJacobian(cfg);
            const bound = result.log10Bound!;
            expect(bound).toEqual(log10PascanuBound(result.sigmaMaxWhh, T));
            for (let k = 0; k < T; k++) {
              const excess = result.log10JacobianNorm[k] - bound[k];
              expect(excess, `${nonlinearity} gain ${gain} seed ${seed} T ${T} t ${k + 1}`).toBeLessThanOrEqual(
                BOUND_ROUNDING_LOG10,
              );
              checked++;
            }
          }
        }
      }
    }
    expect(checked).toBe(2 * 8 * 3 * (5 + 40 + 120));
  });

  it('is attained, within rounding, by a relu network whose units all stay active', () => {
    // J_t = W_hh exactly when every unit is on; W_hh = gain · rotation has ‖W^n‖ = gain^n.
    const { p, seq } = activeReluRotation(0.9, 60);
    const cache = refForward(p, seq, 'relu');
    expect(Math.min(...cache.h)).toBeGreaterThan(0);
    const norms = log10JacobianNorms(p, seq, cache, 'relu');
    const bound = log10PascanuBound(sigmaMax(p.wHh, 2, 2), seq.T);
    for (let k = 0; k < seq.T; k++) {
      expect(Math.abs(norms[k] - bound[k])).toBeLessThan(BOUND_ROUNDING_LOG10);
    }
  });
});

/**
 * rnn relu, H = 2, D = 1: W_hh = gain · R(0.1) (a rotation), W_ih = 0, biases large and positive
 * so that every pre-activation stays positive (the tests check it) and J_t = W_hh.
 * ∂h_T/∂h_t = W_hh^(T−t) with norm gain^(T−t).
 */
function activeReluRotation(gain: number, T: number): { p: Params; seq: Sequence } {
  const cos = Math.cos(0.1);
  const sin = Math.sin(0.1);
  const p: Params = {
    cell: 'rnn',
    H: 2,
    D: 1,
    G: 1,
    wIh: new Float64Array(2),
    wHh: Float64Array.from([gain * cos, -gain * sin, gain * sin, gain * cos]),
    bIh: Float64Array.from([10, 10]),
    bHh: Float64Array.from([0, 0]),
    wY: Float64Array.from([1, 1]),
    bY: 0,
  };
  return { p, seq: { T, D: 1, x: new Float64Array(T), target: new Float64Array(T) } };
}

describe('lstm cell path log10 max_j ∏ f_k[j]', () => {
  for (const forgetBias of [-2, 0, 2]) {
    it(`forget_bias ${forgetBias}: equals the direct product of the cached f's`, () => {
      const cfg = config('lstm', { T: 60, H: 5, forgetBias, seed: 4 });
      const { params, seq } = buildModel(cfg);
      const cache = refForward(params, seq, 'tanh') as LstmCache;
      const path = log10CellPath(cache, cfg.T, cfg.H);
      const fromCore = computeJacobian(cfg).log10CellPath!;
      let compared = 0;
      for (let k = 0; k < cfg.T; k++) {
        let best = 0;
        for (let j = 0; j < cfg.H; j++) {
          let product = 1;
          for (let m = k + 1; m < cfg.T; m++) product *= cache.f[m * cfg.H + j];
          best = Math.max(best, product);
        }
        if (best < 1e-300) continue;
        compared++;
        expect(Math.abs(path[k] - Math.log10(best)), `t = ${k + 1}`).toBeLessThan(CELL_PATH_TOLERANCE_LOG10);
        expect(Math.abs(fromCore[k] - Math.log10(best))).toBeLessThan(FORWARD_AGREEMENT_LOG10);
      }
      expect(path[cfg.T - 1]).toBe(0);
      expect(compared).toBeGreaterThan(cfg.T / 2);
    });
  }
});

describe('vanishing far below float64', () => {
  it('reports the exact exponent of W^(T−t) down to 1e-999', () => {
    // gain 0.1: ‖∂h_T/∂h_t‖ = 10^−(T−t) analytically, 1e-999 at t = 1 for T = 1000.
    const T = 1000;
    const { p, seq } = activeReluRotation(0.1, T);
    const cache = refForward(p, seq, 'relu');
    expect(Math.min(...cache.h)).toBeGreaterThan(0);
    const norms = log10JacobianNorms(p, seq, cache, 'relu');
    for (let k = 0; k < T; k++) {
      // Rounding of 0.1 · cos, 0.1 · sin and of each product grows linearly with T − t.
      expect(Math.abs(norms[k] + (T - 1 - k)), `t = ${k + 1}`).toBeLessThan(1e-13 * (T - k) + 1e-14);
    }
    expect(norms[0]).toBeLessThan(-998);
  });

  it('a tanh rnn with gain 0.25 and an lstm with forget_bias −6 report finite values below −308', () => {
    const rnn = computeJacobian(config('rnn', { T: 1000, H: 8, gain: 0.25 }));
    expect(Number.isFinite(rnn.log10JacobianNorm[0])).toBe(true);
    expect(rnn.log10JacobianNorm[0]).toBeLessThan(-600);
    expect(rnn.log10JacobianNorm[0]).toBeLessThanOrEqual(rnn.log10Bound![0] + BOUND_ROUNDING_LOG10);

    const lstm = computeJacobian(config('lstm', { T: 400, H: 4, forgetBias: -6 }));
    expect(lstm.log10CellPath![0]).toBeLessThan(-308 * 2);
    expect(Number.isFinite(lstm.log10CellPath![0])).toBe(true);
    expect(Number.isFinite(lstm.log10JacobianNorm[0])).toBe(true);
    expect(lstm.log10JacobianNorm[0]).toBeLessThan(-308);
  });
});

describe('edges', () => {
  it('gain 0: an rnn forgets in one step, norms and bound are -Infinity before T', () => {
    for (const nonlinearity of ['tanh', 'relu'] as const) {
      const result = computeJacobian(config('rnn', { gain: 0, nonlinearity, T: 6 }));
      expect(result.sigmaMaxWhh).toBe(0);
      expect(Array.from(result.log10JacobianNorm)).toEqual([-Infinity, -Infinity, -Infinity, -Infinity, -Infinity, 0]);
      expect(Array.from(result.log10Bound!)).toEqual([-Infinity, -Infinity, -Infinity, -Infinity, -Infinity, 0]);
    }
  });

  it('T = 1 gives the identity (0) for every cell, and H = 1 works', () => {
    for (const cell of ['rnn', 'lstm', 'gru'] as const) {
      const one = computeJacobian(config(cell, { T: 1 }));
      expect(Array.from(one.log10JacobianNorm)).toEqual([0]);
      const narrow = computeJacobian(config(cell, { H: 1, T: 5 }));
      expect(narrow.log10JacobianNorm.every(Number.isFinite)).toBe(true);
      expect(narrow.log10JacobianNorm[4]).toBe(0);
    }
  });
});
