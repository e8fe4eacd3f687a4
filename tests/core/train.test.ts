// Training: optimisers and clipping against hand-computed values, the adding problem's data,
// and (below) the training loop itself.
import { describe, expect, it } from 'vitest';
import { adam, clipGradNorm, gradNorm, sgd } from '../../worker/src/core/optim.ts';
import { Rng } from '../../worker/src/core/rng.ts';
import {
  ADDING_TEST_SIZE,
  addingTestSet,
  addingTrainStream,
  allocAdding,
  drawAdding,
} from '../../worker/src/core/tasks.ts';
import type { ParamGrads, Params, Sequence } from '../../worker/src/core/types.ts';

/** Hand-derived values agree with the code's float64 arithmetic to rounding. */
const ROUNDING = 1e-14;

/** H = D = 1 rnn: one entry per field, so each update can be written out by hand. */
function tinyParams(): Params {
  return {
    cell: 'rnn',
    H: 1,
    D: 1,
    G: 1,
    wIh: Float64Array.of(0.5),
    wHh: Float64Array.of(-0.25),
    bIh: Float64Array.of(0.1),
    bHh: Float64Array.of(0),
    wY: Float64Array.of(2),
    bY: 0.3,
  };
}

/** Gradients from [wIh, wHh, bIh, bHh, wY, bY], the order `flat` reads them back in. */
function grads(...[wIh, wHh, bIh, bHh, wY, bY]: number[]): ParamGrads {
  return {
    wIh: Float64Array.of(wIh),
    wHh: Float64Array.of(wHh),
    bIh: Float64Array.of(bIh),
    bHh: Float64Array.of(bHh),
    wY: Float64Array.of(wY),
    bY,
  };
}

function flat(p: Params | ParamGrads): number[] {
  return [p.wIh[0], p.wHh[0], p.bIh[0], p.bHh[0], p.wY[0], p.bY];
}

function expectClose(actual: number[], expected: number[], tol: number): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, k) => expect(Math.abs(a - expected[k])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected[k]))));
}

describe('sgd', () => {
  it('takes p − lr·g on every field', () => {
    const p = tinyParams();
    sgd(0.1).step(p, grads(1, -2, 0.5, 0.25, 4, -1));
    expectClose(flat(p), [0.4, -0.05, 0.05, -0.025, 1.6, 0.4], ROUNDING);
  });
});

describe('adam', () => {
  // Step 1: m = 0.1·g, v = 0.001·g², corrections 1−0.9 = 0.1 and 1−0.999 = 0.001, so
  // sqrt(v)/sqrt(0.001) = |g| and the step is lr·g/(|g| + 1e-8): lr·sign(g) up to eps.
  // Step 2 (g1 → g2): m = 0.09·g1 + 0.1·g2, v = 0.000999·g1² + 0.001·g2², corrections 0.19 and
  // 0.001999; step = (lr/0.19) · m / (sqrt(v/0.001999) + 1e-8).
  const lr = 0.01;
  const eps = 1e-8;
  const g1 = [1, -2, 0.5, 0.25, 4, -1];
  const g2 = [-1, 3, 0.5, 0.25, 4, -1];
  const p0 = flat(tinyParams());
  const afterOne = p0.map((p, k) => p - (lr * g1[k]) / (Math.abs(g1[k]) + eps));
  const afterTwo = afterOne.map((p, k) => {
    const m = 0.09 * g1[k] + 0.1 * g2[k];
    const v = 0.000999 * g1[k] ** 2 + 0.001 * g2[k] ** 2;
    return p - (lr / 0.19) * (m / (Math.sqrt(v / 0.001999) + eps));
  });

  it('matches the bias-corrected update written out by hand', () => {
    const p = tinyParams();
    const opt = adam(p, lr);
    opt.step(p, grads(...g1));
    expectClose(flat(p), afterOne, ROUNDING);
    opt.step(p, grads(...g2));
    expectClose(flat(p), afterTwo, ROUNDING);
  });

  it('matches torch.optim.Adam (float64, torch 1.13) on the first three fields', () => {
    // torch.optim.Adam([p], lr=0.01) with p = [0.5, -0.25, 0.1], grads g1 then g2 as above.
    const torchAfterOne = [0.4900000001, -0.24000000005, 0.0900000002];
    const torchAfterTwo = [0.49052631588421053, -0.24247701820162687, 0.08000000040000006];
    const p = tinyParams();
    const opt = adam(p, lr);
    opt.step(p, grads(...g1));
    expectClose(flat(p).slice(0, 3), torchAfterOne, ROUNDING);
    opt.step(p, grads(...g2));
    expectClose(flat(p).slice(0, 3), torchAfterTwo, ROUNDING);
  });
});

describe('clipGradNorm', () => {
  // g = (3, 4, 0, 0, 0, 12): total norm sqrt(9 + 16 + 144) = 13.
  const g = () => grads(3, 4, 0, 0, 0, 12);

  it('measures the global norm over every field, bY included', () => {
    expect(gradNorm(g())).toBe(13);
  });

  it('leaves gradients alone below the threshold and reports the norm', () => {
    const d = g();
    expect(clipGradNorm(d, 20)).toEqual({ totalNorm: 13, clipped: false });
    expect(flat(d)).toEqual([3, 4, 0, 0, 0, 12]);
  });

  it('scales by a hair when the norm equals the threshold, because of torch\'s + 1e-6', () => {
    // torch: clip_coef = max_norm / (total + 1e-6) = 13 / (13 + 1e-6) < 1, so it multiplies by it.
    const d = g();
    const r = clipGradNorm(d, 13);
    expect(r.clipped).toBe(true);
    const coef = 13 / (13 + 1e-6);
    expectClose(flat(d), [3 * coef, 4 * coef, 0, 0, 0, 12 * coef], ROUNDING);
  });

  it('scales by maxNorm / (norm + 1e-6) above the threshold, returning the norm before clipping', () => {
    const d = g();
    const r = clipGradNorm(d, 6.5);
    expect(r).toEqual({ totalNorm: 13, clipped: true });
    const coef = 6.5 / (13 + 1e-6);
    expectClose(flat(d), [3 * coef, 4 * coef, 0, 0, 0, 12 * coef], ROUNDING);
    expect(Math.abs(gradNorm(d) - 6.5)).toBeLessThan(1e-6);
  });

  it('matches torch.nn.utils.clip_grad_norm_ on (3, 4) with max_norm 2', () => {
    const d = grads(3, 4, 0, 0, 0, 0);
    expect(clipGradNorm(d, 2).totalNorm).toBe(5);
    expectClose(flat(d).slice(0, 2), [1.199999760000048, 1.599999680000064], ROUNDING);
  });
});

function markers(seq: Sequence): number[] {
  const at: number[] = [];
  for (let t = 0; t < seq.T; t++) {
    const m = seq.x[2 * t + 1];
    expect(m === 0 || m === 1).toBe(true);
    if (m === 1) at.push(t);
  }
  return at;
}

describe('the adding problem', () => {
  it('has exactly two markers, one in each half, and the target is the sum of the marked values', () => {
    const rng = new Rng(7, 'adding-test');
    for (const T of [2, 3, 4, 10, 101]) {
      const seq = allocAdding(T);
      for (let n = 0; n < 200; n++) {
        drawAdding(rng, seq);
        const [first, second, ...rest] = markers(seq);
        expect(rest).toEqual([]);
        expect(first).toBeLessThan(Math.floor(T / 2));
        expect(second).toBeGreaterThanOrEqual(Math.floor(T / 2));
        expect(second).toBeLessThan(T);
        for (let t = 0; t < T; t++) {
          expect(seq.x[2 * t]).toBeGreaterThanOrEqual(0);
          expect(seq.x[2 * t]).toBeLessThan(1);
        }
        expect(seq.target[T - 1]).toBe(seq.x[2 * first] + seq.x[2 * second]);
      }
    }
  });

  it('places each marker uniformly within its half', () => {
    // T = 8: each marker has 4 possible steps; 4000 draws give 1000 ± ~27 per step.
    const rng = new Rng(1, 'adding-uniform');
    const seq = allocAdding(8);
    const counts = new Array<number>(8).fill(0);
    for (let n = 0; n < 4000; n++) {
      drawAdding(rng, seq);
      for (const t of markers(seq)) counts[t]++;
    }
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(150);
  });

  it('refuses T < 2, where the two halves cannot both hold a marker', () => {
    expect(() => allocAdding(1)).toThrow(RangeError);
  });

  it('has a fixed test set: the same every time, different from the training stream', () => {
    const a = addingTestSet(20);
    const b = addingTestSet(20);
    expect(a.length).toBe(ADDING_TEST_SIZE);
    expect(a.map((s) => Array.from(s.x))).toEqual(b.map((s) => Array.from(s.x)));
    const train = allocAdding(20);
    drawAdding(addingTrainStream(0, 20), train);
    expect(Array.from(train.x)).not.toEqual(Array.from(a[0].x));
  });

  it('gives the constant predictor 1 a mean squared error near 1/6 on the test set', () => {
    // (s − 1)² for s = u1 + u2 has mean 1/6 and sd sqrt(7/180) ≈ 0.197; over 256 sequences the
    // mean has sd ≈ 0.012, so 0.04 is > 3 sd.
    const set = addingTestSet(50);
    const mse = set.reduce((sum, s) => sum + (s.target[49] - 1) ** 2, 0) / set.length;
    expect(Math.abs(mse - 1 / 6)).toBeLessThan(0.04);
  });
});
