// Optimisers and gradient clipping, with the semantics of torch.optim and torch.nn.utils, so a
// training curve from /train can be reproduced step by step in PyTorch.
// H = hidden, D = input, G = gate blocks; every state buffer has the shape of its parameter.
import type { Params, ParamGrads } from './types.ts';

/** Updates every field of Params in place from gradients of the same shapes. */
export interface Optimizer {
  step(p: Params, g: ParamGrads): void;
}

/** The array-valued fields of Params and ParamGrads; bY is the one scalar. */
const ARRAY_FIELDS = ['wIh', 'wHh', 'bIh', 'bHh', 'wY'] as const;

/** Plain SGD (torch.optim.SGD without momentum or weight decay): p ← p − lr·g. */
export function sgd(lr: number): Optimizer {
  return {
    step(p, g) {
      for (const name of ARRAY_FIELDS) {
        const w = p[name];
        const d = g[name];
        for (let k = 0; k < w.length; k++) w[k] -= lr * d[k];
      }
      p.bY -= lr * g.bY;
    },
  };
}

export const ADAM_BETA1 = 0.9;
export const ADAM_BETA2 = 0.999;
export const ADAM_EPS = 1e-8;

/**
 * Adam as torch.optim.Adam computes it (amsgrad off, no weight decay), step t = 1, 2, ...:
 *   m ← β1·m + (1−β1)·g,  v ← β2·v + (1−β2)·g²
 *   p ← p − (lr / (1−β1^t)) · m / (sqrt(v) / sqrt(1−β2^t) + eps)
 * eps is added after the square root of the bias-corrected second moment, and the update is
 * p − stepSize·(m / denom), in torch's order of operations (torch forms m by lerp, which can differ
 * from β1·m + (1−β1)·g in the last ulp).
 * β^t is kept as a running product rather than Math.pow, so it is the same double on every
 * engine (it may differ from torch's `beta ** step` in the last ulp).
 */
export function adam(p: Params, lr: number): Optimizer {
  const m = zerosLike(p); // first moments, shapes of Params
  const v = zerosLike(p); // second moments
  let mY = 0;
  let vY = 0;
  let beta1Pow = 1;
  let beta2Pow = 1;
  return {
    step(params, g) {
      beta1Pow *= ADAM_BETA1;
      beta2Pow *= ADAM_BETA2;
      const stepSize = lr / (1 - beta1Pow);
      const bc2Sqrt = Math.sqrt(1 - beta2Pow);
      for (const name of ARRAY_FIELDS) {
        const w = params[name];
        const d = g[name];
        const mk = m[name];
        const vk = v[name];
        for (let k = 0; k < w.length; k++) {
          mk[k] = ADAM_BETA1 * mk[k] + (1 - ADAM_BETA1) * d[k];
          vk[k] = ADAM_BETA2 * vk[k] + (1 - ADAM_BETA2) * d[k] * d[k];
          w[k] -= stepSize * (mk[k] / (Math.sqrt(vk[k]) / bc2Sqrt + ADAM_EPS));
        }
      }
      mY = ADAM_BETA1 * mY + (1 - ADAM_BETA1) * g.bY;
      vY = ADAM_BETA2 * vY + (1 - ADAM_BETA2) * g.bY * g.bY;
      params.bY -= stepSize * (mY / (Math.sqrt(vY) / bc2Sqrt + ADAM_EPS));
    },
  };
}

/** Zero gradients with the shapes of `p` (also the layout of Adam's moment buffers). */
export function zerosLike(p: Params): ParamGrads {
  return {
    wIh: new Float64Array(p.wIh.length),
    wHh: new Float64Array(p.wHh.length),
    bIh: new Float64Array(p.bIh.length),
    bHh: new Float64Array(p.bHh.length),
    wY: new Float64Array(p.wY.length),
    bY: 0,
  };
}

/** g ← 0, every field. */
export function zeroGrads(g: ParamGrads): void {
  for (const name of ARRAY_FIELDS) g[name].fill(0);
  g.bY = 0;
}

/** acc ← acc + scale·g, every field (for averaging per-sequence gradients over a batch). */
export function addScaledGrads(acc: ParamGrads, g: ParamGrads, scale: number): void {
  for (const name of ARRAY_FIELDS) {
    const a = acc[name];
    const d = g[name];
    for (let k = 0; k < a.length; k++) a[k] += scale * d[k];
  }
  acc.bY += scale * g.bY;
}

export interface ClipResult {
  totalNorm: number; // global L2 norm before clipping
  clipped: boolean; // whether the gradients were scaled
}

/** Added to the norm before dividing, as torch.nn.utils.clip_grad_norm_ does. */
const CLIP_NORM_EPS = 1e-6;

/**
 * torch.nn.utils.clip_grad_norm_(parameters, maxNorm) with the 2-norm: total = sqrt(Σ g²) over all
 * parameters; coef = maxNorm / (total + 1e-6); when coef < 1 every gradient is multiplied by coef
 * (torch multiplies by min(coef, 1) always, which is the same). A non-finite total leaves the
 * gradients as they are (torch would turn them all into NaN); the caller sees it in totalNorm.
 */
export function clipGradNorm(g: ParamGrads, maxNorm: number): ClipResult {
  const totalNorm = gradNorm(g);
  const coef = maxNorm / (totalNorm + CLIP_NORM_EPS);
  if (!(coef < 1)) return { totalNorm, clipped: false };
  for (const name of ARRAY_FIELDS) {
    const d = g[name];
    for (let k = 0; k < d.length; k++) d[k] *= coef;
  }
  g.bY *= coef;
  return { totalNorm, clipped: true };
}

/** Global L2 norm sqrt(Σ g²) over every gradient. */
export function gradNorm(g: ParamGrads): number {
  let sum = g.bY * g.bY;
  for (const name of ARRAY_FIELDS) {
    const d = g[name];
    for (let k = 0; k < d.length; k++) sum += d[k] * d[k];
  }
  return Math.sqrt(sum);
}
