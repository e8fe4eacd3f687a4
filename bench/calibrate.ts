// Calibration: the best float64 multiply-add rate plain JavaScript reaches on this machine at a
// given mat-vec shape (R × K), so the core's rate can be reported as a fraction of it. Absolute
// times drift on a shared machine; the ratio of two rates measured in the same run does not.
// R × K = matrix shape (the fused gate matrix is 4H × (H+D) for lstm).
import { roundUp4, transposedPacked } from '../worker/src/core/fused.ts';

export type MatVec = (out: Float64Array, W: Float64Array, v: Float64Array, R: number, K: number) => void;

/** One accumulator per row: each add waits for the previous one (add latency bound). */
export const naive: MatVec = (out, W, v, R, K) => {
  for (let r = 0; r < R; r++) {
    let s = 0;
    const row = r * K;
    for (let k = 0; k < K; k++) s += W[row + k] * v[k];
    out[r] = s;
  }
};

function blockedRows(rows: 2 | 4 | 8): MatVec {
  if (rows === 2) {
    return (out, W, v, R, K) => {
      let r = 0;
      for (; r + 2 <= R; r += 2) {
        const w0 = r * K;
        const w1 = w0 + K;
        let s0 = 0;
        let s1 = 0;
        for (let k = 0; k < K; k++) {
          const x = v[k];
          s0 += W[w0 + k] * x;
          s1 += W[w1 + k] * x;
        }
        out[r] = s0;
        out[r + 1] = s1;
      }
      for (; r < R; r++) naiveRow(out, W, v, r, K);
    };
  }
  if (rows === 4) {
    return (out, W, v, R, K) => {
      let r = 0;
      for (; r + 4 <= R; r += 4) {
        const w0 = r * K;
        const w1 = w0 + K;
        const w2 = w1 + K;
        const w3 = w2 + K;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let k = 0; k < K; k++) {
          const x = v[k];
          s0 += W[w0 + k] * x;
          s1 += W[w1 + k] * x;
          s2 += W[w2 + k] * x;
          s3 += W[w3 + k] * x;
        }
        out[r] = s0;
        out[r + 1] = s1;
        out[r + 2] = s2;
        out[r + 3] = s3;
      }
      for (; r < R; r++) naiveRow(out, W, v, r, K);
    };
  }
  return (out, W, v, R, K) => {
    let r = 0;
    for (; r + 8 <= R; r += 8) {
      const w0 = r * K;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let s4 = 0;
      let s5 = 0;
      let s6 = 0;
      let s7 = 0;
      for (let k = 0; k < K; k++) {
        const x = v[k];
        const q = w0 + k;
        s0 += W[q] * x;
        s1 += W[q + K] * x;
        s2 += W[q + 2 * K] * x;
        s3 += W[q + 3 * K] * x;
        s4 += W[q + 4 * K] * x;
        s5 += W[q + 5 * K] * x;
        s6 += W[q + 6 * K] * x;
        s7 += W[q + 7 * K] * x;
      }
      out[r] = s0;
      out[r + 1] = s1;
      out[r + 2] = s2;
      out[r + 3] = s3;
      out[r + 4] = s4;
      out[r + 5] = s5;
      out[r + 6] = s6;
      out[r + 7] = s7;
    }
    for (; r < R; r++) naiveRow(out, W, v, r, K);
  };
}

function naiveRow(out: Float64Array, W: Float64Array, v: Float64Array, r: number, K: number): void {
  let s = 0;
  const row = r * K;
  for (let k = 0; k < K; k++) s += W[row + k] * v[k];
  out[r] = s;
}

/**
 * Four rows interleaved (W packed as P[(r/4)·4K + 4k + (r mod 4)] = W[r, k]): one running index,
 * the four loads adjacent. This is the fused kernels' own loop (fused.ts transposedPacked reads
 * a packed Mᵀ the same way), so the calibration includes the best loop the core knows.
 */
export const packed4: MatVec = (out, P, v, R, K) => transposedPacked(out, P, v, K, R);

export function packRows4(W: Float64Array, R: number, K: number): Float64Array {
  const P = new Float64Array(roundUp4(R) * K); // (R4/4, K, 4)
  for (let r = 0; r < R; r++) for (let k = 0; k < K; k++) P[(r >> 2) * 4 * K + 4 * k + (r & 3)] = W[r * K + k];
  return P;
}

export const VARIANTS: Record<string, { fn: MatVec; packed: boolean }> = {
  naive: { fn: naive, packed: false },
  rows2: { fn: blockedRows(2), packed: false },
  rows4: { fn: blockedRows(4), packed: false },
  rows8: { fn: blockedRows(8), packed: false },
  packed4: { fn: packed4, packed: true },
};

export interface Calibration {
  R: number;
  K: number;
  /** Multiply-adds per second of each variant (best sample). */
  rates: Record<string, number>;
  naive: number;
  best: number;
  bestVariant: string;
}

/**
 * Runs every variant on an (R × K) matrix for about `ms` milliseconds in all, in rounds of
 * interleaved samples (so a burst of load on the machine hits all of them), and keeps each one's
 * best sample: the machine's attainable rate, not its average under interference.
 */
export function calibrate(R: number, K: number, ms = 300): Calibration {
  const W = new Float64Array(R * K);
  const v = new Float64Array(K);
  for (let e = 0; e < W.length; e++) W[e] = ((e * 7919) % 1000) / 1000 - 0.5;
  for (let k = 0; k < K; k++) v[k] = ((k * 104729) % 1000) / 1000 - 0.5;
  const P = packRows4(W, R, K);
  const out = new Float64Array(R + 4);
  const reps = Math.max(1, Math.round(4e6 / (R * K))); // ~2 ms per sample
  const rates: Record<string, number> = {};
  const names = Object.keys(VARIANTS);
  const rounds = Math.max(6, Math.round(ms / (2 * names.length)));
  let sink = 0;
  for (let round = 0; round < rounds; round++) {
    for (const name of names) {
      const { fn, packed } = VARIANTS[name];
      const M = packed ? P : W;
      const t0 = performance.now();
      for (let i = 0; i < reps; i++) {
        v[0] = i * 1e-9; // the work cannot be hoisted
        fn(out, M, v, R, K);
        sink += out[0];
      }
      const dt = (performance.now() - t0) / 1000;
      const rate = (reps * R * K) / dt;
      if (round > 2 && !(rates[name] >= rate)) rates[name] = rate; // first rounds warm the JIT
    }
  }
  if (sink === 42.4242) console.log(''); // keep the results alive
  let bestVariant = 'naive';
  for (const name of names) if (rates[name] > rates[bestVariant]) bestVariant = name;
  return { R, K, rates, naive: rates.naive, best: rates[bestVariant], bestVariant };
}
