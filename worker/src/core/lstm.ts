// LSTM as torch.nn.LSTM, gate blocks [i|f|g|o]:
//   a = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh;  i, f, o = sigmoid, g = tanh of their blocks;
//   c_t = f ⊙ c_{t-1} + i ⊙ g;  h_t = o ⊙ tanh(c_t);  h_0 = c_0 = 0; readout y_t = wY · h_t + bY.
// T = steps, H = hidden, D = input, G = 4.
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
import { sigmoid, tanh } from './math.ts';
import { readoutBackward, readoutForward } from './readout.ts';
import { CarriedScale, log10Norm, writeActual } from './scaled.ts';
import type { LstmCache, Params, Sequence } from './types.ts';

export function lstmForward(p: Params, seq: Sequence, perturb?: Perturbation): LstmCache {
  const H = p.H;
  const T = seq.T;
  const i = new Float64Array(T * H); // (T, H)
  const f = new Float64Array(T * H); // (T, H)
  const g = new Float64Array(T * H); // (T, H)
  const o = new Float64Array(T * H); // (T, H)
  const c = new Float64Array(T * H); // (T, H)
  const tanhC = new Float64Array(T * H); // (T, H)
  const h = new Float64Array(T * H); // (T, H)
  const y = new Float64Array(T); // (T)
  const gi = new Float64Array(4 * H); // (4H) W_ih x_t + b_ih
  const gh = new Float64Array(4 * H); // (4H) W_hh h_{t-1} + b_hh
  for (let t = 0; t < T; t++) {
    const row = t * H;
    gateInputs(gi, gh, p, seq.x, h, t);
    for (let j = 0; j < H; j++) {
      const ij = sigmoid(gi[j] + gh[j]);
      const fj = sigmoid(gi[H + j] + gh[H + j]);
      const gj = tanh(gi[2 * H + j] + gh[2 * H + j]);
      i[row + j] = ij;
      f[row + j] = fj;
      g[row + j] = gj;
      o[row + j] = sigmoid(gi[3 * H + j] + gh[3 * H + j]);
      const cPrev = t === 0 ? 0 : c[row - H + j];
      c[row + j] = fj * cPrev + ij * gj;
    }
    perturbState(perturb, t, 'c', c, row);
    for (let j = 0; j < H; j++) {
      tanhC[row + j] = tanh(c[row + j]);
      h[row + j] = o[row + j] * tanhC[row + j];
    }
    perturbState(perturb, t, 'h', h, row);
  }
  readoutForward(p, h, T, y);
  return { cell: 'lstm', i, f, g, o, c, tanhC, h, y };
}

/** BPTT for the lstm; dY (T) = ∂L/∂y_t. */
export function lstmBackward(
  p: Params,
  seq: Sequence,
  cache: LstmCache,
  dY: Float64Array,
): BackwardResult {
  const { H } = p;
  const T = seq.T;
  const { i, f, g, o, c, tanhC, h } = cache;
  const out = allocBackward(p, T, true);
  const dC = out.dC as Float64Array;
  const log10GradC = out.log10GradC as Float64Array;
  const work = allocStepWork(p);
  // dh and dcNext are carried between steps and share the exponent scale.e
  const dh = new Float64Array(H); // (H) ∂L/∂h_t
  const dcNext = new Float64Array(H); // (H) f_{t+1} ⊙ ∂L/∂c_{t+1}
  const dc = new Float64Array(H); // (H) total ∂L/∂c_t
  const da = new Float64Array(4 * H); // (4H) ∂L/∂a_t, blocks [i|f|g|o]
  const scale = new CarriedScale([dh, dcNext]);

  readoutBackward(p, h, dY, T, out.grads);
  for (let t = T - 1; t >= 0; t--) {
    enterStep(out, scale, dh, p, dY, t);
    const row = t * H;
    for (let j = 0; j < H; j++) {
      const tc = tanhC[row + j];
      dc[j] = dcNext[j] + dh[j] * o[row + j] * (1 - tc * tc);
    }
    log10GradC[t] = log10Norm(dc, 0, H, scale.e);
    writeActual(dC, row, dc, 0, H, scale.e);
    for (let j = 0; j < H; j++) {
      const ij = i[row + j];
      const fj = f[row + j];
      const gj = g[row + j];
      const oj = o[row + j];
      da[j] = dc[j] * gj * ij * (1 - ij);
      const cPrev = t === 0 ? 0 : c[row - H + j];
      da[H + j] = dc[j] * cPrev * fj * (1 - fj);
      da[2 * H + j] = dc[j] * ij * (1 - gj * gj);
      da[3 * H + j] = dh[j] * tanhC[row + j] * oj * (1 - oj);
      dcNext[j] = dc[j] * fj;
    }
    closeStep(out, work, p, seq.x, h, t, da, da, scale.e);
    transposedProduct(dh, 0, p.wHh, da, 4 * H, H); // dhNext = W_hhᵀ da
  }
  return out;
}
