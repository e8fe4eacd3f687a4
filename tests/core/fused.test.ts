// The fused kernels (worker/src/core/*-fused.ts) against the plain ones (rnn.ts, lstm.ts, gru.ts,
// kernel.ts): every number they produce must be the same float64, byte for byte — caches,
// gradients, dH/dC/dX, the log10 norms — so that switching kernels cannot change a response.
// T = steps, H = hidden, D = input, G = gate blocks, GH = G·H.
import { describe, expect, it } from 'vitest';
import { Arena } from '../../worker/src/core/arena.ts';
import { backward, forward, type KernelChoice } from '../../worker/src/core/cells.ts';
import {
  gateAffine,
  inputAffine,
  INPUT_STEPS,
  packGateWeights,
  packTransposed,
  padded4,
  roundUp4,
  transposedPacked,
  transposeHistory,
  weightGradient,
} from '../../worker/src/core/fused.ts';
import { computeGradients } from '../../worker/src/core/gradients.ts';
import { buildModel } from '../../worker/src/core/init.ts';
import { addOuterAndBias, gateInputs, transposedProduct } from '../../worker/src/core/kernel.ts';
import { lossAndDy } from '../../worker/src/core/readout.ts';
import { Rng } from '../../worker/src/core/rng.ts';
import { CELL_KINDS, GATE_BLOCKS, type CellKind, type ModelConfig, type Params } from '../../worker/src/core/types.ts';

/** First differing path (and element) between two results, or '' if every byte agrees. */
function firstDifference(a: unknown, b: unknown, path = ''): string {
  if (a instanceof Float64Array || a instanceof Uint8Array) {
    if (!(b instanceof a.constructor)) return `${path}: type`;
    const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const y = new Uint8Array((b as Float64Array).buffer, (b as Float64Array).byteOffset, (b as Float64Array).byteLength);
    if (x.length !== y.length) return `${path}: length ${x.length} vs ${y.length}`;
    for (let e = 0; e < x.length; e++) {
      if (x[e] !== y[e]) return `${path}[${Math.floor(e / a.BYTES_PER_ELEMENT)}]`;
    }
    return '';
  }
  if (a === null || typeof a !== 'object') return Object.is(a, b) ? '' : `${path}: ${String(a)} vs ${String(b)}`;
  if (b === null || typeof b !== 'object') return `${path}: object vs ${String(b)}`;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    if (d) return d;
  }
  return '';
}

function cfgOf(cell: CellKind, over: Partial<ModelConfig>): ModelConfig {
  return {
    cell,
    T: 12,
    H: 5,
    D: 3,
    seed: 7,
    init: 'pytorch',
    gain: 1,
    forgetBias: 0,
    nonlinearity: 'tanh',
    loss: 'all',
    ...over,
  };
}

function run(cfg: ModelConfig, kernel: KernelChoice, params?: Params, arena?: Arena) {
  const model = buildModel(cfg);
  const p = params ?? model.params;
  arena?.reset();
  const cache = forward(p, model.seq, cfg.nonlinearity, undefined, kernel, arena);
  const { loss, dY } = lossAndDy(cache.y, model.seq.target, cfg.loss);
  return { cache, loss, back: backward(p, model.seq, cache, cfg.nonlinearity, dY, kernel, arena) };
}

/** Sizes: the edges (1s, T = 1), odd sizes that leave partial blocks of 4, and a widget size. */
const SIZES: readonly Partial<ModelConfig>[] = [
  { T: 1, H: 1, D: 1 },
  { T: 1, H: 3, D: 2 },
  { T: 2, H: 1, D: 1 },
  { T: 9, H: 1, D: 5 },
  { T: 9, H: 7, D: 1 },
  { T: 13, H: 5, D: 3 },
  { T: 30, H: 6, D: 16 },
  { T: 50, H: 16, D: 4 },
  { T: 17, H: 33, D: 7 },
];

/** Regimes: gradients far below float64 (the carried vectors renormalise), saturation, init, bias. */
const REGIMES: readonly Partial<ModelConfig>[] = [
  {},
  { gain: 0.05, T: 400 },
  { gain: 6, T: 300 },
  { init: 'orthogonal', seed: 99 },
  { forgetBias: 5, gain: 2, seed: 3 },
];

function configs(): ModelConfig[] {
  const out: ModelConfig[] = [];
  for (const cell of CELL_KINDS) {
    const acts = cell === 'rnn' ? (['tanh', 'relu'] as const) : (['tanh'] as const);
    for (const nonlinearity of acts) {
      for (const loss of ['last', 'all'] as const) {
        for (const size of SIZES) out.push(cfgOf(cell, { ...size, nonlinearity, loss }));
        for (const regime of REGIMES) out.push(cfgOf(cell, { H: 6, D: 2, ...regime, nonlinearity, loss }));
      }
    }
  }
  return out;
}

const label = (c: ModelConfig) =>
  `${c.cell} ${c.nonlinearity} loss=${c.loss} T=${c.T} H=${c.H} D=${c.D} gain=${c.gain} init=${c.init} fb=${c.forgetBias}`;

describe('fused kernels give the plain kernels’ bytes', () => {
  for (const cfg of configs()) {
    it(label(cfg), () => {
      const plain = run(cfg, 'reference');
      const fused = run(cfg, 'fused');
      expect(firstDifference(plain, fused)).toBe('');
    });
  }

  it('with one arena reused by every size and cell, twice each (dirty buffers), the bytes are the same', () => {
    const arena = new Arena();
    for (const cfg of configs()) {
      const plain = run(cfg, 'reference');
      for (const round of [1, 2]) {
        expect(firstDifference(plain, run(cfg, 'fused', undefined, arena)), `${label(cfg)} round ${round}`).toBe('');
      }
    }
  });

  it('the vanishing regime above really leaves float64 (the renormalised paths are compared)', () => {
    // Guards the test itself: the carried scale must have moved, or the e ≠ 0 paths went untested.
    const small = run(cfgOf('rnn', { H: 6, D: 2, gain: 0.05, T: 400, loss: 'last' }), 'fused').back.log10GradH;
    expect(small[0]).toBeLessThan(-330);
  });

  it('computeGradients is the same with either kernel (every cell, a relu rnn)', () => {
    for (const cell of CELL_KINDS) {
      for (const nonlinearity of ['tanh', 'relu'] as const) {
        const cfg = cfgOf(cell, { T: 40, H: 9, D: 4, nonlinearity, loss: 'last' });
        expect(firstDifference(computeGradients(cfg, 'reference'), computeGradients(cfg, 'fused'))).toBe('');
      }
    }
  });

  it('a perturbed forward (the gradient check’s hook) is the same with either kernel', () => {
    for (const cell of CELL_KINDS) {
      const { params, seq } = buildModel(cfgOf(cell, { T: 10, H: 4 }));
      for (const state of cell === 'lstm' ? (['h', 'c'] as const) : (['h'] as const)) {
        const perturb = { t: 3, state, j: 2, eps: 1e-4 };
        const plain = forward(params, seq, 'tanh', perturb, 'reference');
        const fused = forward(params, seq, 'tanh', perturb, 'fused');
        expect(firstDifference(plain, fused)).toBe('');
        expect(firstDifference(plain, forward(params, seq, 'tanh', undefined, 'reference'))).not.toBe('');
      }
    }
  });

  it('non-finite weights (a diverged training run) give the plain kernels’ numbers too', () => {
    for (const cell of CELL_KINDS) {
      const cfg = cfgOf(cell, { T: 8, H: 4, D: 2 });
      for (const bad of [Infinity, -Infinity, NaN]) {
        const { params } = buildModel(cfg);
        params.wHh[1] = bad;
        params.wIh[0] = 1e308;
        expect(firstDifference(run(cfg, 'reference', params), run(cfg, 'fused', params)), `${cell} ${bad}`).toBe('');
      }
    }
  });
});

describe('Arena', () => {
  it('hands out zeroed buffers in call order, reusing each while its length stays', () => {
    const arena = new Arena();
    const a = arena.take(3);
    const b = arena.take(5);
    a.fill(7);
    b.fill(-1);
    arena.reset();
    const a2 = arena.take(3);
    const b2 = arena.take(4); // another length: a new buffer
    expect(a2).toBe(a);
    expect(Array.from(a2)).toEqual([0, 0, 0]);
    expect(b2).not.toBe(b);
    expect(Array.from(b2)).toEqual([0, 0, 0, 0]);
    expect(arena.take(2)).not.toBe(a); // past the previous round: fresh
  });
});

describe('fused building blocks against the plain loops', () => {
  /** Values with exact zeros, signed zeros and wide exponents, as saturated gates produce. */
  function vector(rng: Rng, n: number): Float64Array {
    const v = new Float64Array(n);
    for (let e = 0; e < n; e++) {
      const u = rng.uniform(0, 1);
      v[e] = u < 0.15 ? 0 : u < 0.2 ? -0 : rng.normal() * 2 ** Math.round(rng.uniform(-60, 60));
    }
    return v;
  }

  const SHAPES: readonly [number, number, number][] = [
    [1, 1, 1],
    [1, 2, 3],
    [4, 1, 1],
    [3, 5, 2],
    [4, 16, 4],
    [3, 7, 13],
  ];

  it('gateAffine equals gateInputs (W_ih x + b_ih, W_hh h + b_hh), t = 0 included', () => {
    const rng = new Rng(5, 'fused-test');
    for (const [G, H, D] of SHAPES) {
      const GH = G * H;
      const p: Params = {
        cell: G === 1 ? 'rnn' : G === 3 ? 'gru' : 'lstm',
        H,
        D,
        G,
        wIh: vector(rng, GH * D),
        wHh: vector(rng, GH * H),
        bIh: vector(rng, GH),
        bHh: vector(rng, GH),
        wY: vector(rng, H),
        bY: 0,
      };
      expect(GATE_BLOCKS[p.cell]).toBe(G);
      const T = 3;
      const x = vector(rng, T * D);
      const h = vector(rng, T * H);
      const packed = packGateWeights(p);
      for (let t = 0; t < T; t++) {
        const gi = new Float64Array(GH);
        const gh = new Float64Array(GH);
        gateInputs(gi, gh, p, x, h, t);
        const fi = new Float64Array(roundUp4(GH));
        const fh = new Float64Array(roundUp4(GH));
        gateAffine(fi, fh, packed, padded4(p.bIh), padded4(p.bHh), x, t * D, h, (t - 1) * H, roundUp4(GH), D, H);
        expect(firstDifference(gi, fi.subarray(0, GH).slice()), `G=${G} H=${H} D=${D} t=${t}`).toBe('');
        expect(firstDifference(gh, fh.subarray(0, GH).slice()), `G=${G} H=${H} D=${D} t=${t}`).toBe('');
      }
    }
  });

  it('inputAffine over a block of steps equals gateInputs’ W_ih x_t + b_ih at every step of it', () => {
    const rng = new Rng(8, 'fused-test');
    for (const [G, H, D] of SHAPES) {
      const GH = G * H;
      const R4 = roundUp4(GH);
      const cell = CELL_KINDS.find((c) => GATE_BLOCKS[c] === G) as CellKind;
      const p: Params = { ...buildModel(cfgOf(cell, { H, D })).params, wIh: vector(rng, GH * D), bIh: vector(rng, GH) };
      const T = 2 * INPUT_STEPS + 3;
      const x = vector(rng, T * D);
      const h = new Float64Array(T * H);
      const packed = packGateWeights(p);
      for (const [t0, n] of [[0, INPUT_STEPS], [INPUT_STEPS, INPUT_STEPS], [2 * INPUT_STEPS, 3], [1, 1], [4, 2], [5, 7]]) {
        const block = new Float64Array(INPUT_STEPS * R4).fill(NaN);
        inputAffine(block, packed, padded4(p.bIh), x, t0 * D, n, R4, D, H);
        for (let s = 0; s < n; s++) {
          const gi = new Float64Array(GH);
          const gh = new Float64Array(GH);
          gateInputs(gi, gh, p, x, h, t0 + s);
          expect(firstDifference(gi, block.slice(s * R4, s * R4 + GH)), `G=${G} H=${H} D=${D} t=${t0 + s}`).toBe('');
        }
      }
    }
  });

  it('transposedPacked equals transposedProduct (which skips zero rows)', () => {
    const rng = new Rng(6, 'fused-test');
    for (const [G, H, C] of SHAPES) {
      const R = G * H;
      const W = vector(rng, R * C).map((w) => (w === 0 ? 0.5 : w)); // finite, as the kernels require
      const d = vector(rng, R);
      const plain = new Float64Array(C);
      transposedProduct(plain, 0, W, d, R, C);
      const fused = new Float64Array(C).fill(NaN);
      transposedPacked(fused, packTransposed(W, R, C), d, R, C);
      expect(firstDifference(plain, fused), `R=${R} C=${C}`).toBe('');
    }
  });

  it('weightGradient equals one addOuterAndBias per step, t = T−1 … 0 (hh: … 1)', () => {
    const rng = new Rng(7, 'fused-test');
    for (const [R, C, T] of [
      [1, 1, 1],
      [3, 5, 2],
      [8, 4, 9],
      [5, 7, 6],
    ] as const) {
      const a = vector(rng, T * R); // (T, R) per-step gradients of the affine term
      const v = vector(rng, T * C); // (T, C) the vectors it multiplied
      for (const [tMin, shift] of [
        [0, 0],
        [1, 1],
      ] as const) {
        const dW = new Float64Array(R * C);
        const db = new Float64Array(R);
        for (let t = T - 1; t >= tMin; t--) addOuterAndBias(dW, db, a.subarray(t * R), v, (t - shift) * C, R, C);
        for (let t = tMin - 1; t >= 0; t--) for (let r = 0; r < R; r++) db[r] += a[t * R + r];
        const fW = new Float64Array(R * C);
        const fb = new Float64Array(R);
        weightGradient(fW, fb, transposeHistory(a, T, R), transposeHistory(v, T, C), R, C, T, tMin, shift);
        expect(firstDifference(dW, fW), `R=${R} C=${C} T=${T} tMin=${tMin}`).toBe('');
        expect(firstDifference(db, fb), `R=${R} C=${C} T=${T} tMin=${tMin} bias`).toBe('');
      }
    }
  });
});
