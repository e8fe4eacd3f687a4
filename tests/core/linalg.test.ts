// worker/src/core/linalg.ts: σ_max against closed forms and a long power iteration, and the
// orthogonal factor of a QR with torch.nn.init.orthogonal_'s sign convention.
import { describe, expect, it } from 'vitest';
import { orthogonalFromGaussian, sigmaMax } from '../../worker/src/core/linalg.ts';
import { Rng } from '../../worker/src/core/rng.ts';

const SIGMA_RELATIVE_TOLERANCE = 1e-13;
const ORTHOGONALITY_TOLERANCE = 1e-12;
const TRIANGULAR_TOLERANCE = 1e-12;
const POWER_ITERATIONS = 3000;
/** Different Householder code (LAPACK in torch), same Q up to rounding. */
const TORCH_AGREEMENT_TOLERANCE = 1e-14;

function gaussian(rows: number, cols: number, seed: number): Float64Array {
  const rng = new Rng(seed, 'linalg-test');
  return Float64Array.from({ length: rows * cols }, () => rng.normal());
}

function expectRelative(actual: number, expected: number, tolerance = SIGMA_RELATIVE_TOLERANCE) {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance * Math.abs(expected));
}

function transpose(a: Float64Array, rows: number, cols: number): Float64Array {
  const t = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = a[i * cols + j];
  return t;
}

/** σ_max by power iteration on AᵀA: an independent, slow, simple reference. */
function powerIterationSigma(a: Float64Array, rows: number, cols: number): number {
  let v = Float64Array.from({ length: cols }, (_, j) => 1 + 0.01 * j);
  const av = new Float64Array(rows);
  let sigma = 0;
  for (let iter = 0; iter < POWER_ITERATIONS; iter++) {
    for (let i = 0; i < rows; i++) {
      let dot = 0;
      for (let j = 0; j < cols; j++) dot += a[i * cols + j] * v[j];
      av[i] = dot;
    }
    const next = new Float64Array(cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) next[j] += a[i * cols + j] * av[i];
    let vNorm = 0;
    let avNorm = 0;
    for (const x of v) vNorm += x * x;
    for (const x of av) avNorm += x * x;
    sigma = Math.sqrt(avNorm / vNorm);
    let nextNorm = 0;
    for (const x of next) nextNorm += x * x;
    nextNorm = Math.sqrt(nextNorm);
    v = next.map((x) => x / nextNorm);
  }
  return sigma;
}

describe('sigmaMax', () => {
  it('of a diagonal matrix is its largest |entry|, square or not', () => {
    expect(sigmaMax(Float64Array.from([3, 0, 0, 0, -7, 0, 0, 0, 0.5]), 3, 3)).toBeCloseTo(7, 13);
    const tall = new Float64Array(5 * 3);
    tall[0] = 2;
    tall[4] = -4.5;
    tall[8] = 1;
    expectRelative(sigmaMax(tall, 5, 3), 4.5);
    expectRelative(sigmaMax(transpose(tall, 5, 3), 3, 5), 4.5);
  });

  it('of a scaled orthogonal matrix is the scale, at any magnitude', () => {
    const q = orthogonalFromGaussian(gaussian(64, 64, 1), 64);
    for (const c of [1, 3.7, 1e-300, 1e-200, 1e200, 1e305]) {
      expectRelative(sigmaMax(q.map((x) => x * c), 64, 64), c);
    }
  });

  it('of a rank-one u vᵀ is |u|·|v|', () => {
    for (const [rows, cols] of [[9, 4], [4, 9], [256, 64], [1, 30]]) {
      const u = gaussian(rows, 1, rows);
      const v = gaussian(cols, 1, cols + 1000);
      const a = new Float64Array(rows * cols);
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) a[i * cols + j] = u[i] * v[j];
      const norm = (x: Float64Array) => Math.sqrt(x.reduce((s, y) => s + y * y, 0));
      expectRelative(sigmaMax(a, rows, cols), norm(u) * norm(v));
    }
  });

  it('of a 2×2 matrix matches the closed form', () => {
    const [a, b, c, d] = [0.3, -1.2, 2.5, 0.7];
    const s = a * a + b * b + c * c + d * d;
    const det = a * d - b * c;
    const expected = Math.sqrt((s + Math.sqrt(s * s - 4 * det * det)) / 2);
    expectRelative(sigmaMax(Float64Array.from([a, b, c, d]), 2, 2), expected);
  });

  it('separates nearly equal singular values', () => {
    const a = new Float64Array(16);
    [1 - 1e-12, 1, 1 - 2e-12, 0.5].forEach((x, i) => (a[i * 4 + i] = x));
    expectRelative(sigmaMax(a, 4, 4), 1);
  });

  for (const [rows, cols, seed] of [[256, 64, 2], [64, 256, 3], [128, 128, 4], [33, 17, 5], [48, 48, 6], [7, 1, 7], [1, 7, 8], [1, 1, 9]]) {
    it(`of a random ${rows}×${cols} matrix matches a long power iteration`, () => {
      const a = gaussian(rows, cols, seed);
      const before = Float64Array.from(a);
      const sigma = sigmaMax(a, rows, cols);
      expectRelative(sigma, powerIterationSigma(a, rows, cols));
      expectRelative(sigmaMax(transpose(a, rows, cols), cols, rows), sigma);
      expect(a).toEqual(before); // input untouched
    });
  }

  it('of the recurrent weights of a whole LSTM (4H×H) matches power iteration', () => {
    const H = 64;
    const a = gaussian(4 * H, H, 10).map((x) => x / 8);
    expectRelative(sigmaMax(a, 4 * H, H), powerIterationSigma(a, 4 * H, H));
  });

  it('handles zero, NaN and infinite entries', () => {
    expect(sigmaMax(new Float64Array(12), 3, 4)).toBe(0);
    expect(sigmaMax(new Float64Array(0), 0, 5)).toBe(0);
    expect(sigmaMax(Float64Array.from([1, NaN, 0, 1]), 2, 2)).toBeNaN();
    expect(sigmaMax(Float64Array.from([1, -Infinity, 0, 1]), 2, 2)).toBe(Infinity);
  });
});

describe('orthogonalFromGaussian', () => {
  for (const n of [1, 2, 5, 16, 64]) {
    it(`n = ${n}: Q is orthogonal and QᵀA is upper triangular with a positive diagonal`, () => {
      const a = gaussian(n, n, 100 + n);
      const before = Float64Array.from(a);
      const q = orthogonalFromGaussian(a, n);
      expect(a).toEqual(before);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let qtq = 0;
          let r = 0; // (QᵀA)[i][j]
          for (let k = 0; k < n; k++) {
            qtq += q[k * n + i] * q[k * n + j];
            r += q[k * n + i] * a[k * n + j];
          }
          expect(Math.abs(qtq - (i === j ? 1 : 0))).toBeLessThan(ORTHOGONALITY_TOLERANCE);
          if (i > j) expect(Math.abs(r)).toBeLessThan(TRIANGULAR_TOLERANCE);
          if (i === j) expect(r).toBeGreaterThan(0);
        }
      }
    });
  }

  it('agrees with torch.nn.init.orthogonal_ (Q·sign(diag R)) on a fixed matrix', () => {
    // From tests/core/reference/orthogonal_reference.py (torch.linalg.qr, float64).
    const a = Float64Array.from([0.5, -1.25, 2.0, 0.125, -0.75, 0.3, 1.1, -2.2, 1.9, 0.05, -0.6, 0.4, 0.2, 1.7, 0.9, -0.35]);
    const torchQ = [0.2366905341655754, -0.5669326042561448, 0.7638324501920832, 0.19780040773799912, -0.35503580124836315, 0.10846470399128369, 0.4066834566880552, -0.8347416090481358, 0.8994240298291867, 0.10678891111939909, -0.09232710575550862, -0.4136523281338696, 0.09467621366623018, 0.8095794949733854, 0.49258934177733127, 0.3049150639962546];
    const q = orthogonalFromGaussian(a, 4);
    for (let e = 0; e < 16; e++) expect(Math.abs(q[e] - torchQ[e])).toBeLessThan(TORCH_AGREEMENT_TOLERANCE);
  });

  it('returns diag(sign(A_ii)) for an upper triangular A', () => {
    const a = Float64Array.from([2, 5, -1, 0, -3, 4, 0, 0, 0.5]);
    expect(Array.from(orthogonalFromGaussian(a, 3))).toEqual([1, 0, 0, 0, -1, 0, 0, 0, 1]);
  });

  it('for n = 1 is the sign of the entry', () => {
    expect(Array.from(orthogonalFromGaussian(Float64Array.from([-0.3]), 1))).toEqual([-1]);
    expect(Array.from(orthogonalFromGaussian(Float64Array.from([2]), 1))).toEqual([1]);
  });
});
