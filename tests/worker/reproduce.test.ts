// include=weights is a complete reproduction package in PyTorch's layout: a consumer that reads
// the response's weights, inputs and targets by the documented layout — and only those — gets
// the response's gradients back; the same reader applied to PyTorch's own state dicts (the
// committed golden vectors) gets PyTorch's gradients.
// T = seq_len, H = hidden_size, D = input_size, G = gate blocks.
import { describe, expect, it } from 'vitest';
import { backward, forward } from '../../worker/src/core/cells.ts';
import { lossAndDy } from '../../worker/src/core/readout.ts';
import { GATE_BLOCKS, type CellKind, type LossKind, type Nonlinearity, type Params, type Sequence } from '../../worker/src/core/types.ts';
import type { GradientsResponse } from '../../worker/src/schemas.ts';
import { json } from './helpers.ts';

/** Relative agreement with PyTorch's gradient norms that the contract promises (~1e-9). */
const TORCH_RELATIVE = 1e-9;

interface TorchLayout {
  weight_ih: number[][];
  weight_hh: number[][];
  bias_ih: number[];
  bias_hh: number[];
  w_y: number[];
  b_y: number;
}

function rowMajor(rows: number[][], cols: number): Float64Array {
  const out = new Float64Array(rows.length * cols);
  rows.forEach((row, r) => {
    expect(row).toHaveLength(cols);
    out.set(row, r * cols);
  });
  return out;
}

/** Params from PyTorch's layout: weight_ih (G·H × D), weight_hh (G·H × H), biases (G·H). */
function paramsFrom(cell: CellKind, w: TorchLayout): Params {
  const H = w.w_y.length;
  const D = w.weight_ih[0].length;
  const G = GATE_BLOCKS[cell];
  expect(w.weight_ih).toHaveLength(G * H);
  expect(w.weight_hh).toHaveLength(G * H);
  return {
    cell,
    H,
    D,
    G,
    wIh: rowMajor(w.weight_ih, D),
    wHh: rowMajor(w.weight_hh, H),
    bIh: Float64Array.from(w.bias_ih),
    bHh: Float64Array.from(w.bias_hh),
    wY: Float64Array.from(w.w_y),
    bY: w.b_y,
  };
}

function sequenceFrom(inputs: number[][], targets: number[]): Sequence {
  const D = inputs[0].length;
  return { T: inputs.length, D, x: rowMajor(inputs, D), target: Float64Array.from(targets) };
}

/** Runs the plain reference kernels (not the fused ones the API uses) on a reproduction package. */
function reproduce(p: Params, seq: Sequence, act: Nonlinearity, loss: LossKind) {
  const cache = forward(p, seq, act, undefined, 'reference');
  const { dY, loss: value } = lossAndDy(cache.y, seq.target, loss);
  return { loss: value, ...backward(p, seq, cache, act, dY, 'reference') };
}

function expectLog10Close(actual: ArrayLike<number | null>, expected: ArrayLike<number>, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  for (let k = 0; k < expected.length; k++) {
    const a = actual[k];
    expect(a, `t = ${k + 1}`).not.toBeNull();
    expect(Math.abs((a as number) - expected[k]), `t = ${k + 1}`).toBeLessThanOrEqual(tolerance);
  }
}

/** |log10 a − log10 b| for a relative difference r of a and b. */
const log10Tolerance = (relative: number) => relative / Math.LN10;

describe('include=weights reproduces the response', () => {
  for (const cell of ['rnn', 'lstm', 'gru'] as const) {
    it(`${cell}: weights, inputs and targets give back the response's gradients`, async () => {
      const query = `cells=${cell}&seq_len=40&hidden_size=5&input_size=3&seed=21&gain=1.2&forget_bias=1&loss=all&init=orthogonal&include=weights`;
      const body = await json<GradientsResponse>(`/api/v1/gradients?${query}`);
      const result = body.results[cell]!;
      const w = result.weights!;
      const p = paramsFrom(cell, {
        weight_ih: w.W_ih as number[][],
        weight_hh: w.W_hh as number[][],
        bias_ih: w.b_ih as number[],
        bias_hh: w.b_hh as number[],
        w_y: w.w_y as number[],
        b_y: w.b_y as number,
      });
      const out = reproduce(p, sequenceFrom(body.inputs as number[][], body.targets as number[]), 'tanh', 'all');
      // The reference kernels give the same bits as the fused ones, so equality is exact.
      expect(JSON.stringify(result.log10_grad_h)).toBe(JSON.stringify(Array.from(out.log10GradH)));
      expect(JSON.stringify(result.log10_grad_x)).toBe(JSON.stringify(Array.from(out.log10GradX)));
      expect(result.loss).toBe(out.loss);
    });
  }
});

/** The parts of a committed golden case (tests/core/golden/make_golden.py) read here. */
interface GoldenCase {
  config: { nonlinearity: Nonlinearity; loss: LossKind };
  weights: TorchLayout;
  inputs: number[][];
  targets: number[];
  outputs: { loss: number; normGradH: number[]; normGradX: number[] };
}

async function golden(name: string): Promise<GoldenCase> {
  // A template-literal import: Vite bundles the JSON for workerd (which has no file system).
  const module = (await import(`../core/golden/${name}.json`)) as { default: GoldenCase };
  return module.default;
}

describe('the same layout read from PyTorch state dicts gives PyTorch gradients', () => {
  const cases = [
    { cell: 'rnn', name: 'rnn_relu_T100_orth_gain05_all' },
    { cell: 'lstm', name: 'lstm_T200_fb2' },
    { cell: 'gru', name: 'gru_basic' },
  ] as const;
  for (const { cell, name } of cases) {
    it(name, async () => {
      const { weights, inputs, targets, config, outputs } = await golden(name);
      const p = paramsFrom(cell, weights);
      const out = reproduce(p, sequenceFrom(inputs, targets), config.nonlinearity, config.loss);
      expectLog10Close(out.log10GradH, outputs.normGradH.map(Math.log10), log10Tolerance(TORCH_RELATIVE));
      expectLog10Close(out.log10GradX, outputs.normGradX.map(Math.log10), log10Tolerance(TORCH_RELATIVE));
      expect(Math.abs(out.loss - outputs.loss)).toBeLessThanOrEqual(TORCH_RELATIVE * Math.abs(outputs.loss));
    });
  }
});
