// Synthetic tasks for training: the adding problem.
// T = steps, D = input channels (2 for adding), N = sequences in a set.
//
// The adding problem (Hochreiter & Schmidhuber 1997, experiment 4; in the form of Le, Jaitly &
// Hinton 2015): channel 0 carries values U(0, 1) at every step, channel 1 is a marker that is 1 at
// exactly two steps, one drawn uniformly from the first half (steps 0..⌊T/2⌋−1) and one from the
// second half (⌊T/2⌋..T−1), and 0 elsewhere. The target is the sum of the two marked values, read
// at the last step only (loss `last`). Whatever the network learns about the first marker has to
// survive up to T/2..T−1 steps of recurrence, which is what makes the task long-range.
//
// Draw order per sequence (fixed: changing it changes every number of /train):
//   T values with rng.nextFloat64(), step 0 first; then the first marker's step with
//   rng.nextInt(⌊T/2⌋); then the second marker's step, ⌊T/2⌋ + rng.nextInt(T − ⌊T/2⌋).
//
// Streams: training batches come from new Rng(seed, 'train/adding/T<T>'), so the seed decides the
// data order as well as the weights; the test set comes from new Rng(0, 'test/adding/T<T>') and
// does not depend on the seed, so runs with different seeds or cells are scored on the same data.
import { Rng } from './rng.ts';
import type { Sequence } from './types.ts';

export const ADDING_INPUT_SIZE = 2;

/** A sequence counts as solved when |y_T − y*_T| < 0.04 (Hochreiter & Schmidhuber's criterion). */
export const ADDING_SUCCESS_TOLERANCE = 0.04;

/**
 * The trivial baseline predicts the target's mean: a sum of two U(0,1) has mean 1 and variance
 * 2 · 1/12 = 1/6, so always answering 1 has an expected squared error of 1/6 ≈ 0.167.
 */
export const ADDING_BASELINE_PREDICTION = 1;
export const ADDING_BASELINE_DESCRIPTION =
  'always predict 1, the mean of the sum of two U(0,1) values (expected squared error 1/6)';

/** Sequences in the fixed test set. */
export const ADDING_TEST_SIZE = 256;

/** Seed of the test-set stream; fixed so that every run is scored on the same sequences. */
const ADDING_TEST_SEED = 0;

export function addingTrainStream(seed: number, T: number): Rng {
  return new Rng(seed, `train/adding/T${T}`);
}

export function addingTestStream(T: number): Rng {
  return new Rng(ADDING_TEST_SEED, `test/adding/T${T}`);
}

/** An empty sequence of the adding problem's shape, to be filled by `drawAdding`. */
export function allocAdding(T: number): Sequence {
  if (!Number.isInteger(T) || T < 2) {
    throw new RangeError(`the adding problem needs an integer T >= 2, got ${T}`);
  }
  return {
    T,
    D: ADDING_INPUT_SIZE,
    x: new Float64Array(T * ADDING_INPUT_SIZE), // (T, 2) [value, marker] per step
    target: new Float64Array(T), // (T) 0 before the last step, the sum at step T−1
  };
}

/**
 * Overwrites `seq` with the next sequence of `rng` (no allocation, so a training loop can reuse
 * one buffer per batch slot). Only target[T−1] is a real target; the earlier entries are 0 and are
 * not read by loss `last`.
 */
export function drawAdding(rng: Rng, seq: Sequence): void {
  const { T, x, target } = seq;
  for (let t = 0; t < T; t++) {
    x[2 * t] = rng.nextFloat64();
    x[2 * t + 1] = 0;
  }
  const half = Math.floor(T / 2);
  const first = rng.nextInt(half);
  const second = half + rng.nextInt(T - half);
  x[2 * first + 1] = 1;
  x[2 * second + 1] = 1;
  target.fill(0);
  target[T - 1] = x[2 * first] + x[2 * second];
}

/** The fixed test set for length T: ADDING_TEST_SIZE sequences, the same for every seed. */
export function addingTestSet(T: number, size = ADDING_TEST_SIZE): Sequence[] {
  const rng = addingTestStream(T);
  const set: Sequence[] = [];
  for (let n = 0; n < size; n++) {
    const seq = allocAdding(T);
    drawAdding(rng, seq);
    set.push(seq);
  }
  return set;
}
