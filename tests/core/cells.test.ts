// Properties of the forward caches, the readout's losses, computeGradients and computeTrace that
// hold by construction: shapes, determinism, ranges, the recurrences themselves, and agreement of
// the reported log10 norms with the gradients they summarise.
// T = steps, H = hidden, D = input, G = gate blocks.
import { describe, expect, it } from 'vitest';
import { backward, forward } from '../../worker/src/core/cells.ts';
import { computeGradients } from '../../worker/src/core/gradients.ts';
import { buildModel } from '../../worker/src/core/init.ts';
import { tanh } from '../../worker/src/core/math.ts';
import { lossAndDy } from '../../worker/src/core/readout.ts';
import { computeTrace } from '../../worker/src/core/trace.ts';
import {
  CELL_KINDS,
  GATE_BLOCKS,
  type CellKind,
  type LstmCache,
  type GruCache,
  type ModelConfig,
} from '../../worker/src/core/types.ts';

/** log10 norms of gradients that are comfortably inside float64 agree with Math.log10 to this. */
const LOG10_AGREE_TOL = 1e-12;
/** Relative tolerance between two float64 roundings of the same short expression. */
const ROUNDING_TOL = 1e-14;
/** Power iteration in the test stops at this relative change; σ_max agrees to a bit more. */
const SIGMA_TOL = 1e-9;

function cfgOf(cell: CellKind, over: Partial<ModelConfig> = {}): ModelConfig {
  return {
    cell,
    T: 20,
    H: 5,
    D: 3,
    seed: 11,
    init: 'pytorch',
    gain: 1,
    forgetBias: 0,
    nonlinearity: 'tanh',
    loss: 'all',
    ...over,
  };
}

function run(cfg: ModelConfig) {
  const { params, seq } = buildModel(cfg);
  const cache = forward(params, seq, cfg.nonlinearity);
  const { loss, dY } = lossAndDy(cache.y, seq.target, cfg.loss);
  const back = backward(params, seq, cache, cfg.nonlinearity, dY);
  return { params, seq, cache, loss, dY, back };
}

function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < v.length; k++) s += v[k] * v[k];
  return Math.sqrt(s);
}

function bytes(v: Float64Array | null): number[] {
  return v === null ? [] : Array.from(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
}

describe.each(CELL_KINDS)('%s', (cell) => {
  const cfg = cfgOf(cell);
  const { T, H, D } = cfg;
  const G = GATE_BLOCKS[cell];

  it('cache and gradients have the documented shapes', () => {
    const { params, cache, back } = run(cfg);
    for (const [name, v] of Object.entries(cache)) {
      if (name === 'cell') continue;
      expect((v as Float64Array).length, name).toBe(name === 'y' ? T : T * H);
    }
    for (const name of ['wIh', 'wHh', 'bIh', 'bHh', 'wY'] as const) {
      expect(back.grads[name].length, name).toBe(params[name].length);
    }
    expect(back.grads.wHh.length).toBe(G * H * H);
    expect(back.dX.length).toBe(T * D);
    expect(back.dH.length).toBe(T * H);
    expect(back.dC?.length ?? null).toBe(cell === 'lstm' ? T * H : null);
    expect(back.log10GradH.length).toBe(T);
    expect(back.log10GradX.length).toBe(T);
    expect(back.log10GradC?.length ?? null).toBe(cell === 'lstm' ? T : null);
  });

  it('the same config twice gives identical bytes', () => {
    const a = computeGradients(cfg);
    const b = computeGradients(cfg);
    for (const key of ['log10GradH', 'log10GradC', 'log10GradX'] as const) expect(bytes(a[key])).toEqual(bytes(b[key]));
    for (const key of ['wIh', 'wHh', 'bIh', 'bHh', 'wY'] as const) expect(bytes(a.grads[key])).toEqual(bytes(b.grads[key]));
    expect([a.loss, a.grads.bY, a.sigmaMaxWhh, a.meanForgetGate]).toEqual([b.loss, b.grads.bY, b.sigmaMaxWhh, b.meanForgetGate]);
    const ta = computeTrace(cfg);
    const tb = computeTrace(cfg);
    expect(bytes(ta.h)).toEqual(bytes(tb.h));
    expect(bytes(ta.y)).toEqual(bytes(tb.y));
  });

  it('the reported log10 norms are the norms of the returned gradients', () => {
    const { back } = run(cfg);
    for (let t = 0; t < T; t++) {
      const dh = back.dH.subarray(t * H, (t + 1) * H);
      expect(Math.abs(back.log10GradH[t] - Math.log10(norm(dh)))).toBeLessThan(LOG10_AGREE_TOL);
      const dx = back.dX.subarray(t * D, (t + 1) * D);
      expect(Math.abs(back.log10GradX[t] - Math.log10(norm(dx)))).toBeLessThan(LOG10_AGREE_TOL);
      if (back.dC && back.log10GradC) {
        const dc = back.dC.subarray(t * H, (t + 1) * H);
        expect(Math.abs(back.log10GradC[t] - Math.log10(norm(dc)))).toBeLessThan(LOG10_AGREE_TOL);
      }
    }
  });

  it('an exactly zero gradient is reported as -Infinity', () => {
    const { params, seq } = buildModel(cfg);
    params.wY.fill(0); // ∂L/∂h_t = 0 for every t, whatever dY is
    const cache = forward(params, seq, cfg.nonlinearity);
    const { dY } = lossAndDy(cache.y, seq.target, cfg.loss);
    expect(dY.some((d) => d !== 0)).toBe(true);
    const back = backward(params, seq, cache, cfg.nonlinearity, dY);
    expect(back.log10GradH.every((v) => v === -Infinity)).toBe(true);
    expect(back.log10GradX.every((v) => v === -Infinity)).toBe(true);
  });

  it("loss 'last' depends on y_T only, loss 'all' on every step", () => {
    const { params, seq } = buildModel(cfgOf(cell, { loss: 'last' }));
    const y = forward(params, seq, 'tanh').y;
    const last = lossAndDy(y, seq.target, 'last');
    expect(last.loss).toBe(0.5 * (y[T - 1] - seq.target[T - 1]) ** 2);
    expect(Array.from(last.dY.subarray(0, T - 1)).every((d) => d === 0)).toBe(true);
    const moved = Float64Array.from(seq.target, (v, t) => (t < T - 1 ? v + 1 : v));
    expect(lossAndDy(y, moved, 'last').loss).toBe(last.loss);
    expect(lossAndDy(y, moved, 'all').loss).not.toBe(lossAndDy(y, seq.target, 'all').loss);
    let sum = 0;
    for (let t = 0; t < T; t++) sum += 0.5 * (y[t] - seq.target[t]) ** 2;
    expect(Math.abs(lossAndDy(y, seq.target, 'all').loss - sum)).toBeLessThan(ROUNDING_TOL * sum);
  });

  it('a perturbation of zero changes nothing, one at step t leaves earlier steps alone', () => {
    const { params, seq } = buildModel(cfg);
    const plain = forward(params, seq, 'tanh');
    const zero = forward(params, seq, 'tanh', { t: 4, state: 'h', j: 1, eps: 0 });
    expect(bytes(zero.h)).toEqual(bytes(plain.h));
    const moved = forward(params, seq, 'tanh', { t: 4, state: 'h', j: 1, eps: 1e-3 });
    expect(bytes(moved.h.subarray(0, 4 * H))).toEqual(bytes(plain.h.subarray(0, 4 * H)));
    expect(moved.h[4 * H + 1]).not.toBe(plain.h[4 * H + 1]);
    expect(moved.y[T - 1]).not.toBe(plain.y[T - 1]);
  });

  it('trace equals the forward cache', () => {
    const trace = computeTrace(cfg);
    const { cache, loss } = run(cfg);
    expect(trace.cell).toBe(cell);
    expect(trace.loss).toBe(loss);
    expect(bytes(trace.h)).toEqual(bytes(cache.h));
    expect(bytes(trace.y)).toEqual(bytes(cache.y));
    const gateNames = { rnn: [], lstm: ['i', 'f', 'g', 'o'], gru: ['r', 'z', 'n'] }[cell];
    expect(Object.keys(trace.gates).sort()).toEqual([...gateNames].sort());
    const fields = cache as unknown as Record<string, Float64Array>;
    for (const name of gateNames) expect(bytes(trace.gates[name])).toEqual(bytes(fields[name]));
    expect(bytes(trace.c)).toEqual(bytes(cell === 'lstm' ? (cache as LstmCache).c : null));
  });

  it('computeGradients reports the loss, parameter count and σ_max(W_hh)', () => {
    const result = computeGradients(cfg);
    const { params, loss, back } = run(cfg);
    expect(result.loss).toBe(loss);
    expect(result.paramCount).toBe(G * (H * D + H * H + 2 * H));
    expect(bytes(result.log10GradH)).toEqual(bytes(back.log10GradH));
    expect(Math.abs(result.sigmaMaxWhh - powerIterationSigma(params.wHh, G * H, H))).toBeLessThan(SIGMA_TOL * result.sigmaMaxWhh);
    expect(result.meanForgetGate === null).toBe(cell !== 'lstm');
  });
});

/** σ_max by power iteration on WᵀW, written independently of linalg.ts. */
function powerIterationSigma(w: Float64Array, rows: number, cols: number): number {
  let v = new Float64Array(cols).fill(1);
  let sigma = 0;
  for (let it = 0; it < 10000; it++) {
    const wv = new Float64Array(rows);
    for (let r = 0; r < rows; r++) for (let k = 0; k < cols; k++) wv[r] += w[r * cols + k] * v[k];
    const next = new Float64Array(cols);
    for (let r = 0; r < rows; r++) for (let k = 0; k < cols; k++) next[k] += w[r * cols + k] * wv[r];
    const n = norm(next);
    const s = Math.sqrt(n);
    v = next.map((a) => a / n);
    if (Math.abs(s - sigma) < 1e-15 * s) return s;
    sigma = s;
  }
  return sigma;
}

describe('gate values and recurrences on the cache', () => {
  const inOpenUnit = (v: Float64Array) => v.every((a) => a > 0 && a < 1);
  const inOpenTanh = (v: Float64Array) => v.every((a) => a > -1 && a < 1);

  it('rnn: tanh states in (-1, 1), relu states ≥ 0 with some exactly 0', () => {
    expect(inOpenTanh(run(cfgOf('rnn')).cache.h)).toBe(true);
    const relu = run(cfgOf('rnn', { nonlinearity: 'relu' })).cache.h;
    expect(relu.every((a) => a >= 0)).toBe(true);
    expect(relu.some((a) => a === 0)).toBe(true);
  });

  it('lstm: sigmoid gates in (0, 1), g in (-1, 1), and c, h follow their recurrence exactly', () => {
    const { cache } = run(cfgOf('lstm', { forgetBias: 1 }));
    const c = cache as LstmCache;
    for (const gate of [c.i, c.f, c.o]) expect(inOpenUnit(gate)).toBe(true);
    expect(inOpenTanh(c.g)).toBe(true);
    const H = 5;
    for (let k = 0; k < c.c.length; k++) {
      const cPrev = k < H ? 0 : c.c[k - H];
      expect(c.c[k]).toBe(c.f[k] * cPrev + c.i[k] * c.g[k]);
      expect(c.tanhC[k]).toBe(tanh(c.c[k]));
      expect(c.h[k]).toBe(c.o[k] * c.tanhC[k]);
    }
  });

  it('lstm: forget_bias raises the mean forget gate, which is the mean of f', () => {
    const base = computeGradients(cfgOf('lstm'));
    const biased = computeGradients(cfgOf('lstm', { forgetBias: 2 }));
    const { cache } = run(cfgOf('lstm', { forgetBias: 2 }));
    const f = (cache as LstmCache).f;
    expect(Math.abs((biased.meanForgetGate as number) - f.reduce((s, a) => s + a, 0) / f.length)).toBeLessThan(ROUNDING_TOL);
    expect(biased.meanForgetGate as number).toBeGreaterThan((base.meanForgetGate as number) + 0.2);
  });

  it('gru: r, z in (0, 1), n in (-1, 1), h = (1 − z) ⊙ n + z ⊙ h_prev, hn = W_hn h_prev + b_hn', () => {
    const cfg = cfgOf('gru');
    const { params, cache } = run(cfg);
    const g = cache as GruCache;
    expect(inOpenUnit(g.r) && inOpenUnit(g.z) && inOpenTanh(g.n)).toBe(true);
    const { H } = cfg;
    for (let k = 0; k < g.h.length; k++) {
      const hPrev = k < H ? 0 : g.h[k - H];
      const contract = (1 - g.z[k]) * g.n[k] + g.z[k] * hPrev;
      expect(Math.abs(g.h[k] - contract)).toBeLessThan(ROUNDING_TOL);
      const t = Math.floor(k / H);
      const j = k % H;
      let hn = params.bHh[2 * H + j];
      for (let m = 0; m < H; m++) hn += params.wHh[(2 * H + j) * H + m] * (t === 0 ? 0 : g.h[(t - 1) * H + m]);
      expect(Math.abs(g.hn[k] - hn)).toBeLessThan(ROUNDING_TOL);
    }
  });
});
