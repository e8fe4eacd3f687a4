// The linear readout y_t = wY · h_t + bY and the two losses:
//   'last': L = ½ (y_T − y*_T)²       'all': L = Σ_t ½ (y_t − y*_t)²
// T = steps, H = hidden.
import type { LossKind, ParamGrads, Params } from './types.ts';

/** y[t] = wY · h_t + bY for every step; h (T, H), y (T). */
export function readoutForward(p: Params, h: Float64Array, T: number, y: Float64Array): void {
  const H = p.H;
  for (let t = 0; t < T; t++) {
    let s = 0;
    for (let j = 0; j < H; j++) s += p.wY[j] * h[t * H + j];
    y[t] = s + p.bY;
  }
}

/** The loss and dY (T) = ∂L/∂y_t; dY is zero except at the last step for 'last'. */
export function lossAndDy(
  y: Float64Array,
  target: Float64Array,
  loss: LossKind,
): { loss: number; dY: Float64Array } {
  const T = y.length;
  const dY = new Float64Array(T);
  if (loss === 'last') {
    const r = y[T - 1] - target[T - 1];
    dY[T - 1] = r;
    return { loss: 0.5 * r * r, dY };
  }
  let sum = 0;
  for (let t = 0; t < T; t++) {
    const r = y[t] - target[t];
    dY[t] = r;
    sum += 0.5 * r * r;
  }
  return { loss: sum, dY };
}

/** grads.wY += Σ_t dY_t h_t, grads.bY += Σ_t dY_t; h (T, H), dY (T). */
export function readoutBackward(
  p: Params,
  h: Float64Array,
  dY: Float64Array,
  T: number,
  grads: ParamGrads,
): void {
  const H = p.H;
  for (let t = T - 1; t >= 0; t--) {
    const d = dY[t];
    if (d === 0) continue;
    for (let j = 0; j < H; j++) grads.wY[j] += d * h[t * H + j];
    grads.bY += d;
  }
}
