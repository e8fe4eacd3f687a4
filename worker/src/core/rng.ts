// Seeded pseudo-random numbers for every draw the project makes. Math.random never appears.
//
// Generator: xoshiro128** 1.0 (Blackman & Vigna, 2018): four 32-bit state words, only
// 32-bit integer ops (Math.imul, shifts, xor), so every engine produces the same sequence.
// Seeding: a request's `seed` (uint32) and a stream name are mixed into the four state words
// with the murmur3 finaliser over a Weyl sequence (see `seedState`). Independent streams
// ("weights/lstm", "inputs", "targets", ...) keep one draw from shifting another: the inputs do
// not depend on which cells were asked for, and the first T inputs are a prefix of the first 2T.
// Floats: 53 random bits per double, (a >>> 5) · 2^26 + (b >>> 6) over 2^53, in [0, 1).
// Normals: Marsaglia's polar method with the core's own log (bit-exact everywhere); one normal
// per accepted pair, the second is discarded so the state is just the four words.
import { log } from './math.ts';

const WEYL = 0x9e3779b9;

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over the UTF-16 code units of a stream name. */
export function hashStream(name: string): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < name.length; k++) {
    h ^= name.charCodeAt(k);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function seedState(seed: number, streamHash: number): Uint32Array {
  const s = new Uint32Array(4);
  for (let k = 0; k < 4; k++) {
    const weyl = Math.imul(k + 1, WEYL);
    s[k] = fmix32((seed + weyl) ^ fmix32(streamHash + weyl + 0x6a09e667));
  }
  if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1; // the all-zero state is a fixed point
  return s;
}

export class Rng {
  /** The whole state: four uint32 words. */
  readonly state: Uint32Array;

  constructor(seed: number, stream = '') {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`seed must be an integer in 0..4294967295, got ${seed}`);
    }
    this.state = seedState(seed >>> 0, hashStream(stream));
  }

  /** Next raw output, an integer in 0..2^32-1. */
  nextUint32(): number {
    const s = this.state;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  nextFloat64(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Uniform double in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.nextFloat64();
  }

  /** Integer uniform in 0..n-1 (n ≤ 2^32), by rejection so every value is equally likely. */
  nextInt(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 4294967296) {
      throw new RangeError(`nextInt needs an integer n in 1..2^32, got ${n}`);
    }
    const limit = 4294967296 - (4294967296 % n);
    let v: number;
    do v = this.nextUint32();
    while (v >= limit);
    return v % n;
  }

  /** Standard normal N(0, 1): Marsaglia's polar method. */
  normal(): number {
    for (;;) {
      const u = 2 * this.nextFloat64() - 1;
      const v = 2 * this.nextFloat64() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) return u * Math.sqrt((-2 * log(s)) / s);
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
