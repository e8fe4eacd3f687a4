// Building blocks of the optimised ("fused") kernels in rnn-fused.ts, lstm-fused.ts, gru-fused.ts.
// T = steps, H = hidden, D = input, G = gate blocks, GH = G·H, K = D + H; R4, K4 = R, K rounded
// up to a multiple of 4.
//
// The plain kernels (kernel.ts) walk one matrix row at a time with one accumulator, so every add
// waits for the previous one. Here four rows share one pass over the vector (four independent
// accumulators), from matrices packed once per call so that the four entries a pass reads are
// adjacent: P[(r/4)·4K + 4k + (r mod 4)] = M[r, k]. The weight gradients, which the plain
// backward accumulates as an outer product at every step, are formed after the time loop as
// dot products over t of transposed (row = unit, column = t) histories.
//
// Every output element is still the same float64 sum in the same order as in the plain kernels:
// Σ over the D input terms, then separately over the H recurrent terms, then the biases, each in
// increasing k; weight gradients over t from T−1 down to 0. So results are bit-identical
// (tests/core/fused.test.ts). The plain Wᵀd skips rows with d[r] = 0; adding W[r,k]·0 = ±0
// instead changes nothing as long as W is finite, which the kernels check once per call
// (allFinite) before taking the fused backward.
import { f64, type Arena } from './arena.ts';
import { sigmoidFast, tanhFast } from './math.ts';
import { pow2, writeActual } from './scaled.ts';
import type { Params } from './types.ts';

export function roundUp4(n: number): number {
  return (n + 3) & ~3;
}

/**
 * [W_ih | W_hh] (GH, K) packed in blocks of four rows, zero rows padding GH to R4:
 * (R4/4, K, 4). Row r of the block reads x_t then h_{t−1}, the forward's [x_t; h_{t−1}].
 */
export function packGateWeights(p: Params, arena?: Arena): Float64Array {
  const { H, D, G } = p;
  const GH = G * H;
  const K = D + H;
  const packed = f64(arena, roundUp4(GH) * K); // (R4/4, K, 4)
  for (let r = 0; r < GH; r++) {
    const block = (r >> 2) * 4 * K + (r & 3);
    for (let k = 0; k < D; k++) packed[block + 4 * k] = p.wIh[r * D + k];
    for (let k = 0; k < H; k++) packed[block + 4 * (D + k)] = p.wHh[r * H + k];
  }
  return packed;
}

/** Mᵀ of an (R, C) matrix packed as above: (C4/4, R, 4), so Mᵀd runs four columns per pass. */
export function packTransposed(m: Float64Array, R: number, C: number, arena?: Arena): Float64Array {
  const packed = f64(arena, roundUp4(C) * R); // (C4/4, R, 4)
  for (let r = 0; r < R; r++) {
    for (let c = 0; c < C; c++) packed[(c >> 2) * 4 * R + 4 * r + (c & 3)] = m[r * C + c];
  }
  return packed;
}

/** v (n) copied into a zero-padded buffer of length roundUp4(n). */
export function padded4(v: Float64Array, arena?: Arena): Float64Array {
  const out = f64(arena, roundUp4(v.length));
  out.set(v);
  return out;
}

export function allFinite(...arrays: Float64Array[]): boolean {
  for (const a of arrays) if (!finite(a)) return false;
  return true;
}

/** Every entry of a finite (x − x is NaN for ±∞ and NaN). A function of its own, as weightPass. */
function finite(a: Float64Array): boolean {
  for (let e = 0; e < a.length; e++) if (a[e] - a[e] !== 0) return false;
  return true;
}

/**
 * gi = W_ih x_t + b_ih and gh = W_hh h_{t−1} + b_hh (each R4, padded) from the packed [W_ih | W_hh];
 * x_t = x[xOff ..+D), h_{t−1} = h[hOff ..+H), hOff < 0 for h_0 = 0 (then gh = b_hh, as the plain
 * kernel). bIh, bHh padded to R4. The kernels call its two halves directly, the input half for a
 * block of steps at once.
 */
export function gateAffine(
  gi: Float64Array,
  gh: Float64Array,
  packed: Float64Array,
  bIh: Float64Array,
  bHh: Float64Array,
  x: Float64Array,
  xOff: number,
  h: Float64Array,
  hOff: number,
  R4: number,
  D: number,
  H: number,
): void {
  inputAffine(gi, packed, bIh, x, xOff, 1, R4, D, H);
  recurrentAffine(gh, packed, bHh, h, hOff, R4, D, H);
}

/** Steps whose W_ih x_t + b_ih inputAffine computes at once: a (INPUT_STEPS, R4) block. */
export const INPUT_STEPS = 16;

/**
 * gi[s·R4 + r] = (W_ih x_{t0+s} + b_ih)[r] for s < n, x_{t0} = x[xOff ..+D): the input half of
 * gateAffine for n steps at once (the input does not depend on the recurrence), two steps per
 * pass over the weights (the first D columns of the packed [W_ih | W_hh]). Each entry is the same
 * sum in the same order.
 */
export function inputAffine(
  gi: Float64Array,
  packed: Float64Array,
  bIh: Float64Array,
  x: Float64Array,
  xOff: number,
  n: number,
  R4: number,
  D: number,
  H: number,
): void {
  const K = D + H;
  for (let r = 0; r < R4; r += 4) {
    const b0 = bIh[r];
    const b1 = bIh[r + 1];
    const b2 = bIh[r + 2];
    const b3 = bIh[r + 3];
    for (let s = 0; s < n; s += 2) {
      const u0 = xOff + s * D;
      const v0 = s + 1 < n ? u0 + D : u0; // an odd n's last pass computes its step twice
      let q = r * K;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let c0 = 0;
      let c1 = 0;
      let c2 = 0;
      let c3 = 0;
      for (let k = 0; k < D; k++) {
        const u = x[u0 + k];
        const v = x[v0 + k];
        const w0 = packed[q];
        const w1 = packed[q + 1];
        const w2 = packed[q + 2];
        const w3 = packed[q + 3];
        a0 += w0 * u;
        a1 += w1 * u;
        a2 += w2 * u;
        a3 += w3 * u;
        c0 += w0 * v;
        c1 += w1 * v;
        c2 += w2 * v;
        c3 += w3 * v;
        q += 4;
      }
      const o = s * R4 + r;
      gi[o] = b0 + a0;
      gi[o + 1] = b1 + a1;
      gi[o + 2] = b2 + a2;
      gi[o + 3] = b3 + a3;
      if (s + 1 === n) break;
      gi[o + R4] = b0 + c0;
      gi[o + R4 + 1] = b1 + c1;
      gi[o + R4 + 2] = b2 + c2;
      gi[o + R4 + 3] = b3 + c3;
    }
  }
}

/**
 * gh = W_hh h_{t−1} + b_hh (R4, padded) from the packed [W_ih | W_hh] (its last H columns): the
 * recurrent half of gateAffine. h_{t−1} = h[hOff ..+H), hOff < 0 for h_0 = 0 (then gh = b_hh).
 */
export function recurrentAffine(
  gh: Float64Array,
  packed: Float64Array,
  bHh: Float64Array,
  h: Float64Array,
  hOff: number,
  R4: number,
  D: number,
  H: number,
): void {
  if (hOff < 0) {
    for (let r = 0; r < R4; r++) gh[r] = bHh[r];
    return;
  }
  const K = D + H;
  for (let r = 0; r < R4; r += 4) {
    let q = r * K + 4 * D;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let k = 0; k < H; k++) {
      const v = h[hOff + k];
      s0 += packed[q] * v;
      s1 += packed[q + 1] * v;
      s2 += packed[q + 2] * v;
      s3 += packed[q + 3] * v;
      q += 4;
    }
    gh[r] = bHh[r] + s0;
    gh[r + 1] = bHh[r + 1] + s1;
    gh[r + 2] = bHh[r + 2] + s2;
    gh[r + 3] = bHh[r + 3] + s3;
  }
}

/**
 * out[oOff + j] = sigmoid(a[aOff + j] + b[bOff + j]) for j < n: one gate's row in a loop of its
 * own, small enough for V8 to inline the fast sigmoid and overlap consecutive elements.
 */
export function sigmoidOfSum(
  out: Float64Array,
  oOff: number,
  a: Float64Array,
  aOff: number,
  b: Float64Array,
  bOff: number,
  n: number,
): void {
  for (let j = 0; j < n; j++) out[oOff + j] = sigmoidFast(a[aOff + j] + b[bOff + j]);
}

/** out[oOff + j] = tanh(a[aOff + j] + b[bOff + j]) for j < n, as sigmoidOfSum. */
export function tanhOfSum(
  out: Float64Array,
  oOff: number,
  a: Float64Array,
  aOff: number,
  b: Float64Array,
  bOff: number,
  n: number,
): void {
  for (let j = 0; j < n; j++) out[oOff + j] = tanhFast(a[aOff + j] + b[bOff + j]);
}

/**
 * out[k] = Σ_r M[r, k] · d[r] (Mᵀd, r increasing) for k < C, from M (R, C) packed by
 * packTransposed; out has length ≥ C and only its first C entries are written.
 */
export function transposedPacked(out: Float64Array, packed: Float64Array, d: Float64Array, R: number, C: number): void {
  for (let c = 0; c < C; c += 4) {
    let q = c * R;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let r = 0; r < R; r++) {
      const v = d[r];
      s0 += packed[q] * v;
      s1 += packed[q + 1] * v;
      s2 += packed[q + 2] * v;
      s3 += packed[q + 3] * v;
      q += 4;
    }
    out[c] = s0;
    if (c + 1 < C) out[c + 1] = s1;
    if (c + 2 < C) out[c + 2] = s2;
    if (c + 3 < C) out[c + 3] = s3;
  }
}

/**
 * Step t of a history packed as P (rows4/4, T, 4), P[(r/4)·4T + 4t + (r mod 4)] = v[r]·2^e, in
 * actual units: writeActual into `work` (rows) then a copy, in one pass where writeActual is one
 * multiplication by 2^e per entry (−1022 ≤ e ≤ 1023; by 1 at e = 0, which changes no bit).
 */
export function storeStepActual(
  hist: Float64Array,
  v: Float64Array,
  rows: number,
  T: number,
  t: number,
  e: number,
  work: Float64Array,
): void {
  let src = v;
  let s = 1;
  if (e >= -1022 && e <= 1023) s = pow2(e);
  else {
    writeActual(work, 0, v, 0, rows, e);
    src = work;
  }
  for (let r = 0; r < rows; r++) hist[(r >> 2) * 4 * T + 4 * t + (r & 3)] = src[r] * s;
}

/** (C, T) transpose of a (T, C) row-major matrix: a history per unit. */
export function transposeHistory(m: Float64Array, T: number, C: number, arena?: Arena): Float64Array {
  const out = f64(arena, C * T); // (C, T)
  for (let t = 0; t < T; t++) for (let c = 0; c < C; c++) out[c * T + t] = m[t * C + c];
  return out;
}

/**
 * dW[r, k] = Σ_{t = T−1 … tMin} a[r, t] · b[k, t − shift] and db[r] += Σ_{t = T−1 … 0} a[r, t]:
 * the weight gradient the plain backward builds by one outer product per step, summed in the
 * same order of t. a (R, T), b (C, T) histories; dW (R, C) overwritten; db (R) accumulated.
 * The hh product (shift 1, tMin 1) leaves out t = 0, where h_0 = 0 contributes nothing.
 */
export function weightGradient(
  dW: Float64Array,
  db: Float64Array,
  a: Float64Array,
  b: Float64Array,
  R: number,
  C: number,
  T: number,
  tMin: number,
  shift: number,
): void {
  const packed = new Float64Array(roundUp4(R) * T); // (R4/4, T, 4)
  for (let r = 0; r < R; r++) for (let t = 0; t < T; t++) packed[(r >> 2) * 4 * T + 4 * t + (r & 3)] = a[r * T + t];
  weightGradientPacked(dW, db, packed, b, R, C, T, tMin, shift);
}

/**
 * weightGradient with a packed as storeStepActual writes it, (R4/4, T, 4): four rows share each
 * pass over t, their four entries of step t adjacent, the loop of transposedPacked. The passes are
 * small functions of their own, so that V8 optimises them by call count instead of entering an
 * on-stack-replaced loop of this one, which it would leave again at every pass.
 */
export function weightGradientPacked(
  dW: Float64Array,
  db: Float64Array,
  a: Float64Array,
  b: Float64Array,
  R: number,
  C: number,
  T: number,
  tMin: number,
  shift: number,
): void {
  for (let r = 0; r < R; r += 4) {
    const rows = R - r < 4 ? R - r : 4;
    biasPass(db, r, rows, a, r * T, T);
    for (let c = 0; c < C; c++) weightPass(dW, r * C + c, C, rows, a, r * T, b, c * T - shift, T, tMin);
  }
}

/** db[r + i] += Σ_{t = T−1 … 0} a[block + 4t + i] for i < rows. */
function biasPass(db: Float64Array, r: number, rows: number, a: Float64Array, block: number, T: number): void {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let q = block + 4 * (T - 1); q >= block; q -= 4) {
    s0 += a[q];
    s1 += a[q + 1];
    s2 += a[q + 2];
    s3 += a[q + 3];
  }
  db[r] += s0;
  if (rows > 1) db[r + 1] += s1;
  if (rows > 2) db[r + 2] += s2;
  if (rows > 3) db[r + 3] += s3;
}

/** dW[w + i·C] = Σ_{t = T−1 … tMin} a[block + 4t + i] · b[bOff + t] for i < rows. */
function weightPass(
  dW: Float64Array,
  w: number,
  C: number,
  rows: number,
  a: Float64Array,
  block: number,
  b: Float64Array,
  bOff: number,
  T: number,
  tMin: number,
): void {
  let q = block + 4 * (T - 1);
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let t = T - 1; t >= tMin; t--) {
    const v = b[bOff + t];
    s0 += a[q] * v;
    s1 += a[q + 1] * v;
    s2 += a[q + 2] * v;
    s3 += a[q + 3] * v;
    q -= 4;
  }
  dW[w] = s0;
  if (rows > 1) dW[w + C] = s1;
  if (rows > 2) dW[w + 2 * C] = s2;
  if (rows > 3) dW[w + 3 * C] = s3;
}
