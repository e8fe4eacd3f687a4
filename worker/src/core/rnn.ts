// Elman RNN as torch.nn.RNN: h_t = act(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh), h_0 = 0, act tanh or
// relu; readout y_t = wY · h_t + bY.
// T = steps, H = hidden, D = input (G = 1).
import {
  allocBackward,
  allocStepWork,
  closeStep,
  enterStep,
  gateInputs,
  perturbState,
  transposedProduct,
  type BackwardResult,
  type Perturbation,
} from './kernel.ts';
import { tanh } from './math.ts';
import { readoutBackward, readoutForward } from './readout.ts';
import { CarriedScale } from './scaled.ts';
import type { Nonlinearity, Params, RnnCache, Sequence } from './types.ts';

export function rnnForward(
  p: Params,
  seq: Sequence,
  act: Nonlinearity,
  perturb?: Perturbation,
): RnnCache {
  const H = p.H;
  const T = seq.T;
  const h = new Float64Array(T * H); // (T, H)
  const y = new Float64Array(T); // (T)
  const gi = new Float64Array(H); // (H) W_ih x_t + b_ih
  const gh = new Float64Array(H); // (H) W_hh h_{t-1} + b_hh
  for (let t = 0; t < T; t++) {
    gateInputs(gi, gh, p, seq.x, h, t);
    const row = t * H;
    for (let j = 0; j < H; j++) {
      const a = gi[j] + gh[j];
      h[row + j] = act === 'tanh' ? tanh(a) : a > 0 ? a : 0;
    }
    perturbState(perturb, t, 'h', h, row);
  }
  readoutForward(p, h, T, y);
  return { cell: 'rnn', h, y };
}

/** BPTT for the rnn; dY (T) = ∂L/∂y_t. */
export function rnnBackward(
  p: Params,
  seq: Sequence,
  cache: RnnCache,
  act: Nonlinearity,
  dY: Float64Array,
): BackwardResult {
  const { H } = p;
  const T = seq.T;
  const h = cache.h;
  const out = allocBackward(p, T, false);
  const work = allocStepWork(p);
  const dh = new Float64Array(H); // (H) carried ∂L/∂h_t, scaled by 2^scale.e
  const da = new Float64Array(H); // (H) ∂L/∂a_t (pre-activation), same scale
  const scale = new CarriedScale([dh]);

  readoutBackward(p, h, dY, T, out.grads);
  for (let t = T - 1; t >= 0; t--) {
    enterStep(out, scale, dh, p, dY, t);
    const row = t * H;
    for (let j = 0; j < H; j++) {
      const hj = h[row + j];
      // relu'(a) from h: a > 0 exactly when h > 0 (PyTorch also takes 0 at a = 0)
      da[j] = dh[j] * (act === 'tanh' ? 1 - hj * hj : hj > 0 ? 1 : 0);
    }
    closeStep(out, work, p, seq.x, h, t, da, da, scale.e);
    transposedProduct(dh, 0, p.wHh, da, H, H); // dhNext = W_hhᵀ da
  }
  return out;
}
