// Elementary functions computed by the core itself, so that every engine gives the same bits.
//
// Math.exp, Math.tanh, … are implementation-defined in ECMAScript and differ by an ulp between
// V8 builds, JavaScriptCore and others; an API that promises identical bytes on Node, workerd
// and Chromium cannot use them. These are line-by-line ports of Sun's fdlibm 5.3 in the revision
// FreeBSD's msun carries (src/e_exp.c, s_expm1.c, e_log.c, s_log1p.c, e_log10.c + k_log.h,
// s_tanh.c; "Copyright (C) 1993 by Sun Microsystems, Inc. Permission to use, copy, modify, and
// distribute this software is freely granted, provided that this notice is preserved."). They use
// only + − × ÷, comparisons and reads/writes of the IEEE-754 words, all exactly specified by
// ECMAScript, so the results are reproducible everywhere. Same argument reductions (split ln2,
// ln2_hi·k exact for |k| < 2000), same minimax polynomials, same thresholds and special cases.
//
// Accuracy (fdlibm's error analysis): exp, expm1, log, log1p below 1 ulp; log10 below 1 ulp
// (FreeBSD's extra-precision variant, exact at powers of ten); tanh from expm1, within ~2 ulp.
// sigmoid(x) = 1/(1 + exp(−x)) for x ≥ 0 and e/(1 + e), e = exp(x), for x < 0, so neither branch
// overflows and small outputs keep their relative precision. tests/core/math.test.ts measures
// the error against the host's Math.* over ≥ 100k inputs per function.

// One 8-byte scratch cell viewed as a double and as two 32-bit words (high word holds sign,
// exponent and the top 20 fraction bits). Which index is high depends on the platform's byte
// order, detected once.
const scratch = new Float64Array(1);
const words = new Uint32Array(scratch.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

/** High word of x as a signed int32, as fdlibm's GET_HIGH_WORD into an int32_t. */
function highWord(x: number): number {
  scratch[0] = x;
  return words[HI] | 0;
}

/** Low word of x as an unsigned int32. */
function lowWord(x: number): number {
  scratch[0] = x;
  return words[LO];
}

function fromWords(hi: number, lo: number): number {
  words[HI] = hi >>> 0;
  words[LO] = lo >>> 0;
  return scratch[0];
}

function withHighWord(x: number, hi: number): number {
  scratch[0] = x;
  words[HI] = hi >>> 0;
  return scratch[0];
}

function withLowWord(x: number, lo: number): number {
  scratch[0] = x;
  words[LO] = lo >>> 0;
  return scratch[0];
}

const LN2_HI = 6.93147180369123816490e-1; // 0x3fe62e42 fee00000: k·LN2_HI exact for |k| < 2000
const LN2_LO = 1.90821492927058770002e-10; // 0x3dea39ef 35793c76
const INV_LN2 = 1.44269504088896338700e0; // 0x3ff71547 652b82fe
const TWO54 = 1.80143985094819840000e16; // 0x43500000 00000000
const TWO_M1000 = 9.33263618503218878990e-302; // 2^-1000
const TWO_P1023 = 8.98846567431158e307; // 2^1023
const O_THRESHOLD = 7.09782712893383973096e2; // 0x40862e42 fefa39ef: exp(x) overflows above
const U_THRESHOLD = -7.45133219101941108420e2; // 0xc0874910 d52d3051: exp(x) underflows below

// e_exp.c: R(r²) ≈ r·(e^r + 1)/(e^r − 1) = 2 + P1·r² + … + P5·r¹⁰ on [0, 0.5·ln2], error < 2^-59.
const P1 = 1.66666666666666019037e-1; // 0x3fc55555 5555553e
const P2 = -2.77777777770155933842e-3; // 0xbf66c16c 16bebd93
const P3 = 6.61375632143793436117e-5; // 0x3f11566a af25de2c
const P4 = -1.65339022054652515390e-6; // 0xbebbbd41 c5d26bf1
const P5 = 4.13813679705723846039e-8; // 0x3e663769 72bea4d0

/** e^x (fdlibm e_exp.c, FreeBSD revision). */
export function exp(x: number): number {
  let hx = highWord(x);
  const negative = hx < 0;
  hx &= 0x7fffffff;

  if (hx >= 0x40862e42) {
    // |x| ≥ 709.78…: non-finite, overflow or underflow
    if (hx >= 0x7ff00000) {
      if (((hx & 0xfffff) | lowWord(x)) !== 0) return x + x; // NaN
      return negative ? 0 : x; // exp(±∞) = {0, +∞}
    }
    if (x > O_THRESHOLD) return Infinity;
    if (x < U_THRESHOLD) return 0;
  }
  // FreeBSD: the reduction below gives 2.7182818284590455; the correctly rounded e is nicer.
  if (x === 1) return 2.718281828459045235360;

  // Argument reduction: x = k·ln2 + r, |r| ≤ 0.5·ln2, r carried as hi − lo.
  let hi = 0;
  let lo = 0;
  let k = 0;
  if (hx > 0x3fd62e42) {
    // |x| > 0.5·ln2
    if (hx < 0x3ff0a2b2) {
      // and |x| < 1.5·ln2: k = ±1
      hi = negative ? x + LN2_HI : x - LN2_HI;
      lo = negative ? -LN2_LO : LN2_LO;
      k = negative ? -1 : 1;
    } else {
      k = (INV_LN2 * x + (negative ? -0.5 : 0.5)) | 0; // truncation, as C's (int)
      hi = x - k * LN2_HI;
      lo = k * LN2_LO;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) {
    return 1 + x; // |x| < 2^-28
  }

  const t = x * x;
  const twoPk = k >= -1021 ? fromWords(0x3ff00000 + (k << 20), 0) : fromWords(0x3ff00000 + ((k + 1000) << 20), 0);
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((x * c) / (c - 2) - x);
  const y = 1 - (lo - (x * c) / (2 - c) - hi);
  if (k >= -1021) {
    if (k === 1024) return y * 2 * TWO_P1023;
    return y * twoPk;
  }
  return y * twoPk * TWO_M1000; // subnormal result: scale in two steps to round only once
}

// s_expm1.c: R1(r²) ≈ 1 + Q1·z + … + Q5·z⁵ with z = r²/2 (coefficients pre-scaled by 2^n),
// error < 2^-61 on [0, 0.347].
const Q1 = -3.33333333333331316428e-2; // 0xbfa11111 111110f4
const Q2 = 1.58730158725481460165e-3; // 0x3f5a01a0 19fe5585
const Q3 = -7.93650757867487942473e-5; // 0xbf14ce19 9eaadbb7
const Q4 = 4.00821782732936239552e-6; // 0x3ed0cfca 86e65239
const Q5 = -2.01099218183624371326e-7; // 0xbe8afdb7 6e09c32d

/** e^x − 1, accurate near 0 (fdlibm s_expm1.c, FreeBSD revision). */
export function expm1(x: number): number {
  let hx = highWord(x);
  const negative = hx < 0;
  hx &= 0x7fffffff;

  if (hx >= 0x4043687a) {
    // |x| ≥ 56·ln2
    if (hx >= 0x40862e42) {
      // |x| ≥ 709.78…
      if (hx >= 0x7ff00000) {
        if (((hx & 0xfffff) | lowWord(x)) !== 0) return x + x; // NaN
        return negative ? -1 : x; // expm1(±∞) = {−1, +∞}
      }
      if (x > O_THRESHOLD) return Infinity;
    }
    if (negative) return -1; // x < −56·ln2: e^x is below half an ulp of 1
  }

  // Argument reduction: x = k·ln2 + r, with c the rounding error of r = hi − lo.
  let hi: number;
  let lo: number;
  let k = 0;
  let c = 0;
  if (hx > 0x3fd62e42) {
    // |x| > 0.5·ln2
    if (hx < 0x3ff0a2b2) {
      // and |x| < 1.5·ln2
      if (!negative) {
        hi = x - LN2_HI;
        lo = LN2_LO;
        k = 1;
      } else {
        hi = x + LN2_HI;
        lo = -LN2_LO;
        k = -1;
      }
    } else {
      k = (INV_LN2 * x + (negative ? -0.5 : 0.5)) | 0;
      hi = x - k * LN2_HI;
      lo = k * LN2_LO;
    }
    x = hi - lo;
    c = hi - x - lo;
  } else if (hx < 0x3c900000) {
    return x; // |x| < 2^-54 (keeps the sign of −0)
  }

  const hfx = 0.5 * x;
  const hxs = x * hfx;
  const r1 = 1 + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
  let t = 3 - r1 * hfx;
  let e = hxs * ((r1 - t) / (6 - x * t));
  if (k === 0) return x - (x * e - hxs); // c is 0
  const twoPk = fromWords(0x3ff00000 + (k << 20), 0);
  e = x * (e - c) - c;
  e -= hxs;
  if (k === -1) return 0.5 * (x - e) - 0.5;
  if (k === 1) {
    if (x < -0.25) return -2 * (e - (x + 0.5));
    return 1 + 2 * (x - e);
  }
  if (k <= -2 || k > 56) {
    // e^x − 1 = e^x to working precision, or the −1 dominates
    let y = 1 - (e - x);
    y = k === 1024 ? y * 2 * TWO_P1023 : y * twoPk;
    return y - 1;
  }
  let y: number;
  if (k < 20) {
    t = fromWords(0x3ff00000 - (0x200000 >> k), 0); // 1 − 2^-k
    y = t - (e - x);
    y = y * twoPk;
  } else {
    t = fromWords((0x3ff - k) << 20, 0); // 2^-k
    y = x - (e + t);
    y += 1;
    y = y * twoPk;
  }
  return y;
}

// e_log.c / k_log.h: R(s²) ≈ Lg1·s² + … + Lg7·s¹⁴ with s = f/(2 + f), error < 2^-58.45.
const LG1 = 6.666666666666735130e-1; // 0x3fe55555 55555593
const LG2 = 3.999999999940941908e-1; // 0x3fd99999 9997fa04
const LG3 = 2.857142874366239149e-1; // 0x3fd24924 94229359
const LG4 = 2.222219843214978396e-1; // 0x3fcc71c5 1d8e78af
const LG5 = 1.818357216161805012e-1; // 0x3fc74664 96cb03de
const LG6 = 1.531383769920937332e-1; // 0x3fc39a09 d078c69f
const LG7 = 1.479819860511658591e-1; // 0x3fc2f112 df3e5244

/** Natural logarithm (fdlibm e_log.c). */
export function log(x: number): number {
  let hx = highWord(x);
  const lx = lowWord(x);

  let k = 0;
  if (hx < 0x00100000) {
    // x < 2^-1022: zero, negative or subnormal
    if (((hx & 0x7fffffff) | lx) === 0) return -Infinity; // log(±0)
    if (hx < 0) return NaN; // log(negative)
    k -= 54;
    x *= TWO54; // scale a subnormal up into the normal range
    hx = highWord(x);
  }
  if (hx >= 0x7ff00000) return x + x; // +∞ or NaN
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  let i = (hx + 0x95f64) & 0x100000;
  x = withHighWord(x, hx | (i ^ 0x3ff00000)); // normalise x or x/2 into [√2/2, √2)
  k += i >> 20;
  const f = x - 1;
  if ((0x000fffff & (2 + hx)) < 3) {
    // −2^-20 ≤ f < 2^-20
    if (f === 0) return k === 0 ? 0 : k * LN2_HI + k * LN2_LO;
    const r = f * f * (0.5 - 0.33333333333333333 * f);
    return k === 0 ? f - r : k * LN2_HI - (r - k * LN2_LO - f);
  }
  const s = f / (2 + f);
  const dk = k;
  const z = s * s;
  i = hx - 0x6147a;
  const w = z * z;
  const j = 0x6b851 - hx;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  i |= j;
  const r = t2 + t1;
  if (i > 0) {
    const hfsq = 0.5 * f * f;
    if (k === 0) return f - (hfsq - s * (hfsq + r));
    return dk * LN2_HI - (hfsq - (s * (hfsq + r) + dk * LN2_LO) - f);
  }
  if (k === 0) return f - s * (f - r);
  return dk * LN2_HI - (s * (f - r) - dk * LN2_LO - f);
}

/** log(1 + x), accurate near 0 (fdlibm s_log1p.c). Lp1..Lp7 are e_log.c's Lg1..Lg7. */
export function log1p(x: number): number {
  const hx = highWord(x);
  const ax = hx & 0x7fffffff;

  let k = 1;
  let f = 0;
  let c = 0;
  let hu = 0;
  if (hx < 0x3fda827a) {
    // 1 + x < √2
    if (ax >= 0x3ff00000) {
      // x ≤ −1
      return x === -1 ? -Infinity : NaN;
    }
    if (ax < 0x3e200000) {
      // |x| < 2^-29
      if (ax < 0x3c900000) return x; // |x| < 2^-54
      return x - x * x * 0.5;
    }
    if (hx > 0 || hx <= (0xbfd2bec4 | 0)) {
      // √2/2 ≤ 1 + x < √2: no reduction, f = x exactly
      k = 0;
      f = x;
      hu = 1;
    }
  }
  if (hx >= 0x7ff00000) return x + x; // +∞ or NaN
  if (k !== 0) {
    let u: number;
    if (hx < 0x43400000) {
      u = 1 + x;
      hu = highWord(u);
      k = (hu >> 20) - 1023;
      c = k > 0 ? 1 - (u - x) : x - (u - 1); // rounding error of 1 + x
      c /= u;
    } else {
      u = x; // x ≥ 2^53: 1 + x rounds to x
      hu = highWord(u);
      k = (hu >> 20) - 1023;
      c = 0;
    }
    hu &= 0x000fffff;
    if (hu < 0x6a09e) {
      // u ≲ √2: normalise u
      u = withHighWord(u, hu | 0x3ff00000);
    } else {
      // normalise u/2
      k += 1;
      u = withHighWord(u, hu | 0x3fe00000);
      hu = (0x00100000 - hu) >> 2;
    }
    f = u - 1;
  }
  const hfsq = 0.5 * f * f;
  if (hu === 0) {
    // |f| < 2^-20
    if (f === 0) {
      if (k === 0) return 0;
      c += k * LN2_LO;
      return k * LN2_HI + c;
    }
    const r = hfsq * (1 - 0.66666666666666666 * f);
    return k === 0 ? f - r : k * LN2_HI - (r - (k * LN2_LO + c) - f);
  }
  const s = f / (2 + f);
  const z = s * s;
  const r = z * (LG1 + z * (LG2 + z * (LG3 + z * (LG4 + z * (LG5 + z * (LG6 + z * LG7))))));
  if (k === 0) return f - (hfsq - s * (hfsq + r));
  return k * LN2_HI - (hfsq - (s * (hfsq + r) + (k * LN2_LO + c)) - f);
}

const IVLN10_HI = 4.34294481878168880939e-1; // 0x3fdbcb7b 15200000
const IVLN10_LO = 2.50829467116452752298e-11; // 0x3dbb9438 ca9aadd5
const LOG10_2_HI = 3.01029995663611771306e-1; // 0x3fd34413 509f6000
const LOG10_2_LO = 3.69423907715893078616e-13; // 0x3d59fef3 11f12b36

/** log(1 + f) − f for 1 + f in [√2/2, √2] (k_log.h's k_log1p). */
function kLog1p(f: number): number {
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const r = t2 + t1;
  const hfsq = 0.5 * f * f;
  return s * (hfsq + r);
}

/** Base-10 logarithm (FreeBSD e_log10.c: log(1+f)/ln10 + k·log10(2) in extra precision). */
export function log10(x: number): number {
  let hx = highWord(x);
  const lx = lowWord(x);

  let k = 0;
  if (hx < 0x00100000) {
    // x < 2^-1022
    if (((hx & 0x7fffffff) | lx) === 0) return -Infinity; // log10(±0)
    if (hx < 0) return NaN; // log10(negative)
    k -= 54;
    x *= TWO54;
    hx = highWord(x);
  }
  if (hx >= 0x7ff00000) return x + x;
  if (hx === 0x3ff00000 && lx === 0) return 0; // log10(1) = +0
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const i = (hx + 0x95f64) & 0x100000;
  x = withHighWord(x, hx | (i ^ 0x3ff00000)); // normalise x or x/2
  k += i >> 20;
  const y = k;
  const f = x - 1;
  const hfsq = 0.5 * f * f;
  const r = kLog1p(f);

  // hi + lo = log(1 + f) with hi's low word zeroed, so hi·IVLN10_HI is exact.
  const hi = withLowWord(f - hfsq, 0);
  const lo = f - hi - hfsq + r;
  let valHi = hi * IVLN10_HI;
  const y2 = y * LOG10_2_HI;
  let valLo = y * LOG10_2_LO + (lo + hi) * IVLN10_LO + lo * IVLN10_HI;
  const w = y2 + valHi;
  valLo += y2 - w + valHi;
  valHi = w;
  return valLo + valHi;
}

/** Hyperbolic tangent from expm1 (fdlibm s_tanh.c); odd by construction. */
export function tanh(x: number): number {
  const jx = highWord(x);
  const ix = jx & 0x7fffffff;

  if (ix >= 0x7ff00000) {
    // ±∞ or NaN
    return jx >= 0 ? 1 / x + 1 : 1 / x - 1;
  }
  let z: number;
  if (ix < 0x40360000) {
    // |x| < 22
    if (ix < 0x3e300000) return x; // |x| < 2^-28: tanh(x) = x to working precision
    const ax = jx < 0 ? -x : x;
    if (ix >= 0x3ff00000) {
      // |x| ≥ 1
      const t = expm1(2 * ax);
      z = 1 - 2 / (t + 2);
    } else {
      const t = expm1(-2 * ax);
      z = -t / (t + 2);
    }
  } else {
    z = 1; // |x| ≥ 22: 1 − tanh(x) < 2^-63
  }
  return jx >= 0 ? z : -z;
}

/** Logistic function 1/(1 + e^−x); each branch only exponentiates a non-positive number. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + exp(-x));
  const e = exp(x);
  return e / (1 + e);
}

// Fast paths of sigmoid and tanh for the fused kernels' gates, returning exactly the doubles of
// sigmoid and tanh above (tests/core/math.test.ts compares them bit for bit). They take the steps
// exp and expm1 take for the arguments gates pass, changed only in ways that cannot alter a result:
// - each comparison of a high word hx with a threshold C is made on the value (for non-NaN x,
//   hx ≥ C ⟺ |x| ≥ the double with high word C and low word 0, as the bit patterns of
//   non-negative doubles are ordered as their values), so no scratch word is written or read;
// - 2^k, 2^-k and 1 − 2^-k come from tables built from the same bit patterns;
// - branches the branch predictor cannot learn (a gate's input is as often negative as positive,
//   and as often below 0.5·ln2 as above) become arithmetic or an index: the sign is applied as a
//   factor ±1 (z·(−1) = −z exactly) or picks the numerator as m·e + (1 − m), m ∈ {0, 1}, and the
//   k = 0 and k = −1 cases of the argument reduction are the general reduction with k forced to 0
//   where exp and expm1 take none (see expNonPositive for why that gives the same bits).
// Arguments outside the handled ranges (|x| ≥ 708 for sigmoid, NaN for both) go to the functions
// above.

/** The double whose high word is hi and low word 0. */
function highOnly(hi: number): number {
  return fromWords(hi, 0);
}

const POW2_BIAS = 1022;
/** POW2[k + POW2_BIAS] = 2^k for −1022 ≤ k ≤ 1023: fromWords(0x3ff00000 + (k << 20), 0), as above. */
const POW2 = new Float64Array(2046);
for (let k = -1022; k <= 1023; k++) POW2[k + POW2_BIAS] = highOnly(0x3ff00000 + (k << 20));
/** ONE_MINUS_POW2[k] = 1 − 2^-k for 1 ≤ k < 20 (expm1's fromWords(0x3ff00000 − (0x200000 >> k), 0)). */
const ONE_MINUS_POW2 = new Float64Array(20);
for (let k = 1; k < 20; k++) ONE_MINUS_POW2[k] = highOnly(0x3ff00000 - (0x200000 >> k));
/** POW2_NEG[k] = 2^-k for 20 ≤ k ≤ 56 (expm1's fromWords((0x3ff − k) << 20, 0)). */
const POW2_NEG = new Float64Array(57);
for (let k = 20; k <= 56; k++) POW2_NEG[k] = highOnly((0x3ff - k) << 20);

// Thresholds as values: hx > C ⟺ |x| ≥ highOnly(C + 1); hx < C ⟺ |x| < highOnly(C).
const HALF_LN2_ABOVE = highOnly(0x3fd62e42 + 1); // |x| > 0.5·ln2 in exp and expm1
const ONE_HALF_LN2_BELOW = highOnly(0x3ff0a2b2); // |x| < 1.5·ln2
const EXP_TINY = highOnly(0x3e300000); // 2^-28
const EXPM1_TINY = highOnly(0x3c900000); // 2^-54
const TANH_TINY = highOnly(0x3e300000); // 2^-28
const TANH_HUGE = highOnly(0x40360000); // 22
/** Below this |x|, exp(−|x|) is normal and its k ≥ −1021: the fast sigmoid's range. */
const SIGMOID_FAST_LIMIT = 708;

/**
 * exp's k for x ≤ 0: 0 where exp reduces nothing (|x| ≤ 0.5·ln2 by the high word), else
 * (int)(x/ln2 − 0.5). The second is −1 throughout exp's separate k = −1 range (|x| below 1.5·ln2
 * by the high word, 2.3e-7 below 1.5·ln2 itself: far from where the truncation changes), but it
 * is also −1 just above 0.5·ln2 where the high word still says "no reduction", hence the mask.
 */
function reductionK(x: number): number {
  return ((INV_LN2 * x - 0.5) | 0) & -+(x <= -HALF_LN2_ABOVE);
}

/**
 * exp(x) for −708 < x ≤ 0 (−0 included). exp's k = −1 branch is its general reduction at k = −1
 * (x − (−1)·LN2_HI = x + LN2_HI and (−1)·LN2_LO = −LN2_LO exactly). Its k = 0 branch returns
 * 1 − ((x·c)/(c − 2) − x); the general formula at k = 0 (hi = x − 0 = x, lo = 0, factor 2^0 = 1)
 * is 1 − ((0 − B) − x) with B = (x·c)/(2 − c), and (x·c)/(c − 2) = −B exactly (IEEE division
 * and subtraction are symmetric in sign), 0 − B = −B as B ≠ 0 for |x| ≥ 2^-28.
 */
function expNonPositive(x: number): number {
  if (x > -EXP_TINY) return 1 + x;
  const k = reductionK(x);
  const hi = x - k * LN2_HI;
  const lo = k * LN2_LO;
  x = hi - lo;
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  const y = 1 - (lo - (x * c) / (2 - c) - hi);
  return y * POW2[k + POW2_BIAS];
}

/** sigmoid(x), the same double: 1/(1 + e) or e/(1 + e) with e = exp(−|x|). */
export function sigmoidFast(x: number): number {
  const nx = -Math.abs(x); // −x for x ≥ 0 (−0 for ±0: exp(−0) = exp(0) = 1), x for x < 0
  if (nx > -SIGMOID_FAST_LIMIT) {
    const e = expNonPositive(nx);
    const neg = +(x < 0);
    // the numerator without a branch: 1·e + 0 = e for x < 0, 0·e + 1 = 1 otherwise (e is finite)
    return (neg * e + (1 - neg)) / (1 + e);
  }
  return sigmoid(x);
}

/**
 * expm1(x) for tanh's arguments: 2|x| ≥ 2 for 1 ≤ |x| < 22 (k from 3 to 64) and −2|x| in (−2, 0]
 * for |x| < 1 (k from −3 to 0); expm1's steps there. For x ≤ 0 the reduction is the one of
 * expNonPositive (expm1's k = 0 branch leaves x as it is and c = 0, which the general reduction
 * at k = 0 reproduces: x − 0 − 0 = x, (x − x) − 0 = 0), and both the k = 0 and the k = −1 results
 * are formed and the one for this k kept by arithmetic: m·A + (1 − m)·B with m ∈ {0, 1} is A or
 * B exactly, as both are finite and nonzero there (adding ±0 changes no nonzero number).
 */
function expm1ForTanh(x: number): number {
  const positive = x > 0;
  if (!positive && x > -EXPM1_TINY) return x; // keeps −0
  const k = positive ? (INV_LN2 * x + 0.5) | 0 : reductionK(x);
  const hi = x - k * LN2_HI;
  const lo = k * LN2_LO;
  x = hi - lo;
  const c = hi - x - lo;
  const hfx = 0.5 * x;
  const hxs = x * hfx;
  const r1 = 1 + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
  const t = 3 - r1 * hfx;
  const e0 = hxs * ((r1 - t) / (6 - x * t));
  let e = x * (e0 - c) - c;
  e -= hxs;
  if (k > 56 || k < -1) return (1 - (e - x)) * POW2[k + POW2_BIAS] - 1;
  if (k >= 20) return (x - (e + POW2_NEG[k]) + 1) * POW2[k + POW2_BIAS];
  if (k > 0) return (ONE_MINUS_POW2[k] - (e - x)) * POW2[k + POW2_BIAS];
  const m = -k; // 1 at k = −1, 0 at k = 0
  return m * (0.5 * (x - e) - 0.5) + (1 - m) * (x - (x * e0 - hxs));
}

/** tanh(x), the same double. */
export function tanhFast(x: number): number {
  const ax = Math.abs(x);
  const sign = 1 - 2 * +(x < 0); // ±1: z·(−1) = −z exactly
  if (ax < TANH_HUGE) {
    if (ax < TANH_TINY) return x; // ±0 keep their sign
    if (ax >= 1) return (1 - 2 / (expm1ForTanh(2 * ax) + 2)) * sign;
    const t = expm1ForTanh(-2 * ax);
    return (-t / (t + 2)) * sign;
  }
  if (ax >= TANH_HUGE) return sign; // ±∞ included, as tanh's 1/x ± 1
  return tanh(x); // NaN
}
