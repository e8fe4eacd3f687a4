// GRU as torch.nn.GRU, gate blocks [r|z|n]:
//   r = sigmoid(W_ir x + b_ir + W_hr h_{t-1} + b_hr),  z likewise,
//   n = tanh(W_in x + b_in + r ⊙ (W_hn h_{t-1} + b_hn)),  h_t = (1 − z) ⊙ n + z ⊙ h_{t-1};
//   h_0 = 0; readout y_t = wY · h_t + bY.
// T = steps, H = hidden, D = input, G = 3.
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
import { CarriedScale } from './scaled.ts';
import type { GruCache, Params, Sequence } from './types.ts';

export function gruForward(p: Params, seq: Sequence, perturb?: Perturbation): GruCache {
  const H = p.H;
  const T = seq.T;
  const r = new Float64Array(T * H); // (T, H)
  const z = new Float64Array(T * H); // (T, H)
  const n = new Float64Array(T * H); // (T, H)
  const hn = new Float64Array(T * H); // (T, H) W_hn h_{t-1} + b_hn
  const h = new Float64Array(T * H); // (T, H)
  const y = new Float64Array(T); // (T)
  const gi = new Float64Array(3 * H); // (3H) W_ih x_t + b_ih
  const gh = new Float64Array(3 * H); // (3H) W_hh h_{t-1} + b_hh
  for (let t = 0; t < T; t++) {
    const row = t * H;
    gateInputs(gi, gh, p, seq.x, h, t);
    for (let j = 0; j < H; j++) {
      const rj = sigmoid(gi[j] + gh[j]);
      const zj = sigmoid(gi[H + j] + gh[H + j]);
      const hnj = gh[2 * H + j];
      const nj = tanh(gi[2 * H + j] + rj * hnj);
      r[row + j] = rj;
      z[row + j] = zj;
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

/** BPTT for the gru; dY (T) = ∂L/∂y_t. */
export function gruBackward(
  p: Params,
  seq: Sequence,
  cache: GruCache,
  dY: Float64Array,
): BackwardResult {
  const { H } = p;
  const T = seq.T;
  const { r, z, n, hn, h } = cache;
  const out = allocBackward(p, T, false);
  const work = allocStepWork(p);
  const dh = new Float64Array(H); // (H) carried ∂L/∂h_t, scaled by 2^scale.e
  const dhDirect = new Float64Array(H); // (H) z ⊙ ∂L/∂h_t, the path that skips the gates
  const dGi = new Float64Array(3 * H); // (3H) ∂L/∂(W_ih x_t + b_ih), blocks [r|z|n]
  const dGh = new Float64Array(3 * H); // (3H) ∂L/∂(W_hh h_{t-1} + b_hh), blocks [r|z|n]
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
    closeStep(out, work, p, seq.x, h, t, dGi, dGh, scale.e);
    transposedProduct(dh, 0, p.wHh, dGh, 3 * H, H);
    for (let j = 0; j < H; j++) dh[j] += dhDirect[j]; // dhNext = W_hhᵀ dGh + z ⊙ dh
  }
  return out;
}
