// Initialisation rules of worker/src/core/init.ts (the file header states them).
// T = steps, H = hidden, D = input, G = gate blocks.
import { describe, expect, it } from 'vitest';
import { buildModel, initParams, makeSequence } from '../../worker/src/core/init.ts';
import { Rng } from '../../worker/src/core/rng.ts';
import { CELL_KINDS, type CellKind, type ModelConfig, type Params } from '../../worker/src/core/types.ts';

const ORTHOGONALITY_TOLERANCE = 1e-12;

function config(overrides: Partial<ModelConfig> = {}): ModelConfig {
  return {
    cell: 'lstm', T: 20, H: 8, D: 3, seed: 42, init: 'pytorch', gain: 1, forgetBias: 0,
    nonlinearity: 'tanh', loss: 'last', ...overrides,
  };
}

function allValues(p: Params): number[] {
  return [...p.wIh, ...p.wHh, ...p.bIh, ...p.bHh, ...p.wY, p.bY];
}

function bytes(p: Params): string {
  return Buffer.from(new Float64Array(allValues(p)).buffer).toString('hex');
}

describe('pytorch init', () => {
  for (const cell of CELL_KINDS) {
    it(`${cell}: every weight and bias lies in [-1/sqrt(H), 1/sqrt(H)] and fills it`, () => {
      const H = 16;
      const { params } = buildModel(config({ cell, H, D: 5 }));
      const k = 1 / Math.sqrt(H);
      const values = allValues(params);
      const G = { rnn: 1, lstm: 4, gru: 3 }[cell];
      expect(values.length).toBe(G * H * 5 + G * H * H + 2 * G * H + H + 1);
      for (const w of values) expect(Math.abs(w)).toBeLessThanOrEqual(k);
      // Spread over the interval, not stuck near 0: hundreds of draws reach both ends.
      expect(Math.max(...values)).toBeGreaterThan(0.95 * k);
      expect(Math.min(...values)).toBeLessThan(-0.95 * k);
    });
  }

  it('shapes follow the gate count', () => {
    for (const [cell, G] of [['rnn', 1], ['lstm', 4], ['gru', 3]] as [CellKind, number][]) {
      const p = initParams(cell, 6, 2, { init: 'pytorch', gain: 1, forgetBias: 0 }, new Rng(1, 'x'));
      expect([p.G, p.wIh.length, p.wHh.length, p.bIh.length, p.bHh.length, p.wY.length])
        .toEqual([G, G * 6 * 2, G * 6 * 6, G * 6, G * 6, 6]);
    }
  });
});

describe('orthogonal init', () => {
  for (const cell of CELL_KINDS) {
    it(`${cell}: each HxH block of W_hh has Q^T Q = I and Q Q^T = I`, () => {
      const H = 12;
      const { params } = buildModel(config({ cell, H, init: 'orthogonal' }));
      for (let block = 0; block < params.G; block++) {
        const q = params.wHh.subarray(block * H * H, (block + 1) * H * H);
        for (let i = 0; i < H; i++) {
          for (let j = 0; j < H; j++) {
            let cols = 0;
            let rows = 0;
            for (let r = 0; r < H; r++) {
              cols += q[r * H + i] * q[r * H + j];
              rows += q[i * H + r] * q[j * H + r];
            }
            const identity = i === j ? 1 : 0;
            expect(Math.abs(cols - identity)).toBeLessThan(ORTHOGONALITY_TOLERANCE);
            expect(Math.abs(rows - identity)).toBeLessThan(ORTHOGONALITY_TOLERANCE);
          }
        }
      }
    });
  }

  it('draws W_ih before W_hh, so W_ih does not depend on the init kind', () => {
    const a = buildModel(config({ init: 'pytorch' })).params;
    const b = buildModel(config({ init: 'orthogonal' })).params;
    expect(b.wIh).toEqual(a.wIh);
    expect(b.wHh).not.toEqual(a.wHh);
  });

  it('H = 1 gives W_hh = ±1', () => {
    const { params } = buildModel(config({ cell: 'rnn', H: 1, init: 'orthogonal' }));
    expect(Math.abs(params.wHh[0])).toBe(1);
  });
});

describe('gain and forget bias', () => {
  for (const init of ['pytorch', 'orthogonal'] as const) {
    it(`${init}: gain multiplies W_hh exactly and touches nothing else`, () => {
      const gain = 2.75;
      const base = buildModel(config({ init })).params;
      const scaled = buildModel(config({ init, gain })).params;
      for (let e = 0; e < base.wHh.length; e++) expect(scaled.wHh[e]).toBe(base.wHh[e] * gain);
      expect(scaled.wIh).toEqual(base.wIh);
      expect(scaled.bIh).toEqual(base.bIh);
      expect(scaled.bHh).toEqual(base.bHh);
      expect(scaled.wY).toEqual(base.wY);
      expect(scaled.bY).toBe(base.bY);
    });
  }

  it('gain 0 gives a zero W_hh', () => {
    const { params } = buildModel(config({ gain: 0 }));
    expect(params.wHh.every((w) => w === 0)).toBe(true);
  });

  it('forget bias lands only in the lstm forget block [H, 2H) of b_ih', () => {
    const H = 8;
    const forgetBias = 2;
    const base = buildModel(config({ H })).params;
    const biased = buildModel(config({ H, forgetBias })).params;
    for (let j = 0; j < 4 * H; j++) {
      const expected = j >= H && j < 2 * H ? base.bIh[j] + forgetBias : base.bIh[j];
      expect(biased.bIh[j]).toBe(expected);
    }
    expect(biased.bHh).toEqual(base.bHh);
    expect(biased.wIh).toEqual(base.wIh);
    expect(biased.wHh).toEqual(base.wHh);
  });

  for (const cell of ['rnn', 'gru'] as const) {
    it(`${cell} ignores the forget bias`, () => {
      const base = buildModel(config({ cell })).params;
      const biased = buildModel(config({ cell, forgetBias: 5 })).params;
      expect(bytes(biased)).toBe(bytes(base));
    });
  }
});

describe('determinism and data streams', () => {
  it('the same config gives the same bytes', () => {
    for (const init of ['pytorch', 'orthogonal'] as const) {
      const a = buildModel(config({ init, gain: 1.3, forgetBias: 1 }));
      const b = buildModel(config({ init, gain: 1.3, forgetBias: 1 }));
      expect(bytes(b.params)).toBe(bytes(a.params));
      expect(Buffer.from(b.seq.x.buffer).equals(Buffer.from(a.seq.x.buffer))).toBe(true);
      expect(Buffer.from(b.seq.target.buffer).equals(Buffer.from(a.seq.target.buffer))).toBe(true);
    }
  });

  it('different seeds and different cells give different weights', () => {
    const a = buildModel(config({ seed: 1 })).params;
    const b = buildModel(config({ seed: 2 })).params;
    expect(a.wIh).not.toEqual(b.wIh);
    const rnn = buildModel(config({ cell: 'rnn' })).params;
    const gru = buildModel(config({ cell: 'gru' })).params;
    expect(rnn.wIh.subarray(0, 8)).not.toEqual(gru.wIh.subarray(0, 8));
  });

  it('inputs and targets of T steps are a prefix of those of 3T steps', () => {
    const short = makeSequence(7, 3, 9);
    const long = makeSequence(21, 3, 9);
    expect([short.T, short.D, short.x.length, short.target.length]).toEqual([7, 3, 21, 7]);
    expect(long.x.subarray(0, 21)).toEqual(short.x);
    expect(long.target.subarray(0, 7)).toEqual(short.target);
  });

  it('inputs and targets do not depend on the cell or the init', () => {
    const reference = buildModel(config({ cell: 'rnn' })).seq;
    for (const cell of CELL_KINDS) {
      for (const init of ['pytorch', 'orthogonal'] as const) {
        const { seq } = buildModel(config({ cell, init, gain: 3, forgetBias: 1 }));
        expect(seq.x).toEqual(reference.x);
        expect(seq.target).toEqual(reference.target);
      }
    }
  });

  it('inputs and targets are different streams', () => {
    const seq = makeSequence(10, 1, 42);
    expect(seq.x).not.toEqual(seq.target);
  });
});
