// The rnn of rnn.ts with the fused building blocks of fused.ts: one packed (H × (D+H)) mat-vec per
// step, four rows per pass; Wᵀda from packed transposes; the weight gradients after the time loop.
// Same cache, same results, bit for bit (tests/core/fused.test.ts).
// T = steps, H = hidden, D = input (G = 1), R4 = H rounded up to a multiple of 4.
import {
  allFinite,
  INPUT_STEPS,
  inputAffine,
  packGateWeights,
  packTransposed,
  recurrentAffine,
  tanhOfSum,
  padded4,
  roundUp4,
  storeStepActual,
  transposedPacked,
  transposeHistory,
  weightGradientPacked,
} from './fused.ts';
import { f64, type Arena } from './arena.ts';
import { allocBackward, enterStep, perturbState, type BackwardResult, type Perturbation } from './kernel.ts';
import { readoutBackward, readoutForward } from './readout.ts';
import { rnnBackward } from './rnn.ts';
import { CarriedScale, log10Norm, writeActual } from './scaled.ts';
import type { Nonlinearity, Params, RnnCache, Sequence } from './types.ts';

export function rnnForwardFused(p: Params, seq: Sequence, act: Nonlinearity, perturb?: Perturbation, arena?: Arena): RnnCache {
  const { H, D } = p;
  const T = seq.T;
  const R4 = roundUp4(H);
  const packed = packGateWeights(p, arena); // (R4/4, D+H, 4): [W_ih | W_hh] four rows at a time
  const bIh = padded4(p.bIh, arena); // (R4)
  const bHh = padded4(p.bHh, arena); // (R4)
  const h = f64(arena, T * H); // (T, H)
  const y = f64(arena, T); // (T)
  const gis = f64(arena, INPUT_STEPS * R4); // (INPUT_STEPS, R4) W_ih x_t + b_ih, a block of steps
  const gh = f64(arena, R4); // (R4) W_hh h_{t-1} + b_hh
  const isTanh = act === 'tanh';
  for (let t = 0; t < T; t++) {
    const row = t * H;
    const s = t % INPUT_STEPS;
    if (s === 0) inputAffine(gis, packed, bIh, seq.x, t * D, Math.min(INPUT_STEPS, T - t), R4, D, H);
    const giOff = s * R4; // W_ih x_t + b_ih = gis[giOff ..+R4)
    recurrentAffine(gh, packed, bHh, h, row - H, R4, D, H);
    if (isTanh) tanhOfSum(h, row, gis, giOff, gh, 0, H);
    else {
      for (let j = 0; j < H; j++) {
        const a = gis[giOff + j] + gh[j];
        h[row + j] = a > 0 ? a : 0;
      }
    }
    perturbState(perturb, t, 'h', h, row);
  }
  readoutForward(p, h, T, y);
  return { cell: 'rnn', h, y };
}

/** BPTT for the rnn as rnnBackward; dY (T) = ∂L/∂y_t. */
export function rnnBackwardFused(
  p: Params,
  seq: Sequence,
  cache: RnnCache,
  act: Nonlinearity,
  dY: Float64Array,
  arena?: Arena,
): BackwardResult {
  if (!allFinite(p.wIh, p.wHh)) return rnnBackward(p, seq, cache, act, dY);
  const { H, D } = p;
  const T = seq.T;
  const h = cache.h;
  const out = allocBackward(p, T, false, arena);
  const wIhT = packTransposed(p.wIh, H, D, arena); // (D4/4, H, 4)
  const wHhT = packTransposed(p.wHh, H, H, arena); // (R4/4, H, 4)
  const daHistory = f64(arena, roundUp4(H) * T); // (R4/4, T, 4) ∂L/∂a_t in actual units, packed as storeStepActual
  const dh = f64(arena, H); // (H) carried ∂L/∂h_t, scaled by 2^scale.e
  const da = f64(arena, H); // (H) ∂L/∂a_t (pre-activation), same scale
  const daActual = f64(arena, H); // (H) the same in actual units
  const dx = f64(arena, D); // (D) ∂L/∂x_t, scaled
  const scale = new CarriedScale([dh]);
  const isTanh = act === 'tanh';

  readoutBackward(p, h, dY, T, out.grads);
  for (let t = T - 1; t >= 0; t--) {
    enterStep(out, scale, dh, p, dY, t);
    const row = t * H;
    for (let j = 0; j < H; j++) {
      const hj = h[row + j];
      // relu'(a) from h: a > 0 exactly when h > 0 (PyTorch also takes 0 at a = 0)
      da[j] = dh[j] * (isTanh ? 1 - hj * hj : hj > 0 ? 1 : 0);
    }
    storeStepActual(daHistory, da, H, T, t, scale.e, daActual);
    transposedPacked(dx, wIhT, da, H, D);
    out.log10GradX[t] = log10Norm(dx, 0, D, scale.e);
    writeActual(out.dX, t * D, dx, 0, D, scale.e);
    transposedPacked(dh, wHhT, da, H, H); // dhNext = W_hhᵀ da
  }
  const gr = out.grads;
  weightGradientPacked(gr.wIh, gr.bIh, daHistory, transposeHistory(seq.x, T, D, arena), H, D, T, 0, 0);
  weightGradientPacked(gr.wHh, gr.bHh, daHistory, transposeHistory(h, T, H, arena), H, H, T, 1, 1);
  return out;
}
