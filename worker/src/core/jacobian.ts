// Jacobian analysis: how much of a perturbation of the state at step t survives to step T.
// T = steps, H = hidden, G = gate blocks, S = state size (H for rnn and gru, 2H for lstm, s = [h; c]).
//
// ∂s_T/∂s_t = J_T · … · J_{t+1} with J_t = ∂s_t/∂s_{t−1}, read off the forward cache. The product
// M_t = M_{t+1} · J_{t+1} (M_T = I) is accumulated backwards and renormalised every step by the
// exact power of two of its largest entry; the scale is carried as a base-2 exponent, so a norm of
// 1e-400 comes out as -400 with every mantissa bit intact. Each ‖M_t‖₂ is linalg's sigmaMax
// (Householder tridiagonalisation of MᵀM and Sturm bisection: ~1e-15 relative), not a power
// iteration, because its accuracy does not depend on a gap between the top singular values.
// The time loop allocates nothing itself; sigmaMax takes an O(S²) workspace per call against its
// O(S³) work. Cost per step: one S³ product plus sigmaMax (~2-3 times the product's time).
import { forward } from './cells.ts';
import { buildModel } from './init.ts';
import { sigmaMax } from './linalg.ts';
import { log10 } from './math.ts';
import { exponentOf, LOG10_2, maxAbs, scaleInPlace } from './scaled.ts';
import type {
  Cache,
  GruCache,
  JacobianResult,
  LstmCache,
  ModelConfig,
  Nonlinearity,
  Params,
  RnnCache,
  Sequence,
} from './types.ts';

/** Side of the state Jacobian: H, or 2H for lstm's s = [h; c]. */
export function stateSize(p: Params): number {
  return p.cell === 'lstm' ? 2 * p.H : p.H;
}

/**
 * Writes J_t = ∂s_t/∂s_{t−1} into out (S, S) row-major, for step t = 1..T (cache row t−1);
 * row = component of s_t, column = component of s_{t−1}. s_0 = 0 enters through h_0 = c_0 = 0.
 * The sequence is not read: the cache holds everything J depends on.
 */
export function stepJacobian(
  p: Params,
  _seq: Sequence,
  cache: Cache,
  act: Nonlinearity,
  t: number,
  out: Float64Array,
): void {
  if (cache.cell === 'rnn') rnnStepJacobian(p, cache, act, t - 1, out);
  else if (cache.cell === 'lstm') lstmStepJacobian(p, cache, t - 1, out);
  else gruStepJacobian(p, cache, t - 1, out);
}

/** h_t = act(a_t), a_t = … + W_hh h_{t−1}: J = diag(act'(a_t)) W_hh, act' read from h_t. */
function rnnStepJacobian(p: Params, cache: RnnCache, act: Nonlinearity, k: number, out: Float64Array): void {
  const H = p.H;
  for (let j = 0; j < H; j++) {
    const h = cache.h[k * H + j];
    // relu'(0) = 0, as torch's threshold backward; h = max(0, a) > 0 exactly when a > 0.
    const d = act === 'tanh' ? 1 - h * h : h > 0 ? 1 : 0;
    for (let m = 0; m < H; m++) out[j * H + m] = d * p.wHh[j * H + m];
  }
}

/**
 * With a = … + W_hh h_{t−1} split into blocks [i|f|g|o] and primes the gate derivatives:
 *   ∂c_t/∂h_{t−1} = diag(c_{t−1} f') W_f + diag(g i') W_i + diag(i g') W_g,   ∂c_t/∂c_{t−1} = diag(f)
 *   ∂h_t/∂h_{t−1} = diag(tanh c_t · o') W_o + diag(o (1 − tanh² c_t)) ∂c_t/∂h_{t−1}
 *   ∂h_t/∂c_{t−1} = diag(o (1 − tanh² c_t) f)
 */
function lstmStepJacobian(p: Params, cache: LstmCache, k: number, out: Float64Array): void {
  const H = p.H;
  const S = 2 * H;
  const w = p.wHh; // (4H, H) blocks [i|f|g|o]
  out.fill(0);
  for (let j = 0; j < H; j++) {
    const e = k * H + j;
    const i = cache.i[e];
    const f = cache.f[e];
    const g = cache.g[e];
    const o = cache.o[e];
    const tanhC = cache.tanhC[e];
    const cPrev = k > 0 ? cache.c[e - H] : 0;
    const cFromF = cPrev * f * (1 - f);
    const cFromI = g * i * (1 - i);
    const cFromG = i * (1 - g * g);
    const hFromO = tanhC * o * (1 - o);
    const hFromC = o * (1 - tanhC * tanhC);
    const rowI = j * H;
    const rowF = (H + j) * H;
    const rowG = (2 * H + j) * H;
    const rowO = (3 * H + j) * H;
    const hRow = j * S; // row of h_t[j]
    const cRow = (H + j) * S; // row of c_t[j]
    for (let m = 0; m < H; m++) {
      const dc = cFromF * w[rowF + m] + cFromI * w[rowI + m] + cFromG * w[rowG + m];
      out[cRow + m] = dc;
      out[hRow + m] = hFromO * w[rowO + m] + hFromC * dc;
    }
    out[cRow + H + j] = f;
    out[hRow + H + j] = hFromC * f;
  }
}

/**
 * h_t = (1 − z) n + z h_{t−1}, n = tanh(… + r ⊙ hn), hn = W_hn h_{t−1} + b_hn, blocks [r|z|n]:
 *   J = diag(z) + diag((h_{t−1} − n) z') W_z + diag((1 − z)(1 − n²)) (diag(hn r') W_r + diag(r) W_n)
 */
function gruStepJacobian(p: Params, cache: GruCache, k: number, out: Float64Array): void {
  const H = p.H;
  const w = p.wHh; // (3H, H) blocks [r|z|n]
  for (let j = 0; j < H; j++) {
    const e = k * H + j;
    const r = cache.r[e];
    const z = cache.z[e];
    const n = cache.n[e];
    const hPrev = k > 0 ? cache.h[e - H] : 0;
    const fromZ = (hPrev - n) * z * (1 - z);
    const throughN = (1 - z) * (1 - n * n);
    const fromR = throughN * cache.hn[e] * r * (1 - r);
    const fromN = throughN * r;
    const rowR = j * H;
    const rowZ = (H + j) * H;
    const rowN = (2 * H + j) * H;
    for (let m = 0; m < H; m++) {
      out[j * H + m] = fromZ * w[rowZ + m] + fromR * w[rowR + m] + fromN * w[rowN + m];
    }
    out[j * H + j] += z;
  }
}

/**
 * out (S, S) = a (S, S) · b (S, S), row-major. Four rows of out at a time share each row of b
 * they read (the S³ loop of the analysis); every entry is still Σ_k a[i][k]·b[k][j] summed in
 * increasing k, so the result is bit-identical to the plain i-k-j loop below (tested).
 */
export function matMul(a: Float64Array, b: Float64Array, S: number, out: Float64Array): void {
  out.fill(0);
  let i = 0;
  for (; i + 4 <= S; i += 4) {
    const r0 = i * S;
    const r1 = r0 + S;
    const r2 = r1 + S;
    const r3 = r2 + S;
    for (let k = 0; k < S; k++) {
      const a0 = a[r0 + k];
      const a1 = a[r1 + k];
      const a2 = a[r2 + k];
      const a3 = a[r3 + k];
      const bRow = k * S;
      for (let j = 0; j < S; j++) {
        const bkj = b[bRow + j];
        out[r0 + j] += a0 * bkj;
        out[r1 + j] += a1 * bkj;
        out[r2 + j] += a2 * bkj;
        out[r3 + j] += a3 * bkj;
      }
    }
  }
  for (; i < S; i++) matMulRow(a, b, S, i, out);
}

/** Row i of out = row i of a · b, summed in increasing k: the reference the blocked loop matches. */
export function matMulRow(a: Float64Array, b: Float64Array, S: number, i: number, out: Float64Array): void {
  const outRow = i * S;
  for (let j = 0; j < S; j++) out[outRow + j] = 0;
  for (let k = 0; k < S; k++) {
    const aik = a[i * S + k];
    const bRow = k * S;
    for (let j = 0; j < S; j++) out[outRow + j] += aik * b[bRow + j];
  }
}

/**
 * (T) log10 ‖∂s_T/∂s_t‖₂ for t = 1..T (entry T−1 is 0); -Infinity where the product is exactly
 * zero (a relu network whose units all switched off).
 */
export function log10JacobianNorms(p: Params, seq: Sequence, cache: Cache, act: Nonlinearity): Float64Array {
  const T = seq.T;
  const S = stateSize(p);
  const norms = new Float64Array(T); // (T)
  let m = new Float64Array(S * S); // (S, S) M_{t+1} / 2^e
  let next = new Float64Array(S * S); // (S, S) M_t / 2^e
  const jac = new Float64Array(S * S); // (S, S) J_{t+1}
  for (let j = 0; j < S; j++) m[j * S + j] = 1;
  let e = 0; // M_{t+1} = m · 2^e
  norms[T - 1] = 0;
  let zero = false;
  for (let t = T - 2; t >= 0; t--) {
    // Array row t is step t+1; M_{t+1} = M_{t+2} · J_{t+2}, and J_{t+2} is stepJacobian's step t+2.
    if (zero) {
      norms[t] = -Infinity;
      continue;
    }
    stepJacobian(p, seq, cache, act, t + 2, jac);
    matMul(m, jac, S, next);
    const swap = m;
    m = next;
    next = swap;
    const largest = maxAbs(m);
    if (largest === 0) {
      zero = true;
      norms[t] = -Infinity;
      continue;
    }
    const k = exponentOf(largest);
    scaleInPlace(m, -k); // exact: entries now in [1, 2) at the largest
    e += k;
    norms[t] = log10(sigmaMax(m, S, S)) + e * LOG10_2;
  }
  return norms;
}

/** rnn: (T) (T − t)·log10(σ_max(W_hh)) with γ = 1 (|tanh'|, |relu'| ≤ 1); 0 at t = T even if σ = 0. */
export function log10PascanuBound(sigmaMaxWhh: number, T: number): Float64Array {
  const bound = new Float64Array(T); // (T)
  const perStep = log10(sigmaMaxWhh);
  for (let t = T - 2; t >= 0; t--) bound[t] = (T - 1 - t) * perStep;
  return bound;
}

/**
 * lstm: (T) log10 max_j ∏_{k=t+1..T} f_k[j], as max_j Σ log10 f_k[j] so it never underflows;
 * 0 at t = T (the empty product).
 */
export function log10CellPath(cache: LstmCache, T: number, H: number): Float64Array {
  const path = new Float64Array(T); // (T)
  const sums = new Float64Array(H); // (H) Σ_{k=t+1..T} log10 f_k[j]
  for (let t = T - 2; t >= 0; t--) {
    // Array row t+1 is step t+2, the first factor of the product for step t+1.
    let best = -Infinity;
    for (let j = 0; j < H; j++) {
      sums[j] += log10(cache.f[(t + 1) * H + j]);
      if (sums[j] > best) best = sums[j];
    }
    path[t] = best;
  }
  return path;
}

export function computeJacobian(cfg: ModelConfig): JacobianResult {
  const { params, seq } = buildModel(cfg);
  const cache = forward(params, seq, cfg.nonlinearity);
  const sigmaMaxWhh = sigmaMax(params.wHh, params.G * params.H, params.H);
  return {
    cell: cfg.cell,
    log10JacobianNorm: log10JacobianNorms(params, seq, cache, cfg.nonlinearity),
    log10Bound: cfg.cell === 'rnn' ? log10PascanuBound(sigmaMaxWhh, cfg.T) : null,
    log10CellPath: cache.cell === 'lstm' ? log10CellPath(cache, cfg.T, params.H) : null,
    sigmaMaxWhh,
  };
}
