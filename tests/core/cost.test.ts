// Parameter counts against torch's, and the shape of the cost model the budgets rely on.
import { describe, expect, it } from 'vitest';
import {
  costGradients,
  costJacobian,
  costTrace,
  costTrain,
  macsPerStep,
  paramCount,
  paramFormula,
} from '../../worker/src/core/cost.ts';
import { CELL_KINDS, type CellKind, type TrainConfig } from '../../worker/src/core/types.ts';
import { gradientsCost, SERIALISE_MACS_PER_NUMBER } from '../../worker/src/limits.ts';

describe('paramCount', () => {
  // sum(p.numel() for p in m.parameters()) in torch 1.13 (tests/core/reference/adam_reference.py
  // prints them), and by hand:
  // G·(H·D + H·H + H + H) for the weight_ih, weight_hh, bias_ih, bias_hh of one layer.
  const torchCounts: [CellKind, number, number, number][] = [
    ['rnn', 4, 16, 16 * 4 + 16 * 16 + 2 * 16], // nn.RNN(4, 16): 352
    ['lstm', 4, 16, 4 * (16 * 4 + 16 * 16 + 2 * 16)], // nn.LSTM(4, 16): 1408
    ['gru', 4, 16, 3 * (16 * 4 + 16 * 16 + 2 * 16)], // nn.GRU(4, 16): 1056
    ['lstm', 1, 1, 16], // nn.LSTM(1, 1): 4·(1 + 1 + 2)
    ['gru', 10, 20, 1920], // nn.GRU(10, 20): 3·(200 + 400 + 40)
    ['rnn', 16, 64, 5248], // nn.RNN(16, 64): 1024 + 4096 + 128
    ['lstm', 2, 64, 17408], // nn.LSTM(2, 64), the adding problem at the largest H
  ];
  it.each(torchCounts)('%s with D=%i, H=%i has torch’s %i parameters', (cell, D, H, count) => {
    expect(paramCount(cell, H, D)).toBe(count);
  });

  it('is exactly 4× (lstm) and 3× (gru) the rnn at the same sizes', () => {
    for (const H of [1, 2, 7, 16, 64]) {
      for (const D of [1, 3, 16]) {
        expect(paramCount('lstm', H, D)).toBe(4 * paramCount('rnn', H, D));
        expect(paramCount('gru', H, D)).toBe(3 * paramCount('rnn', H, D));
      }
    }
  });

  it('is what its published formula says', () => {
    for (const cell of CELL_KINDS) {
      const formula = paramFormula(cell);
      // '4·(H·D + H·H + 2·H)' → 4*(H*D + H*H + 2*H)
      const evaluate = new Function('H', 'D', `return ${formula.replaceAll('·', '*')};`) as (H: number, D: number) => number;
      expect(evaluate(16, 4)).toBe(paramCount(cell, 16, 4));
      expect(evaluate(5, 3)).toBe(paramCount(cell, 5, 3));
    }
  });
});

describe('macsPerStep', () => {
  it('counts the two affine mat-vecs and the readout: G·H·(D+H) + H', () => {
    expect(macsPerStep('rnn', 16, 4)).toBe(16 * 4 + 16 * 16 + 16);
    expect(macsPerStep('lstm', 16, 4)).toBe(4 * 16 * 4 + 4 * 16 * 16 + 16);
    expect(macsPerStep('gru', 1, 1)).toBe(3 + 3 + 1);
  });
});

function trainConfig(overrides: Partial<TrainConfig>): TrainConfig {
  return {
    cell: 'lstm',
    task: 'adding',
    T: 30,
    H: 16,
    seed: 1,
    init: 'pytorch',
    gain: 1,
    forgetBias: 0,
    nonlinearity: 'tanh',
    steps: 100,
    batchSize: 16,
    lr: 0.01,
    optimizer: 'adam',
    clip: null,
    ...overrides,
  };
}

/** Each call is strictly cheaper than the next along the list of growing sizes. */
function expectIncreasing(costs: number[]): void {
  for (let k = 1; k < costs.length; k++) expect(costs[k]).toBeGreaterThan(costs[k - 1]);
}

describe('the cost model', () => {
  const sizes = [1, 2, 8, 33, 64];

  it('grows with T, H and D for every endpoint and cell', () => {
    for (const cell of CELL_KINDS) {
      for (const cost of [
        (T: number, H: number, D: number) => costGradients([cell], T, H, D),
        (T: number, H: number, D: number) => costJacobian(cell, T, H, D),
        (T: number, H: number, D: number) => costTrace(cell, T, H, D),
      ]) {
        expectIncreasing([1, 2, 50, 1000].map((T) => cost(T, 16, 4)));
        expectIncreasing(sizes.map((H) => cost(50, H, 4)));
        expectIncreasing([1, 2, 16].map((D) => cost(50, 16, D)));
      }
    }
  });

  it('grows with every size of a training run', () => {
    for (const cell of CELL_KINDS) {
      expectIncreasing([2, 3, 30, 500].map((T) => costTrain(trainConfig({ cell, T }))));
      expectIncreasing(sizes.map((H) => costTrain(trainConfig({ cell, H }))));
      expectIncreasing([1, 2, 100, 2000].map((steps) => costTrain(trainConfig({ cell, steps }))));
      expectIncreasing([1, 2, 16, 128].map((batchSize) => costTrain(trainConfig({ cell, batchSize }))));
    }
  });

  it('charges /gradients per cell: the cost of several cells is the sum of their costs', () => {
    const [T, H, D] = [123, 17, 5];
    const one = (cell: CellKind) => costGradients([cell], T, H, D);
    expect(costGradients(['rnn', 'lstm'], T, H, D)).toBe(one('rnn') + one('lstm'));
    expect(costGradients(CELL_KINDS, T, H, D)).toBe(one('rnn') + one('lstm') + one('gru'));
    expect(costGradients([], T, H, D)).toBe(0);
  });

  it('ranks the cells as their mat-vec work does: lstm > gru > rnn', () => {
    for (const H of [4, 64]) {
      expect(costGradients(['lstm'], 100, H, 4)).toBeGreaterThan(costGradients(['gru'], 100, H, 4));
      expect(costGradients(['gru'], 100, H, 4)).toBeGreaterThan(costGradients(['rnn'], 100, H, 4));
    }
  });

  it('is at least the kernels’ mat-vec multiply-adds: forward 1×, backward 2× (and S³ per Jacobian product)', () => {
    for (const cell of CELL_KINDS) {
      const [T, H, D] = [200, 32, 8];
      expect(costTrace(cell, T, H, D)).toBeGreaterThanOrEqual(T * macsPerStep(cell, H, D));
      expect(costGradients([cell], T, H, D)).toBeGreaterThanOrEqual(3 * T * macsPerStep(cell, H, D));
      const S = cell === 'lstm' ? 2 * H : H;
      expect(costJacobian(cell, T, H, D)).toBeGreaterThanOrEqual((T - 1) * S ** 3);
      const cfg = trainConfig({ cell, T: 50, H, steps: 10, batchSize: 4 });
      expect(costTrain(cfg)).toBeGreaterThanOrEqual(10 * 4 * 3 * 50 * macsPerStep(cell, H, 2));
    }
  });
});

describe('include=weights', () => {
  // What the body gains: per cell its parameters (torch's count) + w_y and b_y, once the inputs
  // (T × D) and targets (T); each number is charged SERIALISE_MACS_PER_NUMBER.
  const numbers = (cells: CellKind[], T: number, H: number, D: number) =>
    cells.reduce((n, cell) => n + paramCount(cell, H, D) + H + 1 + T * D + T, 0);
  const extra = (cells: CellKind[], T: number, H: number, D: number) =>
    gradientsCost({ cells, seq_len: T, hidden_size: H, input_size: D, include: 'weights' }) -
    gradientsCost({ cells, seq_len: T, hidden_size: H, input_size: D });

  it('charges the computation behind the numbers, not only their serialisation', () => {
    // The routes draw the sequence again for inputs/targets and rebuild each cell's model: work
    // that grows with T·D (random normals) beyond the 300 units per number written.
    for (const cells of [['rnn'], ['lstm', 'gru']] as CellKind[][]) {
      const serialisation = (T: number) => SERIALISE_MACS_PER_NUMBER * numbers(cells, T, 1, 16);
      expect(extra(cells, 1000, 1, 16)).toBeGreaterThan(serialisation(1000) + 1000 * 17);
      expect(extra(cells, 1000, 1, 16) - serialisation(1000)).toBeGreaterThan(extra(cells, 10, 1, 16) - serialisation(10));
    }
  });

  it('charges the rebuilt model once per cell', () => {
    const work = (cells: CellKind[]) => extra(cells, 500, 8, 4) - SERIALISE_MACS_PER_NUMBER * numbers(cells, 500, 8, 4);
    expect(work(['rnn', 'lstm'])).toBeGreaterThan(work(['rnn']));
    expect(work(['rnn', 'lstm', 'gru'])).toBeGreaterThan(work(['rnn', 'lstm']));
  });
});
