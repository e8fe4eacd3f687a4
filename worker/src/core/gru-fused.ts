// The gru of gru.ts with the fused building blocks of fused.ts: one packed (3H × (D+H)) mat-vec per
// step, four rows per pass (its two halves kept apart, as n needs W_hn h_{t−1} + b_hn alone);
// Wᵀd from packed transposes; the weight gradients after the time loop. Same cache, same results,
// bit for bit (tests/core/fused.test.ts).
// T = steps, H = hidden, D = input, G = 3, GH = 3H, R4 = GH rounded up to a multiple of 4.
import {
  allFinite,
  INPUT_STEPS,
  inputAffine,
  packGateWeights,
  packTransposed,
  recurrentAffine,
  sigmoidOfSum,
  padded4,
  roundUp4,
  storeStepActual,
  transposedPacked,
  transposeHistory,
  weightGradientPacked,
} from './fused.ts';
import { gruBackward } from './gru.ts';
import { f64, type Arena } from './arena.ts';
import { allocBackward, enterStep, perturbState, type BackwardResult, type Perturbation } from './kernel.ts';
import { tanhFast as tanh } from './math.ts';
import { readoutBackward, readoutForward } from './readout.ts';
import { CarriedScale, log10Norm, writeActual } from './scaled.ts';
import type { GruCache, Params, Sequence } from './types.ts';

export function gruForwardFused(p: Params, seq: Sequence, perturb?: Perturbation, arena?: Arena): GruCache {
  const { H, D } = p;
  const T = seq.T;
  const R4 = roundUp4(3 * H);
  const packed = packGateWeights(p, arena); // (R4/4, D+H, 4): [W_ih | W_hh] four rows at a time
  const bIh = padded4(p.bIh, arena); // (R4)
  const bHh = padded4(p.bHh, arena); // (R4)
  const r = f64(arena, T * H); // (T, H)
  const z = f64(arena, T * H); // (T, H)
  const n = f64(arena, T * H); // (T, H)
  const hn = f64(arena, T * H); // (T, H) W_hn h_{t-1} + b_hn
  const h = f64(arena, T * H); // (T, H)
  const y = f64(arena, T); // (T)
  const gis = f64(arena, INPUT_STEPS * R4); // (INPUT_STEPS, 3H padded) W_ih x_t + b_ih, a block of steps
  const gh = f64(arena, R4); // (3H padded) W_hh h_{t-1} + b_hh
  for (let t = 0; t < T; t++) {
    const row = t * H;
    const s = t % INPUT_STEPS;
    if (s === 0) inputAffine(gis, packed, bIh, seq.x, t * D, Math.min(INPUT_STEPS, T - t), R4, D, H);
    const giOff = s * R4; // W_ih x_t + b_ih = gis[giOff ..+R4)
    recurrentAffine(gh, packed, bHh, h, row - H, R4, D, H);
    sigmoidOfSum(r, row, gis, giOff, gh, 0, H);
    sigmoidOfSum(z, row, gis, giOff + H, gh, H, H);
    for (let j = 0; j < H; j++) {
      const zj = z[row + j];
      const hnj = gh[2 * H + j];
      const nj = tanh(gis[giOff + 2 * H + j] + r[row + j] * hnj);
      hn[row + j] = hnj;
      n[row + j] = nj;
      // (h_{t-1} − n) ⊙ z + n: PyTorch's rounding of (1 − z) ⊙ n + z ⊙ h_{t-1}
      const hPrev = t === 0 ? 0 : h[row - H + j];
      h[row + j] = (hPrev - nj) * zj + nj;
    }
    perturbState(perturb, t, 'h', h, row);
  }
  readoutForward(p, h, T, y);
  return { cell: 'gru', r, z, n, hn, h, y };
}

/** BPTT for the gru as gruBackward; dY (T) = ∂L/∂y_t. */
export function gruBackwardFused(p: Params, seq: Sequence, cache: GruCache, dY: Float64Array, arena?: Arena): BackwardResult {
  if (!allFinite(p.wIh, p.wHh)) return gruBackward(p, seq, cache, dY);
  const { H, D } = p;
  const T = seq.T;
  const GH = 3 * H;
  const { r, z, n, hn, h } = cache;
  const out = allocBackward(p, T, false, arena);
  const wIhT = packTransposed(p.wIh, GH, D, arena); // (D4/4, 3H, 4)
  const wHhT = packTransposed(p.wHh, GH, H, arena); // (H4/4, 3H, 4)
  const dGiHistory = f64(arena, roundUp4(GH) * T); // (R4/4, T, 4) ∂L/∂(W_ih x_t + b_ih), actual units, packed
  const dGhHistory = f64(arena, roundUp4(GH) * T); // (R4/4, T, 4) ∂L/∂(W_hh h_{t-1} + b_hh), actual units, packed
  const dh = f64(arena, H); // (H) carried ∂L/∂h_t, scaled by 2^scale.e
  const dhDirect = f64(arena, H); // (H) z ⊙ ∂L/∂h_t, the path that skips the gates
  const dGi = f64(arena, GH); // (3H) blocks [r|z|n], scaled
  const dGh = f64(arena, GH); // (3H) blocks [r|z|n], scaled
  const dActual = f64(arena, GH); // (3H) one of them in actual units
  const dx = f64(arena, D); // (D) ∂L/∂x_t, scaled
  const scale = new CarriedScale([dh]);

  readoutBackward(p, h, dY, T, out.grads);
  for (let t = T - 1; t >= 0; t--) {
    enterStep(out, scale, dh, p, dY, t);
    const row = t * H;
    for (let j = 0; j < H; j++) {
      const rj = r[row + j];
      const zj = z[row + j];
      const nj = n[row + j];
      const dhj = dh[j];
      const daN = dhj * (1 - zj) * (1 - nj * nj);
      const daR = daN * hn[row + j] * rj * (1 - rj);
      const hPrev = t === 0 ? 0 : h[row - H + j];
      const daZ = dhj * (hPrev - nj) * zj * (1 - zj);
      dGi[j] = daR;
      dGh[j] = daR;
      dGi[H + j] = daZ;
      dGh[H + j] = daZ;
      dGi[2 * H + j] = daN;
      dGh[2 * H + j] = daN * rj;
      dhDirect[j] = dhj * zj;
    }
    storeStepActual(dGiHistory, dGi, GH, T, t, scale.e, dActual);
    storeStepActual(dGhHistory, dGh, GH, T, t, scale.e, dActual);
    transposedPacked(dx, wIhT, dGi, GH, D);
    out.log10GradX[t] = log10Norm(dx, 0, D, scale.e);
    writeActual(out.dX, t * D, dx, 0, D, scale.e);
    transposedPacked(dh, wHhT, dGh, GH, H);
    for (let j = 0; j < H; j++) dh[j] += dhDirect[j]; // dhNext = W_hhᵀ dGh + z ⊙ dh
  }
  const gr = out.grads;
  weightGradientPacked(gr.wIh, gr.bIh, dGiHistory, transposeHistory(seq.x, T, D, arena), GH, D, T, 0, 0);
  weightGradientPacked(gr.wHh, gr.bHh, dGhHistory, transposeHistory(h, T, H, arena), GH, H, T, 1, 1);
  return out;
}
