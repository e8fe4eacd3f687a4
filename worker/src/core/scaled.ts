// Backward vectors that never underflow or overflow: a group of buffers v that share one integer
// base-2 exponent e, the true value being v · 2^e. BPTT multiplies the carried vector by a
// Jacobian every step, so after a few hundred steps of a vanishing (or exploding) RNN its entries
// leave float64's range; renormalising by exact powers of two keeps every mantissa bit, and the
// exponent carries the scale. While e = 0 every operation here is the plain float64 arithmetic.
// n = length of a buffer (H, G*H, D: whatever the caller carries).
import { log10 } from './math.ts';

const bits = new DataView(new ArrayBuffer(8)); // scratch for reading and writing float64 bits

/** The carried group is renormalised when its largest |entry| leaves [2^-200, 2^200]. */
export const RESCALE_LOG2_LIMIT = 200;
const RESCALE_HI = pow2(RESCALE_LOG2_LIMIT);
const RESCALE_LO = pow2(-RESCALE_LOG2_LIMIT);

export const LOG10_2 = log10(2);

/** 2^k exactly, for integers -1022 ≤ k ≤ 1023 (built from the exponent bits, no Math.pow). */
export function pow2(k: number): number {
  bits.setUint32(0, (k + 1023) << 20);
  bits.setUint32(4, 0);
  return bits.getFloat64(0);
}

const TWO_1023 = pow2(1023);
const TWO_M1022 = pow2(-1022);

/** x · 2^k for any integer k; one rounding unless the result is subnormal. */
export function ldexp(x: number, k: number): number {
  while (k > 1023) {
    x *= TWO_1023;
    k -= 1023;
  }
  while (k < -1022) {
    x *= TWO_M1022;
    k += 1022;
  }
  return x * pow2(k);
}

/**
 * dst[dstOff + j] = src[srcOff + j] · 2^k for j < n (dst may be src). Exponents beyond one
 * float64 factor are applied in passes of at most 2^±1023, stopping once everything is 0, so a
 * vector 2^-14000 below its exponent costs a few passes, not a loop per element.
 */
function multiplyByPow2(
  dst: Float64Array,
  dstOff: number,
  src: Float64Array,
  srcOff: number,
  n: number,
  k: number,
): void {
  let from = src;
  let fromOff = srcOff;
  for (;;) {
    const step = k > 1023 ? 1023 : k < -1022 ? -1022 : k;
    const s = pow2(step);
    let nonzero = false;
    for (let j = 0; j < n; j++) {
      const v = from[fromOff + j] * s;
      dst[dstOff + j] = v;
      if (v !== 0) nonzero = true;
    }
    k -= step;
    if (k === 0 || !nonzero) return;
    from = dst;
    fromOff = dstOff;
  }
}

/** floor(log2 |x|) for finite nonzero x, read from the bits (subnormals included). */
export function exponentOf(x: number): number {
  bits.setFloat64(0, x);
  const biased = (bits.getUint32(0) >>> 20) & 0x7ff;
  if (biased === 0) return exponentOf(x * pow2(64)) - 64;
  return biased - 1023;
}

export function maxAbs(v: Float64Array, off = 0, n = v.length - off): number {
  let m = 0;
  for (let k = off; k < off + n; k++) {
    const a = v[k] < 0 ? -v[k] : v[k];
    if (a > m || a !== a) m = a; // NaN wins so that it is reported, not hidden
  }
  return m;
}

/** Multiplies v[off .. off+n) by 2^k in place. */
export function scaleInPlace(v: Float64Array, k: number, off = 0, n = v.length - off): void {
  if (k !== 0) multiplyByPow2(v, off, v, off, n, k);
}

/** dst[dstOff + j] = src[srcOff + j] · 2^e: the value in actual units (may be 0 or ±Infinity). */
export function writeActual(
  dst: Float64Array,
  dstOff: number,
  src: Float64Array,
  srcOff: number,
  n: number,
  e: number,
): void {
  // at e = 0 the factor is exactly 1, so unscaled values are copied bit for bit
  multiplyByPow2(dst, dstOff, src, srcOff, n, e);
}

/**
 * log10 ‖v · 2^e‖₂ without forming the value: the sum of squares is taken on v scaled by the
 * power of two of its largest entry (exact), so neither 1e-400 nor 1e+400 is a problem.
 * -Infinity for an exactly zero vector; NaN or Infinity when v holds them.
 */
export function log10Norm(v: Float64Array, off: number, n: number, e: number): number {
  const m = maxAbs(v, off, n);
  if (m === 0) return -Infinity;
  if (!(m <= Number.MAX_VALUE)) return m;
  const k = exponentOf(m);
  let sum = 0;
  if (k >= -1022 && k <= 1022) {
    const s = pow2(-k);
    for (let j = off; j < off + n; j++) {
      const a = v[j] * s;
      sum += a * a;
    }
  } else {
    for (let j = off; j < off + n; j++) {
      const a = ldexp(v[j], -k);
      sum += a * a;
    }
  }
  return log10(Math.sqrt(sum)) + (k + e) * LOG10_2;
}

/**
 * The exponent shared by the carried backward buffers of one BPTT run (dhNext, and dcNext for
 * lstm). Renormalising rescales all of them together so their ratios stay exact.
 */
export class CarriedScale {
  /** True value of every carried buffer = stored · 2^e. */
  e = 0;

  private readonly carried: readonly Float64Array[];

  constructor(carried: readonly Float64Array[]) {
    this.carried = carried;
  }

  private carriedMaxAbs(): number {
    let m = 0;
    for (const v of this.carried) {
      const a = maxAbs(v);
      if (a > m || a !== a) m = a;
    }
    return m;
  }

  /** Brings the carried group back to [2^-200, 2^200] by an exact power of two when it left it. */
  renormalise(): void {
    const m = this.carriedMaxAbs();
    if (m === 0 || !(m <= Number.MAX_VALUE)) return;
    if (m >= RESCALE_LO && m <= RESCALE_HI) return;
    const k = exponentOf(m);
    for (const v of this.carried) scaleInPlace(v, -k);
    this.e += k;
  }

  /**
   * target += coef · dir, with coef · dir in actual units (the readout's local term wY · dY_t).
   * Both are brought to the exponent of whichever is larger, so the smaller one is the one that
   * may underflow (harmlessly: it is below the larger one's last bit).
   */
  addActual(target: Float64Array, dir: Float64Array, coef: number): void {
    if (coef === 0) return;
    if (this.e !== 0) {
      const local = maxAbs(dir) * (coef < 0 ? -coef : coef);
      if (local === 0) return;
      const carried = this.carriedMaxAbs();
      const carriedDominates =
        carried !== 0 && local <= Number.MAX_VALUE && exponentOf(carried) + this.e >= exponentOf(local);
      if (carriedDominates) {
        for (let j = 0; j < target.length; j++) target[j] += ldexp(coef * dir[j], -this.e);
        return;
      }
      for (const v of this.carried) scaleInPlace(v, this.e);
      this.e = 0;
    }
    for (let j = 0; j < target.length; j++) target[j] += coef * dir[j];
  }
}
