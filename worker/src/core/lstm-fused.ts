// The lstm of lstm.ts with the fused building blocks of fused.ts: one packed (4H × (D+H)) gate
// mat-vec per step, four rows per pass; Wᵀda from packed transposes; the weight gradients after
// the time loop. Same cache, same results, bit for bit (tests/core/fused.test.ts).
// T = steps, H = hidden, D = input, G = 4, R4 = 4H.
import {
  allFinite,
  INPUT_STEPS,
  inputAffine,
  packGateWeights,
  packTransposed,
  recurrentAffine,
  sigmoidOfSum,
  tanhOfSum,
  padded4,
  storeStepActual,
  transposedPacked,
  transposeHistory,
  weightGradientPacked,
} from './fused.ts';
import { f64, type Arena } from './arena.ts';
import { allocBackward, enterStep, perturbState, type BackwardResult, type Perturbation } from './kernel.ts';
import { lstmBackward } from './lstm.ts';
import { tanhFast as tanh } from './math.ts';
import { readoutBackward, readoutForward } from './readout.ts';
import { CarriedScale, log10Norm, writeActual } from './scaled.ts';
import type { LstmCache, Params, Sequence } from './types.ts';

export function lstmForwardFused(p: Params, seq: Sequence, perturb?: Perturbation, arena?: Arena): LstmCache {
  const { H, D } = p;
  const T = seq.T;
  const R4 = 4 * H;
  const x = seq.x;
  const packed = packGateWeights(p, arena); // (H, D+H, 4): [W_ih | W_hh] four rows at a time
  const bIh = padded4(p.bIh, arena); // (4H)
  const bHh = padded4(p.bHh, arena); // (4H)
  const i = f64(arena, T * H); // (T, H)
  const f = f64(arena, T * H); // (T, H)
  const g = f64(arena, T * H); // (T, H)
  const o = f64(arena, T * H); // (T, H)
  const c = f64(arena, T * H); // (T, H)
  const tanhC = f64(arena, T * H); // (T, H)
  const h = f64(arena, T * H); // (T, H)
  const y = f64(arena, T); // (T)
  const gis = f64(arena, INPUT_STEPS * R4); // (INPUT_STEPS, 4H) W_ih x_t + b_ih, a block of steps
  const gh = f64(arena, R4); // (4H) W_hh h_{t-1} + b_hh
  for (let t = 0; t < T; t++) {
    const row = t * H;
    const s = t % INPUT_STEPS;
    if (s === 0) inputAffine(gis, packed, bIh, x, t * D, Math.min(INPUT_STEPS, T - t), R4, D, H);
    const giOff = s * R4; // W_ih x_t + b_ih = gis[giOff ..+4H)
    recurrentAffine(gh, packed, bHh, h, row - H, R4, D, H);
    sigmoidOfSum(i, row, gis, giOff, gh, 0, H);
    sigmoidOfSum(f, row, gis, giOff + H, gh, H, H);
    tanhOfSum(g, row, gis, giOff + 2 * H, gh, 2 * H, H);
    sigmoidOfSum(o, row, gis, giOff + 3 * H, gh, 3 * H, H);
    for (let j = 0; j < H; j++) {
      const cPrev = t === 0 ? 0 : c[row - H + j];
      c[row + j] = f[row + j] * cPrev + i[row + j] * g[row + j];
    }
    perturbState(perturb, t, 'c', c, row); // before tanh(c_t), which reads it
    for (let j = 0; j < H; j++) {
      const tc = tanh(c[row + j]);
      tanhC[row + j] = tc;
      h[row + j] = o[row + j] * tc;
    }
    perturbState(perturb, t, 'h', h, row);
  }
  readoutForward(p, h, T, y);
  return { cell: 'lstm', i, f, g, o, c, tanhC, h, y };
}

/** BPTT for the lstm as lstmBackward; dY (T) = ∂L/∂y_t. */
export function lstmBackwardFused(p: Params, seq: Sequence, cache: LstmCache, dY: Float64Array, arena?: Arena): BackwardResult {
  if (!allFinite(p.wIh, p.wHh)) return lstmBackward(p, seq, cache, dY);
  const { H, D } = p;
  const T = seq.T;
  const GH = 4 * H;
  const { i, f, g, o, c, tanhC, h } = cache;
  const out = allocBackward(p, T, true, arena);
  const dC = out.dC as Float64Array;
  const log10GradC = out.log10GradC as Float64Array;
  const wIhT = packTransposed(p.wIh, GH, D, arena); // (D4/4, 4H, 4)
  const wHhT = packTransposed(p.wHh, GH, H, arena); // (H4/4, 4H, 4)
  const daHistory = f64(arena, GH * T); // (H, T, 4) ∂L/∂a_t in actual units, packed as storeStepActual
  // dh and dcNext are carried between steps and share the exponent scale.e
  const dh = f64(arena, H); // (H) ∂L/∂h_t
  const dcNext = f64(arena, H); // (H) f_{t+1} ⊙ ∂L/∂c_{t+1}
  const dc = f64(arena, H); // (H) total ∂L/∂c_t
  const da = f64(arena, GH); // (4H) ∂L/∂a_t, blocks [i|f|g|o], scaled by 2^scale.e
  const daActual = f64(arena, GH); // (4H) the same in actual units
  const dx = f64(arena, D); // (D) ∂L/∂x_t, scaled
  const scale = new CarriedScale([dh, dcNext]);

  readoutBackward(p, h, dY, T, out.grads);
  for (let t = T - 1; t >= 0; t--) {
    enterStep(out, scale, dh, p, dY, t);
    const row = t * H;
    for (let j = 0; j < H; j++) {
      const tc = tanhC[row + j];
      const ij = i[row + j];
      const fj = f[row + j];
      const gj = g[row + j];
      const oj = o[row + j];
      const dhj = dh[j];
      const dcj = dcNext[j] + dhj * oj * (1 - tc * tc);
      dc[j] = dcj;
      da[j] = dcj * gj * ij * (1 - ij);
      const cPrev = t === 0 ? 0 : c[row - H + j];
      da[H + j] = dcj * cPrev * fj * (1 - fj);
      da[2 * H + j] = dcj * ij * (1 - gj * gj);
      da[3 * H + j] = dhj * tc * oj * (1 - oj);
      dcNext[j] = dcj * fj;
    }
    log10GradC[t] = log10Norm(dc, 0, H, scale.e);
    writeActual(dC, row, dc, 0, H, scale.e);
    storeStepActual(daHistory, da, GH, T, t, scale.e, daActual);
    transposedPacked(dx, wIhT, da, GH, D);
    out.log10GradX[t] = log10Norm(dx, 0, D, scale.e);
    writeActual(out.dX, t * D, dx, 0, D, scale.e);
    transposedPacked(dh, wHhT, da, GH, H); // dhNext = W_hhᵀ da
  }
  const gr = out.grads;
  weightGradientPacked(gr.wIh, gr.bIh, daHistory, transposeHistory(seq.x, T, D, arena), GH, D, T, 0, 0);
  weightGradientPacked(gr.wHh, gr.bHh, daHistory, transposeHistory(h, T, H, arena), GH, H, T, 1, 1);
  return out;
}
