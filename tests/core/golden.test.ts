// The core against PyTorch: tests/core/golden/*.json, written by make_golden.py (torch, float64,
// unrolled nn.RNNCell / LSTMCell / GRUCell). Weights, inputs and targets come from the file, so
// this checks the equations, the readout, the losses, BPTT and the Jacobian analysis (autograd
// step Jacobians, torch.linalg.matrix_norm), not the seeding.
// T = steps, H = hidden, D = input, G = gate blocks.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { backward, forward } from '../../worker/src/core/cells.ts';
import { log10CellPath, log10JacobianNorms, log10PascanuBound } from '../../worker/src/core/jacobian.ts';
import { sigmaMax } from '../../worker/src/core/linalg.ts';
import { lossAndDy } from '../../worker/src/core/readout.ts';
import {
  GATE_BLOCKS,
  type ModelConfig,
  type Params,
  type Sequence,
} from '../../worker/src/core/types.ts';

/**
 * Largest allowed difference, relative. Arrays (states, outputs, weight gradients) are compared
 * relative to the largest magnitude in the same array, so entries near zero are held to the
 * array's scale rather than to their own (where the last bits of a sum that cancels are noise);
 * per-step gradient norms and the loss are positive scalars and are compared element by element.
 * make_golden.py checks that each case moves less than 1e-12 under a 1e-15 perturbation, so this
 * tolerance measures the code, not the conditioning of the case.
 */
const GOLDEN_RELATIVE_TOLERANCE = 1e-10;

const GOLDEN_DIR = new URL('./golden/', import.meta.url);

/** Every case make_golden.py writes; a missing or extra file fails the test. */
const EXPECTED_CASES = [
  'gru_T200_orth_all',
  'gru_basic',
  'gru_gain2',
  'lstm_H1_gain05',
  'lstm_T120_orth_gain05_all',
  'lstm_T200_fb2',
  'lstm_basic',
  'lstm_gain2_fb2_all',
  'rnn_relu_T100_orth_gain05_all',
  'rnn_relu_basic',
  'rnn_tanh_T200_gain05',
  'rnn_tanh_T200_orth_all',
  'rnn_tanh_basic',
  'rnn_tanh_gain2',
];

type Matrix = number[][];
interface TorchWeights {
  weight_ih: Matrix; // (G*H, D)
  weight_hh: Matrix; // (G*H, H)
  bias_ih: number[]; // (G*H)
  bias_hh: number[]; // (G*H)
  w_y: number[]; // (H)
  b_y: number;
}
interface GoldenCase {
  name: string;
  config: ModelConfig;
  weights: TorchWeights;
  inputs: Matrix; // (T, D)
  targets: number[]; // (T)
  outputs: {
    loss: number;
    h: Matrix; // (T, H)
    c?: Matrix; // (T, H) lstm
    y: number[]; // (T)
    normGradH: number[]; // (T) ‖∂L/∂h_t‖₂
    normGradC?: number[]; // (T) lstm
    normGradX: number[]; // (T)
    grads: TorchWeights;
    jacobian: {
      log10JacobianNorm: number[]; // (T)
      sigmaMaxWhh: number;
      log10Bound?: number[]; // (T) rnn
      log10CellPath?: number[]; // (T) lstm
    };
  };
}

function loadCase(name: string): GoldenCase {
  return JSON.parse(readFileSync(new URL(`${name}.json`, GOLDEN_DIR), 'utf8')) as GoldenCase;
}

const flat = (rows: Matrix): Float64Array => Float64Array.from(rows.flat());

function toModel(g: GoldenCase): { p: Params; seq: Sequence } {
  const { cell, H, D, T } = g.config;
  const w = g.weights;
  const p: Params = {
    cell,
    H,
    D,
    G: GATE_BLOCKS[cell],
    wIh: flat(w.weight_ih),
    wHh: flat(w.weight_hh),
    bIh: Float64Array.from(w.bias_ih),
    bHh: Float64Array.from(w.bias_hh),
    wY: Float64Array.from(w.w_y),
    bY: w.b_y,
  };
  return { p, seq: { T, D, x: flat(g.inputs), target: Float64Array.from(g.targets) } };
}

/** max |actual − expected| / max |expected| over one array. */
function relativeToMax(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let diff = 0;
  let scale = 0;
  for (let e = 0; e < expected.length; e++) {
    diff = Math.max(diff, Math.abs(actual[e] - expected[e]));
    scale = Math.max(scale, Math.abs(expected[e]));
  }
  return scale > 0 ? diff / scale : diff;
}

/** Largest relative error of 10^log10Norms against torch's norms, element by element. */
function normsRelative(log10Norms: Float64Array, torchNorms: number[]): number {
  expect(log10Norms.length).toBe(torchNorms.length);
  let worst = 0;
  for (let t = 0; t < torchNorms.length; t++) {
    worst = Math.max(worst, Math.abs(10 ** log10Norms[t] / torchNorms[t] - 1));
  }
  return worst;
}

/** Largest |a − b| · ln 10 over two arrays of log10 values: the relative difference of the values. */
function log10Relative(actual: Float64Array, expected: number[]): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let t = 0; t < expected.length; t++) {
    worst = Math.max(worst, Math.abs(actual[t] - expected[t]) * Math.LN10);
  }
  return worst;
}

describe('golden vectors from PyTorch', () => {
  it('has exactly the expected case files, covering the required configurations', () => {
    const files = readdirSync(GOLDEN_DIR).filter((f) => f.endsWith('.json'));
    expect(files.map((f) => f.replace(/\.json$/, '')).sort()).toEqual([...EXPECTED_CASES].sort());
    const configs = EXPECTED_CASES.map((name) => loadCase(name).config);
    const has = (pred: (c: ModelConfig) => boolean) => configs.some(pred);
    expect(has((c) => c.cell === 'rnn' && c.nonlinearity === 'tanh')).toBe(true);
    expect(has((c) => c.cell === 'rnn' && c.nonlinearity === 'relu')).toBe(true);
    expect(has((c) => c.cell === 'lstm')).toBe(true);
    expect(has((c) => c.cell === 'gru')).toBe(true);
    expect(Math.max(...configs.map((c) => c.T))).toBe(200);
    expect(has((c) => c.loss === 'last') && has((c) => c.loss === 'all')).toBe(true);
    expect(has((c) => c.init === 'orthogonal')).toBe(true);
    expect(has((c) => c.gain === 0.5) && has((c) => c.gain === 2)).toBe(true);
    expect(has((c) => c.cell === 'lstm' && c.forgetBias === 0)).toBe(true);
    expect(has((c) => c.cell === 'lstm' && c.forgetBias === 2)).toBe(true);
  });

  for (const name of EXPECTED_CASES) {
    it(`${name}: states, outputs, loss, gradient norms and weight gradients`, () => {
      const g = loadCase(name);
      expect(g.name).toBe(name);
      const cfg = g.config;
      expect(g.inputs.length).toBe(cfg.T);
      const { p, seq } = toModel(g);
      const cache = forward(p, seq, cfg.nonlinearity);
      const { loss, dY } = lossAndDy(cache.y, seq.target, cfg.loss);
      const bp = backward(p, seq, cache, cfg.nonlinearity, dY);
      const out = g.outputs;
      const tol = GOLDEN_RELATIVE_TOLERANCE;

      expect(relativeToMax(cache.h, out.h.flat()), 'h').toBeLessThan(tol);
      expect(relativeToMax(cache.y, out.y), 'y').toBeLessThan(tol);
      expect(Math.abs(loss / out.loss - 1), 'loss').toBeLessThan(tol);
      expect(normsRelative(bp.log10GradH, out.normGradH), '‖∂L/∂h_t‖').toBeLessThan(tol);
      expect(normsRelative(bp.log10GradX, out.normGradX), '‖∂L/∂x_t‖').toBeLessThan(tol);
      if (cfg.cell === 'lstm') {
        expect(cache.cell).toBe('lstm');
        if (cache.cell === 'lstm') expect(relativeToMax(cache.c, out.c!.flat()), 'c').toBeLessThan(tol);
        expect(normsRelative(bp.log10GradC!, out.normGradC!), '‖∂L/∂c_t‖').toBeLessThan(tol);
      } else {
        expect(bp.log10GradC).toBeNull();
      }

      const grads = out.grads;
      expect(relativeToMax(bp.grads.wIh, grads.weight_ih.flat()), 'dW_ih').toBeLessThan(tol);
      expect(relativeToMax(bp.grads.wHh, grads.weight_hh.flat()), 'dW_hh').toBeLessThan(tol);
      expect(relativeToMax(bp.grads.bIh, grads.bias_ih), 'db_ih').toBeLessThan(tol);
      expect(relativeToMax(bp.grads.bHh, grads.bias_hh), 'db_hh').toBeLessThan(tol);
      expect(relativeToMax(bp.grads.wY, grads.w_y), 'dw_y').toBeLessThan(tol);
      expect(Math.abs(bp.grads.bY / grads.b_y - 1), 'db_y').toBeLessThan(tol);

      const jac = out.jacobian;
      const norms = log10JacobianNorms(p, seq, cache, cfg.nonlinearity);
      expect(log10Relative(norms, jac.log10JacobianNorm), '‖∂s_T/∂s_t‖').toBeLessThan(tol);
      const sigma = sigmaMax(p.wHh, p.G * p.H, p.H);
      expect(Math.abs(sigma / jac.sigmaMaxWhh - 1), 'σ_max(W_hh)').toBeLessThan(tol);
      if (cfg.cell === 'rnn') {
        expect(log10Relative(log10PascanuBound(sigma, cfg.T), jac.log10Bound!), 'bound').toBeLessThan(tol);
      }
      if (cache.cell === 'lstm') {
        expect(log10Relative(log10CellPath(cache, cfg.T, cfg.H), jac.log10CellPath!), 'cell path').toBeLessThan(tol);
      }
    });
  }
});
