// The small dense linear algebra the core needs: an orthogonal matrix from a Gaussian one
// (torch.nn.init.orthogonal_) and the largest singular value of a matrix (σ_max of W_hh and of
// the Jacobians). Plain float64 loops in a fixed order, + − × ÷ and Math.sqrt only, so every
// engine gives the same bits. Matrices are row-major Float64Arrays with explicit dimensions.
// n = order of a square matrix; rows × cols for a general one.

/**
 * Q·diag(sign(diag R)) of the QR factorisation A = QR of a square matrix — what
 * torch.nn.init.orthogonal_ returns for an n×n Gaussian. The sign fix makes the result the unique
 * Q whose R has a positive diagonal, so it does not depend on the reflector sign convention, and
 * Q is Haar-distributed when A is Gaussian. A zero diagonal entry of R (probability zero) counts
 * as positive here, where torch's sign() would zero that column.
 *
 * Householder QR as LAPACK's dgeqr2/dlarfg: reflector k is H_k = I − τ_k v vᵀ with v[k] = 1 and
 * R[k][k] = β_k = −sign(α)·‖A[k:, k]‖; Q = H_0 H_1 ⋯ H_{n−1} is then formed from the identity.
 */
export function orthogonalFromGaussian(a: Float64Array, n: number): Float64Array {
  const r = Float64Array.from(a); // (n, n) row-major, overwritten with R above the diagonal
  const vs = new Float64Array(n * n); // (n, n) row k holds reflector k's v (zeros before k)
  const taus = new Float64Array(n); // (n) reflector k's τ
  const rDiagSign = new Float64Array(n); // (n) sign(R[k][k]) as ±1
  for (let k = 0; k < n; k++) {
    const alpha = r[k * n + k];
    let tailSq = 0;
    for (let i = k + 1; i < n; i++) tailSq += r[i * n + k] * r[i * n + k];
    const v = vs.subarray(k * n, (k + 1) * n);
    v[k] = 1;
    if (tailSq === 0) {
      // Column already upper triangular: H_k = I, R[k][k] = α (dlarfg's τ = 0 case).
      rDiagSign[k] = alpha < 0 ? -1 : 1;
      continue;
    }
    const norm = Math.sqrt(alpha * alpha + tailSq);
    const beta = alpha >= 0 ? -norm : norm; // opposite sign to α: no cancellation in α − β
    const tau = (beta - alpha) / beta;
    const scale = 1 / (alpha - beta);
    for (let i = k + 1; i < n; i++) v[i] = r[i * n + k] * scale;
    taus[k] = tau;
    rDiagSign[k] = beta < 0 ? -1 : 1;
    // Apply H_k to the trailing columns; column k itself becomes (β, 0, …, 0).
    r[k * n + k] = beta;
    for (let i = k + 1; i < n; i++) r[i * n + k] = 0;
    for (let j = k + 1; j < n; j++) {
      let dot = 0;
      for (let i = k; i < n; i++) dot += v[i] * r[i * n + j];
      const s = tau * dot;
      for (let i = k; i < n; i++) r[i * n + j] -= s * v[i];
    }
  }
  // Q = H_0 (H_1 (⋯ (H_{n−1} I))): apply the reflectors to the identity in reverse order.
  const q = new Float64Array(n * n); // (n, n) row-major
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const tau = taus[k];
    if (tau === 0) continue;
    const v = vs.subarray(k * n, (k + 1) * n);
    for (let j = k; j < n; j++) {
      let dot = 0;
      for (let i = k; i < n; i++) dot += v[i] * q[i * n + j];
      const s = tau * dot;
      for (let i = k; i < n; i++) q[i * n + j] -= s * v[i];
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) if (rDiagSign[j] < 0) q[i * n + j] = 0 - q[i * n + j]; // no −0
  }
  return q;
}

/**
 * Largest singular value of a (rows × cols) row-major matrix.
 *
 * σ_max² is the largest eigenvalue of the smaller Gram matrix (AᵀA or AAᵀ). That matrix is
 * reduced to tridiagonal form by Householder similarity transforms (backward stable), and its top
 * eigenvalue is found by bisection on Sturm sequence counts (Kahan), which is accurate to a few
 * ulps of ‖AᵀA‖ — so σ_max comes out to ~1e-15 relative, about n³ flops instead of a Jacobi
 * solver's ~10 sweeps of 4n³. Zero for a zero matrix, NaN if an entry is NaN, ∞ if one is ∞.
 */
export function sigmaMax(a: Float64Array, rows: number, cols: number): number {
  const n = Math.min(rows, cols);
  let maxAbs = 0;
  for (let e = 0; e < rows * cols; e++) {
    const v = a[e] < 0 ? -a[e] : a[e];
    if (v !== v) return NaN;
    if (v > maxAbs) maxAbs = v;
  }
  if (maxAbs === 0 || n === 0) return 0;
  if (maxAbs === Infinity) return Infinity;
  // Squaring in the Gram matrix would overflow or underflow for entries far from 1 (gain can be
  // 1e-300), so scale by a power of two, exact, to bring the largest entry into [1/2, 1).
  const scale = powerOfTwoScale(maxAbs);
  const scaled = new Float64Array(rows * cols); // (rows, cols)
  for (let e = 0; e < rows * cols; e++) scaled[e] = a[e] * scale;
  const gram = gramOfSmallerSide(scaled, rows, cols);
  const { diag, off } = tridiagonalise(gram, n);
  const lambda = largestEigenvalueTridiagonal(diag, off);
  return lambda > 0 ? Math.sqrt(lambda) / scale : 0;
}

/** 2^k with maxAbs·2^k in [1/2, 1), k capped at 1000 (then even a subnormal maxAbs squares safely). */
function powerOfTwoScale(maxAbs: number): number {
  let scale = 1;
  while (maxAbs * scale >= 1) scale *= 0.5;
  while (maxAbs * scale < 0.5 && scale < 2 ** 1000) scale *= 2;
  return scale;
}

/** AᵀA (cols × cols) when cols ≤ rows, else AAᵀ (rows × rows); row-major. */
function gramOfSmallerSide(a: Float64Array, rows: number, cols: number): Float64Array {
  if (cols <= rows) {
    const g = new Float64Array(cols * cols); // (cols, cols)
    for (let r = 0; r < rows; r++) {
      const row = r * cols;
      for (let i = 0; i < cols; i++) {
        const ai = a[row + i];
        if (ai === 0) continue;
        for (let j = i; j < cols; j++) g[i * cols + j] += ai * a[row + j];
      }
    }
    for (let i = 0; i < cols; i++) for (let j = 0; j < i; j++) g[i * cols + j] = g[j * cols + i];
    return g;
  }
  const g = new Float64Array(rows * rows); // (rows, rows)
  for (let i = 0; i < rows; i++) {
    for (let j = i; j < rows; j++) {
      let dot = 0;
      for (let c = 0; c < cols; c++) dot += a[i * cols + c] * a[j * cols + c];
      g[i * rows + j] = dot;
      g[j * rows + i] = dot;
    }
  }
  return g;
}

/**
 * Householder tridiagonalisation of a symmetric (n × n) matrix (destroys `s`): returns the
 * diagonal (n) and the off-diagonal (n−1) of T = QᵀSQ. Only the eigenvalues are wanted, so Q is
 * never formed.
 */
function tridiagonalise(s: Float64Array, n: number): { diag: Float64Array; off: Float64Array } {
  const diag = new Float64Array(n); // (n)
  const off = new Float64Array(Math.max(n - 1, 0)); // (n−1)
  const v = new Float64Array(n); // (n) reflector, entries k+1..n−1 used
  const p = new Float64Array(n); // (n) τ·S·v, then the rank-2 update vector
  for (let k = 0; k < n - 2; k++) {
    // Reflect x = S[k+1:, k] onto β e_1.
    const alpha = s[(k + 1) * n + k];
    let tailSq = 0;
    for (let i = k + 2; i < n; i++) tailSq += s[i * n + k] * s[i * n + k];
    if (tailSq === 0) {
      off[k] = alpha;
      continue;
    }
    const norm = Math.sqrt(alpha * alpha + tailSq);
    const beta = alpha >= 0 ? -norm : norm;
    const tau = (beta - alpha) / beta;
    const scale = 1 / (alpha - beta);
    v[k + 1] = 1;
    for (let i = k + 2; i < n; i++) v[i] = s[i * n + k] * scale;
    off[k] = beta;
    // S' = H S H on the trailing block, H = I − τ v vᵀ: with p = τ S v and
    // w = p − (τ/2)(pᵀv) v, S' = S − v wᵀ − w vᵀ (the symmetric rank-2 update of dsytd2).
    for (let i = k + 1; i < n; i++) {
      let dot = 0;
      for (let j = k + 1; j < n; j++) dot += s[i * n + j] * v[j];
      p[i] = tau * dot;
    }
    let pv = 0;
    for (let i = k + 1; i < n; i++) pv += p[i] * v[i];
    const half = 0.5 * tau * pv;
    for (let i = k + 1; i < n; i++) p[i] -= half * v[i];
    for (let i = k + 1; i < n; i++) {
      for (let j = k + 1; j < n; j++) s[i * n + j] -= v[i] * p[j] + p[i] * v[j];
    }
  }
  for (let i = 0; i < n; i++) diag[i] = s[i * n + i];
  if (n >= 2) off[n - 2] = s[(n - 1) * n + (n - 2)];
  return { diag, off };
}

const SAFE_MIN = 2.2250738585072014e-308; // smallest normal double
const EPS = 2.220446049250313e-16; // 2^-52

/** Number of eigenvalues of the tridiagonal (diag, off) below x (Sturm count, as LAPACK's dlaebz). */
function countBelow(diag: Float64Array, off: Float64Array, x: number, pivmin: number): number {
  let count = 0;
  let q = diag[0] - x;
  for (let i = 0; ; i++) {
    if (Math.abs(q) < pivmin) q = -pivmin;
    if (q < 0) count++;
    if (i + 1 >= diag.length) return count;
    q = diag[i + 1] - x - (off[i] * off[i]) / q;
  }
}

/** Top eigenvalue of a symmetric tridiagonal matrix by bisection inside its Gershgorin interval. */
function largestEigenvalueTridiagonal(diag: Float64Array, off: Float64Array): number {
  const n = diag.length;
  let lo = Infinity;
  let hi = -Infinity;
  let maxOffSq = 1;
  for (let i = 0; i < n; i++) {
    const radius = (i > 0 ? Math.abs(off[i - 1]) : 0) + (i < n - 1 ? Math.abs(off[i]) : 0);
    if (diag[i] - radius < lo) lo = diag[i] - radius;
    if (diag[i] + radius > hi) hi = diag[i] + radius;
    if (i < n - 1 && off[i] * off[i] > maxOffSq) maxOffSq = off[i] * off[i];
  }
  if (hi <= 0) return 0; // only a zero Gram matrix (up to rounding) gets here
  const pivmin = SAFE_MIN * maxOffSq;
  // Widen slightly so that rounding in the bounds cannot exclude the eigenvalue.
  const widen = 2 * EPS * Math.max(Math.abs(lo), Math.abs(hi)) * n + pivmin;
  lo -= widen;
  hi += widen;
  // Invariant: fewer than n eigenvalues lie below lo, all n lie below hi.
  for (let iter = 0; iter < 2100; iter++) {
    const mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break; // lo and hi are adjacent doubles
    if (countBelow(diag, off, mid, pivmin) === n) hi = mid;
    else lo = mid;
  }
  return 0.5 * (lo + hi);
}
