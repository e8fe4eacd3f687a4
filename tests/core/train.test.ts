// Training: optimisers and clipping against hand-computed values, the adding problem's data,
// and (below) the training loop itself.
import { describe, expect, it } from 'vitest';
import { backward, forward } from '../../worker/src/core/cells.ts';
import { buildModel } from '../../worker/src/core/init.ts';
import { adam, addScaledGrads, clipGradNorm, gradNorm, sgd, zerosLike } from '../../worker/src/core/optim.ts';
import { lossAndDy } from '../../worker/src/core/readout.ts';
import { Rng } from '../../worker/src/core/rng.ts';
import {
  ADDING_TEST_SIZE,
  addingTestSet,
  addingTrainStream,
  allocAdding,
  drawAdding,
} from '../../worker/src/core/tasks.ts';
import { MAX_PROGRESS_REPORTS, train, trainToEnd } from '../../worker/src/core/train.ts';
import {
  CELL_KINDS,
  type CellKind,
  type ParamGrads,
  type Params,
  type Sequence,
  type TrainConfig,
  type TrainProgress,
} from '../../worker/src/core/types.ts';

/** Hand-derived values agree with the code's float64 arithmetic to rounding. */
const ROUNDING = 1e-14;
/** Relative agreement with PyTorch float64 after several steps (a few ulps of rounding order). */
const TORCH_AGREEMENT = 1e-12;

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
  let onlyZeroOrOne = true;
  for (let t = 0; t < seq.T; t++) {
    const m = seq.x[2 * t + 1];
    if (m !== 0 && m !== 1) onlyZeroOrOne = false;
    if (m === 1) at.push(t);
  }
  expect(onlyZeroOrOne).toBe(true);
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
        const values = Array.from({ length: T }, (_, t) => seq.x[2 * t]);
        expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
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

/** A small run: a fraction of a second, enough steps for several progress reports. */
function smallConfig(overrides: Partial<TrainConfig> = {}): TrainConfig {
  return {
    cell: 'lstm',
    task: 'adding',
    T: 10,
    H: 4,
    seed: 3,
    init: 'pytorch',
    gain: 1,
    forgetBias: 0,
    nonlinearity: 'tanh',
    steps: 20,
    batchSize: 4,
    lr: 0.01,
    optimizer: 'adam',
    clip: null,
    ...overrides,
  };
}

/** The first `steps` batch losses and gradient norms, computed here from the kernels directly. */
function handRolledSgd(cfg: TrainConfig, steps: number): { loss: number[]; norm: number[] } {
  const { T, batchSize: B } = cfg;
  // buildModel's weight stream with D = 2, as train.ts promises
  const { params } = buildModel({ ...cfg, D: 2, loss: 'last' });
  const data = addingTrainStream(cfg.seed, T);
  const loss: number[] = [];
  const norm: number[] = [];
  for (let s = 0; s < steps; s++) {
    const sum = zerosLike(params);
    let sq = 0;
    for (let b = 0; b < B; b++) {
      const seq = allocAdding(T);
      drawAdding(data, seq);
      const cache = forward(params, seq, cfg.nonlinearity);
      const { dY } = lossAndDy(cache.y, seq.target, 'last');
      sq += (cache.y[T - 1] - seq.target[T - 1]) ** 2;
      addScaledGrads(sum, backward(params, seq, cache, cfg.nonlinearity, dY).grads, 1 / B);
    }
    loss.push(sq / B);
    norm.push(gradNorm(sum));
    sgd(cfg.lr).step(params, sum);
  }
  return { loss, norm };
}

describe('train', () => {
  it('computes batch MSE and the norm of the batch-mean gradient, then takes the optimiser step', () => {
    const cfg = smallConfig({ optimizer: 'sgd', lr: 0.1, steps: 3 });
    const expected = handRolledSgd(cfg, 3);
    const r = trainToEnd(cfg);
    expectClose(Array.from(r.loss), expected.loss, ROUNDING);
    expectClose(Array.from(r.gradNorm), expected.norm, ROUNDING);
    expect(Array.from(r.clipped)).toEqual([0, 0, 0]);
  });

  it('follows PyTorch step by step: 4 Adam steps with clipping, every cell', () => {
    // Made with torch 1.13 (float64) from this config's initial weights (initParams on the
    // 'weights/<cell>' stream) and its 4 batches (the 'train/adding/T5' stream) by
    // tests/core/reference/adam_reference.py (a port of the generator, init and drawAdding, then):
    //   mod = nn.<RNN|LSTM|GRU>(2, 3, batch_first=True); ro = nn.Linear(3, 1); both loaded;
    //   opt = Adam(params, lr=0.05); per batch: pred = ro(mod(x)[0][:, -1]).squeeze(1);
    //   mse = ((pred - y) ** 2).mean(); opt.zero_grad(); (0.5 * mse).backward();
    //   norm = clip_grad_norm_(params, 0.3); opt.step()   → loss = mse, gradNorm = norm.
    // gain 1.5 and forget_bias 1 so that init's transformations are part of the comparison.
    const torchRuns: Record<CellKind, { loss: number[]; norm: number[] }> = {
      rnn: {
        loss: [0.18952917648769466, 0.3118064399588912, 0.1934542378070878, 0.03308209552865863],
        norm: [0.2879892034508666, 0.8390663635749646, 0.44825912512336624, 0.1310482047148342],
      },
      lstm: {
        loss: [0.5285368609238383, 0.9393514685042267, 0.16990400508584738, 0.050390082307058576],
        norm: [0.7352149252748162, 1.1990178544570498, 0.23071355816249073, 0.235085175255252],
      },
      gru: {
        loss: [0.9508797955173497, 1.394839742774017, 0.21651158215711444, 0.13407359157620402],
        norm: [1.3034293501516048, 1.7609477577707247, 0.5276543590802588, 0.5110035303751765],
      },
    };
    for (const cell of CELL_KINDS) {
      const r = trainToEnd(
        smallConfig({ cell, T: 5, H: 3, seed: 11, gain: 1.5, forgetBias: 1, steps: 4, batchSize: 3, lr: 0.05, clip: 0.3 }),
      );
      expectClose(Array.from(r.loss), torchRuns[cell].loss, TORCH_AGREEMENT);
      expectClose(Array.from(r.gradNorm), torchRuns[cell].norm, TORCH_AGREEMENT);
      expect(Array.from(r.clipped)).toEqual(torchRuns[cell].norm.map((n) => (n > 0.3 ? 1 : 0)));
    }
  });

  it('records the norm before clipping and marks the clipped steps', () => {
    const free = trainToEnd(smallConfig({ steps: 1 }));
    const tight = trainToEnd(smallConfig({ steps: 1, clip: free.gradNorm[0] / 2 }));
    const loose = trainToEnd(smallConfig({ steps: 1, clip: free.gradNorm[0] * 2 }));
    expect(tight.gradNorm[0]).toBe(free.gradNorm[0]);
    expect(tight.clipped[0]).toBe(1);
    expect(loose.clipped[0]).toBe(0);
  });

  it('is deterministic: the same config gives identical results', () => {
    const a = trainToEnd(smallConfig());
    const b = trainToEnd(smallConfig());
    expect(Array.from(b.loss)).toEqual(Array.from(a.loss));
    expect(Array.from(b.gradNorm)).toEqual(Array.from(a.gradNorm));
    expect([b.testError, b.testAccuracy, b.baselineError]).toEqual([a.testError, a.testAccuracy, a.baselineError]);
  });

  it('scores every seed and cell on the same test set', () => {
    const a = trainToEnd(smallConfig({ seed: 1 }));
    const b = trainToEnd(smallConfig({ seed: 2, cell: 'gru' }));
    expect(Array.from(b.loss)).not.toEqual(Array.from(a.loss));
    expect(b.baselineError).toBe(a.baselineError);
    const set = addingTestSet(10);
    expect(a.baselineError).toBe(set.reduce((s, q) => s + (1 - q.target[9]) ** 2, 0) / set.length);
  });

  it('reports progress at most 50 times, always after the last step, matching the result', () => {
    for (const steps of [7, 101, 120]) {
      const run = train(smallConfig({ steps, batchSize: 1, T: 4, H: 2 }));
      const seen: TrainProgress[] = [];
      let next = run.next();
      while (!next.done) {
        seen.push(next.value);
        next = run.next();
      }
      const result = next.value;
      expect(seen.length).toBeLessThanOrEqual(MAX_PROGRESS_REPORTS);
      expect(seen.at(-1)?.step).toBe(steps);
      const every = Math.ceil(steps / 50);
      for (const p of seen) {
        expect(p.step % every === 0 || p.step === steps).toBe(true);
        expect(p.steps).toBe(steps);
        expect(p.loss).toBe(result.loss[p.step - 1]);
        expect(p.gradNorm).toBe(result.gradNorm[p.step - 1]);
      }
    }
  });

  it('does no work until pulled, and stops when the caller returns', () => {
    // A run of 10^12 sequence passes: it would never finish, so getting here proves laziness.
    const huge = train(smallConfig({ steps: 1_000_000, batchSize: 1_000_000 }));
    expect(huge.return(undefined as never).done).toBe(true);

    const run = train(smallConfig({ steps: 100 }));
    const first = run.next();
    expect(first.done).toBe(false);
    expect(first.done === false && first.value.step).toBe(2);
    expect(run.return(undefined as never)).toEqual({ done: true, value: undefined });
    expect(run.next()).toEqual({ done: true, value: undefined });
  });

  it('refuses configurations it cannot train', () => {
    expect(() => trainToEnd(smallConfig({ T: 1 }))).toThrow(RangeError);
    expect(() => trainToEnd(smallConfig({ steps: 0 }))).toThrow(RangeError);
    expect(() => trainToEnd(smallConfig({ lr: 0 }))).toThrow(RangeError);
    expect(() => trainToEnd(smallConfig({ clip: 0 }))).toThrow(RangeError);
    expect(() => trainToEnd(smallConfig({ optimizer: 'rmsprop' as never }))).toThrow(RangeError);
  });
});

describe("the tutorial's point: on the adding problem the LSTM learns where the tanh RNN cannot", () => {
  // T = 30 is long enough that the first marker sits 15..29 steps before the readout, so its
  // gradient has to cross that many tanh steps; 400 Adam steps (lr 0.05, batch 16, clip 1, H 16,
  // 6400 sequences) are enough for the LSTM to leave the plateau at the baseline and short enough
  // for CI (measured 2-4 s for the LSTM, 0.5-1.5 s for the RNN on a shared 2-core machine). The plateau's length
  // depends on the seed: with these settings seeds 0 and 2 leave it within 400 steps (test error
  // 0.13 and 0.02 × baseline), seed 1 has not yet (0.96 ×); with 600 steps 3 of 4 seeds have.
  // The tanh RNN stays at the baseline for all three seeds (1.05–1.28 ×), and did so too with
  // 800 steps at lr 0.02 without clipping (seeds 0, 1) and at T = 25 (seeds 0–3).
  // Seed 2 is the fixed seed here; the same seed and settings for both cells.
  const tutorial = (cell: 'rnn' | 'lstm'): TrainConfig => ({
    ...smallConfig(),
    cell,
    T: 30,
    H: 16,
    seed: 2,
    steps: 400,
    batchSize: 16,
    lr: 0.05,
    clip: 1,
  });
  /** "Stays at the baseline": the predictor is no better than the constant 1, within noise. */
  const AT_BASELINE = 0.8;
  /**
   * "Well below": predicting 0.5 + the second marked value (the one at most T/2 steps back)
   * leaves the first value's variance 1/12, half the baseline's 1/6; beating 0.5 × baseline
   * needs the first marker, the long-range part of the task.
   */
  const WELL_BELOW = 0.5;
  /** Seed 2's LSTM solves 44% of the test sequences to |error| < 0.04; chance is ~8%. */
  const SOLVED_FRACTION = 0.3;

  it('the tanh RNN stays at the baseline', () => {
    const r = trainToEnd(tutorial('rnn'));
    expect(r.testError).toBeGreaterThanOrEqual(AT_BASELINE * r.baselineError);
  });

  it('the LSTM gets well below it', () => {
    const r = trainToEnd(tutorial('lstm'));
    expect(r.testError).toBeLessThanOrEqual(WELL_BELOW * r.baselineError);
    expect(r.testAccuracy).toBeGreaterThan(SOLVED_FRACTION);
  });
});
