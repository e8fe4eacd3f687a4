// Pieces every cell's forward and backward share: the result types, the finite-difference hook,
// the three loops the kernels are made of (affine rows, transposed product, outer product), and
// the opening and closing of a backward step, where scaled vectors meet actual units.
// T = steps, H = hidden, D = input, G = gate blocks, R × K = shape of the matrix at hand.
import { f64, type Arena } from './arena.ts';
import { log10Norm, writeActual, type CarriedScale } from './scaled.ts';
import type { ParamGrads, Params } from './types.ts';

/**
 * Adds eps to h_t[j] or c_t[j] right after step t computes it, before the readout and step t+1
 * read it, so a central difference of the loss measures the total derivative ∂L/∂h_t or ∂L/∂c_t.
 * For lstm, c_t is perturbed before h_t = o ⊙ tanh(c_t) is formed, as BPTT's ∂L/∂c_t includes
 * that path; h_t is perturbed with c_t held fixed.
 */
export interface Perturbation {
  t: number; // 0-based step
  state: 'h' | 'c';
  j: number;
  eps: number;
}

export interface BackwardResult {
  grads: ParamGrads; // actual units: may underflow to 0 or overflow to ±Infinity
  dX: Float64Array; // (T, D) ∂L/∂x_t
  dH: Float64Array; // (T, H) total ∂L/∂h_t
  dC: Float64Array | null; // (T, H) total ∂L/∂c_t, lstm only
  log10GradH: Float64Array; // (T) log10 ‖∂L/∂h_t‖₂, exact exponent even far outside float64
  log10GradC: Float64Array | null; // (T) lstm only
  log10GradX: Float64Array; // (T)
}

/** Zeroed gradients and outputs for one backward call (from the arena when given). */
export function allocBackward(p: Params, T: number, withC: boolean, arena?: Arena): BackwardResult {
  const { H, D, G } = p;
  return {
    grads: {
      wIh: f64(arena, G * H * D),
      wHh: f64(arena, G * H * H),
      bIh: f64(arena, G * H),
      bHh: f64(arena, G * H),
      wY: f64(arena, H),
      bY: 0,
    },
    dX: f64(arena, T * D),
    dH: f64(arena, T * H),
    dC: withC ? f64(arena, T * H) : null,
    log10GradH: f64(arena, T),
    log10GradC: withC ? f64(arena, T) : null,
    log10GradX: f64(arena, T),
  };
}

export function perturbState(
  perturb: Perturbation | undefined,
  t: number,
  state: 'h' | 'c',
  v: Float64Array,
  off: number,
): void {
  if (perturb !== undefined && perturb.t === t && perturb.state === state) v[off + perturb.j] += perturb.eps;
}

/** out[r] = b[r] + Σ_k W[r,k] · v[vOff + k] for every row r; W (R, K) row-major. */
export function affineRows(
  out: Float64Array,
  W: Float64Array,
  b: Float64Array,
  v: Float64Array,
  vOff: number,
  R: number,
  K: number,
): void {
  for (let r = 0; r < R; r++) {
    const row = r * K;
    let s = 0;
    for (let k = 0; k < K; k++) s += W[row + k] * v[vOff + k];
    out[r] = b[r] + s;
  }
}

/**
 * Step t's two affine terms: gi = W_ih x_t + b_ih and gh = W_hh h_{t-1} + b_hh, each (G*H);
 * x (T, D), h (T, H) the states computed so far. h_0 = 0 makes gh = b_hh at t = 0.
 */
export function gateInputs(
  gi: Float64Array,
  gh: Float64Array,
  p: Params,
  x: Float64Array,
  h: Float64Array,
  t: number,
): void {
  const { H, D, G } = p;
  affineRows(gi, p.wIh, p.bIh, x, t * D, G * H, D);
  if (t === 0) gh.set(p.bHh);
  else affineRows(gh, p.wHh, p.bHh, h, (t - 1) * H, G * H, H);
}

/** out[outOff + k] = Σ_r W[r,k] · d[r] (Wᵀd), walking W's contiguous rows; W (R, K). */
export function transposedProduct(
  out: Float64Array,
  outOff: number,
  W: Float64Array,
  d: Float64Array,
  R: number,
  K: number,
): void {
  for (let k = 0; k < K; k++) out[outOff + k] = 0;
  for (let r = 0; r < R; r++) {
    const dr = d[r];
    if (dr === 0) continue; // dead relu units and saturated gates cost nothing
    const row = r * K;
    for (let k = 0; k < K; k++) out[outOff + k] += W[row + k] * dr;
  }
}

/** dW[r,k] += d[r] · v[vOff + k] and db[r] += d[r]; dW (R, K). */
export function addOuterAndBias(
  dW: Float64Array,
  db: Float64Array,
  d: Float64Array,
  v: Float64Array,
  vOff: number,
  R: number,
  K: number,
): void {
  for (let r = 0; r < R; r++) {
    const dr = d[r];
    db[r] += dr;
    const row = r * K;
    for (let k = 0; k < K; k++) dW[row + k] += dr * v[vOff + k];
  }
}

/**
 * Opens backward step t: adds the readout's local term wY · dY_t to the carried ∂L/∂h (so dh
 * becomes the total ∂L/∂h_t), renormalises the carried group and records ‖∂L/∂h_t‖ and ∂L/∂h_t.
 * dh (H) is scaled by 2^scale.e.
 */
export function enterStep(
  out: BackwardResult,
  scale: CarriedScale,
  dh: Float64Array,
  p: Params,
  dY: Float64Array,
  t: number,
): void {
  const H = p.H;
  scale.addActual(dh, p.wY, dY[t]);
  scale.renormalise();
  out.log10GradH[t] = log10Norm(dh, 0, H, scale.e);
  writeActual(out.dH, t * H, dh, 0, H, scale.e);
}

/** Buffers for closeStep, allocated once per backward call. */
export interface StepWork {
  dGiActual: Float64Array; // (G*H) ∂L/∂(W_ih x_t + b_ih) in actual units
  dGhActual: Float64Array; // (G*H) ∂L/∂(W_hh h_{t-1} + b_hh) in actual units
  dx: Float64Array; // (D) ∂L/∂x_t scaled by 2^e
}

export function allocStepWork(p: Params): StepWork {
  const GH = p.G * p.H;
  return { dGiActual: new Float64Array(GH), dGhActual: new Float64Array(GH), dx: new Float64Array(p.D) };
}

/**
 * Closes backward step t given the scaled gradients of the two affine terms (dGi, dGh, both
 * (G*H); the same buffer for rnn and lstm): accumulates the weight and bias gradients in actual
 * units and records ∂L/∂x_t. x (T, D), h (T, H) the forward states (h_0 = 0 adds nothing).
 */
export function closeStep(
  out: BackwardResult,
  work: StepWork,
  p: Params,
  x: Float64Array,
  h: Float64Array,
  t: number,
  dGi: Float64Array,
  dGh: Float64Array,
  e: number,
): void {
  const { H, D, G } = p;
  const GH = G * H;
  const g = out.grads;
  writeActual(work.dGiActual, 0, dGi, 0, GH, e);
  addOuterAndBias(g.wIh, g.bIh, work.dGiActual, x, t * D, GH, D);
  let dGhActual = work.dGiActual;
  if (dGh !== dGi) {
    dGhActual = work.dGhActual;
    writeActual(dGhActual, 0, dGh, 0, GH, e);
  }
  if (t === 0) for (let r = 0; r < GH; r++) g.bHh[r] += dGhActual[r];
  else addOuterAndBias(g.wHh, g.bHh, dGhActual, h, (t - 1) * H, GH, H);
  transposedProduct(work.dx, 0, p.wIh, dGi, GH, D);
  out.log10GradX[t] = log10Norm(work.dx, 0, D, e);
  writeActual(out.dX, t * D, work.dx, 0, D, e);
}
