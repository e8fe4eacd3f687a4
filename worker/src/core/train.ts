// Minibatch training on the adding problem: BPTT through the core's own kernels, SGD or Adam,
// optional global-norm clipping. A generator, so the API can stream progress and stop the work.
// T = steps per sequence, H = hidden, D = 2 (adding), B = batch size, N = test-set size.
//
// What one training step does (PyTorch equivalent in brackets):
//   1. draw B fresh sequences from the seed's training stream (tasks.ts);
//   2. forward + BPTT per sequence with loss `last`; per-sequence gradients are averaged, so the
//      gradient is that of the batch objective ½·mean_b (y_T − y*_T)²
//      [loss = 0.5 * ((pred - y) ** 2).mean(); loss.backward()];
//   3. gradNorm = global L2 norm of that gradient, before clipping; clip if cfg.clip is set
//      [clip_grad_norm_(params, clip)];
//   4. optimiser step [torch.optim.SGD / Adam(params, lr)].
// Reported losses are mean squared errors mean_b (y_T − y*_T)², without the ½, so the training
// curve, testError and baselineError are the same measure and can be compared directly.
//
// Weights come from new Rng(seed, `weights/${cell}`) with D = 2, the same stream buildModel
// uses, so /train starts from the weights /gradients shows for input_size=2. A non-finite loss
// (an exploding run) is carried through as NaN/Infinity; the API turns it into null + warning.
import { Arena } from './arena.ts';
import { backward, DEFAULT_KERNEL, forward } from './cells.ts';
import { initParams } from './init.ts';
import { adam, addScaledGrads, clipGradNorm, gradNorm, sgd, zeroGrads, zerosLike } from './optim.ts';
import { Rng } from './rng.ts';
import {
  ADDING_BASELINE_DESCRIPTION,
  ADDING_BASELINE_PREDICTION,
  ADDING_INPUT_SIZE,
  ADDING_SUCCESS_TOLERANCE,
  addingTestSet,
  addingTrainStream,
  allocAdding,
  drawAdding,
} from './tasks.ts';
import type { Nonlinearity, Params, TrainConfig, TrainProgress, TrainResult } from './types.ts';

/** At most this many progress reports per run (the last step always reports). */
export const MAX_PROGRESS_REPORTS = 50;

/** Steps between progress reports: ceil(steps / 50), so a run yields ≤ 50 times. */
export function progressInterval(steps: number): number {
  return Math.max(1, Math.ceil(steps / MAX_PROGRESS_REPORTS));
}

/**
 * Trains cfg.cell on cfg.task. Yields a TrainProgress every progressInterval(steps) steps and
 * after the last one, then returns the TrainResult. Nothing runs until the caller pulls, and
 * calling .return() between reports ends the run there.
 */
export function* train(cfg: TrainConfig): Generator<TrainProgress, TrainResult, void> {
  checkConfig(cfg);
  const { T, steps, batchSize: B } = cfg;
  const act = cfg.nonlinearity;
  const opts = { init: cfg.init, gain: cfg.gain, forgetBias: cfg.forgetBias };
  const params = initParams(cfg.cell, cfg.H, ADDING_INPUT_SIZE, opts, new Rng(cfg.seed, `weights/${cfg.cell}`));
  const data = addingTrainStream(cfg.seed, T);
  const batch = Array.from({ length: B }, () => allocAdding(T)); // B sequences, refilled each step
  const grads = zerosLike(params); // batch-mean gradient, shapes of Params
  const dY = new Float64Array(T); // (T) ∂ℓ/∂y_t for loss `last`: only dY[T−1] is ever nonzero
  const optimizer = cfg.optimizer === 'adam' ? adam(params, cfg.lr) : sgd(cfg.lr);
  const loss = new Float64Array(steps); // (steps)
  const norms = new Float64Array(steps); // (steps)
  const clipped = new Uint8Array(steps); // (steps)
  const every = progressInterval(steps);
  const arena = new Arena(); // the kernels' buffers, reused by every sequence (all of length T)

  for (let s = 0; s < steps; s++) {
    zeroGrads(grads);
    let squared = 0;
    for (const seq of batch) {
      drawAdding(data, seq);
      arena.reset(); // the previous sequence's cache and gradients are summed into grads already
      const cache = forward(params, seq, act, undefined, DEFAULT_KERNEL, arena);
      const err = cache.y[T - 1] - seq.target[T - 1];
      squared += err * err;
      dY[T - 1] = err; // ∂(½ err²)/∂y_T, as readout.ts lossAndDy gives for `last`
      addScaledGrads(grads, backward(params, seq, cache, act, dY, DEFAULT_KERNEL, arena).grads, 1 / B);
    }
    loss[s] = squared / B;
    if (cfg.clip === null) {
      norms[s] = gradNorm(grads);
    } else {
      const r = clipGradNorm(grads, cfg.clip);
      norms[s] = r.totalNorm;
      clipped[s] = r.clipped ? 1 : 0;
    }
    optimizer.step(params, grads);
    if ((s + 1) % every === 0 || s + 1 === steps) {
      yield { step: s + 1, steps, loss: loss[s], gradNorm: norms[s] };
    }
  }
  return { loss, gradNorm: norms, clipped, ...evaluateAdding(params, T, act), baseline: ADDING_BASELINE_DESCRIPTION };
}

/** Runs train(cfg) to the end without looking at progress (for the JSON answer and tests). */
export function trainToEnd(cfg: TrainConfig): TrainResult {
  const run = train(cfg);
  for (;;) {
    const next = run.next();
    if (next.done) return next.value;
  }
}

export interface AddingScore {
  testError: number; // mean over the test set of (y_T − y*_T)²
  testAccuracy: number; // fraction with |y_T − y*_T| < ADDING_SUCCESS_TOLERANCE
  baselineError: number; // the same mean for the constant prediction ADDING_BASELINE_PREDICTION
}

/** Scores trained weights on the fixed test set of length T (the same set for every seed). */
export function evaluateAdding(p: Params, T: number, act: Nonlinearity): AddingScore {
  const set = addingTestSet(T);
  let squared = 0;
  let solved = 0;
  let baseline = 0;
  const arena = new Arena();
  for (const seq of set) {
    const target = seq.target[T - 1];
    arena.reset();
    const err = forward(p, seq, act, undefined, DEFAULT_KERNEL, arena).y[T - 1] - target;
    squared += err * err;
    if (Math.abs(err) < ADDING_SUCCESS_TOLERANCE) solved++;
    baseline += (ADDING_BASELINE_PREDICTION - target) ** 2;
  }
  const N = set.length;
  return { testError: squared / N, testAccuracy: solved / N, baselineError: baseline / N };
}

function checkConfig(cfg: TrainConfig): void {
  if (cfg.task !== 'adding') throw new RangeError(`unknown task ${String(cfg.task)}`);
  if (cfg.optimizer !== 'sgd' && cfg.optimizer !== 'adam') {
    throw new RangeError(`unknown optimizer ${String(cfg.optimizer)}`);
  }
  for (const [name, v] of [['T', cfg.T], ['H', cfg.H], ['steps', cfg.steps], ['batchSize', cfg.batchSize]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer, got ${v}`);
  }
  if (cfg.T < 2) throw new RangeError(`the adding problem needs T >= 2, got ${cfg.T}`);
  if (!(cfg.lr > 0) || !Number.isFinite(cfg.lr)) throw new RangeError(`lr must be finite and > 0, got ${cfg.lr}`);
  if (cfg.clip !== null && !(cfg.clip > 0)) throw new RangeError(`clip must be > 0 or null, got ${cfg.clip}`);
}
