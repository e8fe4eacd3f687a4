// Parameter counts and the cost model behind the API's compute budgets.
// T = steps, H = hidden, D = input, G = gate blocks, GH = G·H, S = state size (H, or 2H for lstm),
// B = batch size, N = adding test-set size, P = parameters of the layer plus readout.
//
// Unit: one multiply-add of the kernels' inner loops (gateAffine, transposedPacked,
// weightGradient, matMul), "MAC". Everything else the code does is charged in MACs by what it
// costs next to one: measured on the project's 2-core machine (Node 24, where a kernel MAC is
// ≈ 0.5–0.7 ns), each of the core's elementary functions costs tens of MACs, a typed-array
// allocation hundreds, so small H is dominated by them and the mat-vec count alone would let
// through requests many times slower than the budget means. The constants below are those
// measurements rounded up; the mat-vec terms are exact counts of the kernels' loops, and the
// allocation and packing counts are those of the fused kernels (*-fused.ts, fused.ts).
// Checked against whole requests through the worker app (bench/largest.ts: the largest allowed
// request of every endpoint and cell along each size): 0.22–0.84 ns per unit in each one's best
// run, median over them 0.52–0.55 ns (2026-12-02, README "Performance"); tiny requests (H = 1,
// T ≤ 20) are dominated by the fixed cost of a request and come out dearer per unit, and on a
// loaded machine everything runs at 1–3 ns.
// So a budget of B units means about B × 0.5–0.7 ns of CPU here (60M ≈ 30–40 ms).
// Costs are upper bounds over the options they do not take: loss `all` (readout work at every
// step) and init `orthogonal` (a QR per gate block).
import { ADDING_TEST_SIZE } from './tasks.ts';
import { GATE_BLOCKS, type CellKind, type TrainConfig } from './types.ts';

/** Parameters of one recurrent layer as torch.nn.RNN/LSTM/GRU count them: G·(H·D + H·H + 2·H). */
export function paramCount(cell: CellKind, H: number, D: number): number {
  return GATE_BLOCKS[cell] * (H * D + H * H + 2 * H);
}

export function paramFormula(cell: CellKind): string {
  return `${GATE_BLOCKS[cell]}·(H·D + H·H + 2·H)`;
}

/**
 * Forward multiply-adds per time step, exactly as the kernels do them: W_ih x_t (G·H·D) and
 * W_hh h_{t-1} (G·H·H) by affineRows, plus the readout wY · h_t (H). The /params figure.
 */
export function macsPerStep(cell: CellKind, H: number, D: number): number {
  return GATE_BLOCKS[cell] * H * (D + H) + H;
}

// Measured prices, in MACs (see the file comment).
/** core tanh (fdlibm, through expm1): ≈ 48 ns. */
export const TANH_MACS = 80;
/** core sigmoid: ≈ 22 ns. */
export const SIGMOID_MACS = 40;
/** core log10: ≈ 68 ns. */
export const LOG10_MACS = 120;
/** One Float64Array allocation, apart from its length: ≈ 300 ns including collection. */
export const ALLOC_MACS = 500;
/** One element allocated (zeroed), copied or touched by a simple elementwise loop: ≈ 0.5 ns. */
export const ELEMENT_MACS = 1;
/**
 * One element of the fused kernels' packed weights (packGateWeights, packTransposed), a fresh
 * buffer per call: the strided copy (≈ 1.6–2.9 ns) and, at H = 64, as much again for allocating
 * and collecting a buffer of 100+ KB; this is most of a forward pass of a few steps (the /train
 * test set at small T).
 */
export const PACK_MACS = 8;
/** rng.uniform: ≈ 3 ns. */
export const UNIFORM_MACS = 5;
/** rng.normal (polar method with the core's log): ≈ 80 ns. */
export const NORMAL_MACS = 140;
/**
 * A multiply-add of the O(S³) matrix loops (matMul's i-k-j product, sigmaMax's Gram matrix and
 * rank-2 updates), which loads and stores its accumulator: ≈ 0.85–1 ns, against 0.6 ns for the
 * mat-vecs that accumulate in a register.
 */
export const MATRIX_MAC = 1.7;
/** Sturm bisection of sigmaMax, per row of its matrix: ≈ 60 iterations of a division. */
const BISECTION_MACS_PER_ROW = 400;
/** Fixed part of sigmaMax and of the QR (allocations, Gershgorin bounds, loop set-up). */
const DECOMPOSITION_FIXED_MACS = 2000;

/** Elementary functions per hidden unit per forward step: rnn tanh; lstm 3 σ + 2 tanh; gru 2 σ + tanh. */
function functionMacsPerUnit(cell: CellKind): number {
  if (cell === 'rnn') return TANH_MACS;
  if (cell === 'lstm') return 3 * SIGMOID_MACS + 2 * TANH_MACS;
  return 2 * SIGMOID_MACS + TANH_MACS;
}

/**
 * Elementwise work per hidden unit per step, counted from the code: forward = cache arrays
 * allocated and written (rnn 1, lstm 7, gru 5, two element-touches each) plus the gate arithmetic;
 * backward = the gate derivatives, the copies into dH/dC and the actual-unit gradient buffers,
 * the renormalisation scans and the sums of squares of the log10 norms.
 */
const FORWARD_ELEMENTWISE_PER_UNIT: Record<CellKind, number> = { rnn: 4, lstm: 24, gru: 20 };
const BACKWARD_ELEMENTWISE_PER_UNIT: Record<CellKind, number> = { rnn: 12, lstm: 48, gru: 36 };
/**
 * Fixed work of one backward step whatever H (loop set-up, the carried scale's renormalisation,
 * the log10 norms' bookkeeping) and the D-sized work on ∂L/∂x_t per input (zeroing, scaling,
 * the actual-unit copy, its norm): fitted to the per-step time at H = 1, D = 2 and 16.
 */
const BACKWARD_FIXED_PER_STEP: Record<CellKind, number> = { rnn: 150, lstm: 100, gru: 200 };
const BACKWARD_PER_INPUT: Record<CellKind, number> = { rnn: 15, lstm: 15, gru: 30 };
/** log10 norms per backward step: ‖∂L/∂h_t‖ and ‖∂L/∂x_t‖, and ‖∂L/∂c_t‖ for lstm. */
const LOG10_PER_BACKWARD_STEP: Record<CellKind, number> = { rnn: 2, lstm: 3, gru: 2 };
/**
 * Typed arrays allocated by one fused forward + backward call (packed weights, padded biases,
 * caches, results, work buffers, the histories' transposes), counted in *-fused.ts. /train takes
 * them from an arena (arena.ts) after its first sequence, so for training the ALLOC_MACS charge
 * is an upper bound (zeroing a reused buffer is charged again as ELEMENT_MACS per element).
 */
const ALLOCATIONS_PER_SEQUENCE: Record<CellKind, number> = { rnn: 25, lstm: 35, gru: 32 };
/** Of those, by forward alone. */
const ALLOCATIONS_PER_FORWARD: Record<CellKind, number> = { rnn: 7, lstm: 13, gru: 11 };

/** What the fused forward copies once per call: [W_ih | W_hh] packed, both biases padded. */
function forwardPackingCost(cell: CellKind, H: number, D: number): number {
  const GH = GATE_BLOCKS[cell] * H;
  return GH * (D + H) * PACK_MACS + 2 * GH * ELEMENT_MACS;
}

/** One forward step: macsPerStep, the gates' elementary functions and the elementwise work. */
export function forwardStepCost(cell: CellKind, H: number, D: number): number {
  return macsPerStep(cell, H, D) + H * (functionMacsPerUnit(cell) + FORWARD_ELEMENTWISE_PER_UNIT[cell] * ELEMENT_MACS);
}

/**
 * One BPTT step: the four G·H·(D+H) loops (dW_ih and dW_hh products, W_ihᵀ da and W_hhᵀ da),
 * readout backward and its local term (2H), the log10 norms, elementwise work, the fixed work of
 * a step and the D-sized work on ∂L/∂x_t.
 */
export function backwardStepCost(cell: CellKind, H: number, D: number): number {
  const GH = GATE_BLOCKS[cell] * H;
  return (
    2 * GH * (D + H) +
    2 * H +
    LOG10_PER_BACKWARD_STEP[cell] * LOG10_MACS +
    BACKWARD_FIXED_PER_STEP[cell] +
    (BACKWARD_ELEMENTWISE_PER_UNIT[cell] * H + 3 * GH + BACKWARD_PER_INPUT[cell] * D) * ELEMENT_MACS
  );
}

/**
 * Forward + backward over one sequence of length T, allocations included, and the per-call
 * copies of the fused kernels: the forward's packing, the backward's transposed packing of
 * W_ih and W_hh (G·H·(D+H)) and its (T, D) and (T, H) history transposes.
 */
export function sequenceCost(cell: CellKind, T: number, H: number, D: number): number {
  const gradients = paramCount(cell, H, D) + H + 1; // the ParamGrads of one backward, zeroed
  const packing = forwardPackingCost(cell, H, D) + GATE_BLOCKS[cell] * H * (D + H) * PACK_MACS;
  return (
    T * (forwardStepCost(cell, H, D) + backwardStepCost(cell, H, D)) +
    ALLOCATIONS_PER_SEQUENCE[cell] * ALLOC_MACS +
    packing +
    (gradients + T * (D + H)) * ELEMENT_MACS
  );
}

/** Forward alone over one sequence (trace, Jacobian, test-set scoring). */
export function forwardCost(cell: CellKind, T: number, H: number, D: number): number {
  return (
    T * forwardStepCost(cell, H, D) +
    ALLOCATIONS_PER_FORWARD[cell] * ALLOC_MACS +
    forwardPackingCost(cell, H, D)
  );
}

/**
 * linalg's sigmaMax of an (R × C) matrix: the Gram matrix of the smaller side m (its upper
 * triangle, R·C·(m+1)/2 MACs, and its m² allocation), Householder tridiagonalisation (Σ_k 3·(m−k)²
 * ≈ m³) and the Sturm bisection.
 */
export function sigmaMaxCost(R: number, C: number): number {
  const m = Math.min(R, C);
  return (
    ((R * C * (m + 1)) / 2 + m * m * m) * MATRIX_MAC +
    m * m * ELEMENT_MACS +
    BISECTION_MACS_PER_ROW * m +
    DECOMPOSITION_FIXED_MACS
  );
}

/**
 * initParams + makeSequence (buildModel): P uniform draws, and as an upper bound init
 * `orthogonal` (G·H² normals and a Householder QR ≈ 4·H³ per block); T·D input and T target normals.
 */
export function modelCost(cell: CellKind, T: number, H: number, D: number): number {
  const G = GATE_BLOCKS[cell];
  const P = paramCount(cell, H, D) + H + 1;
  const orthogonal = G * (H * H * NORMAL_MACS + 4 * H * H * H + DECOMPOSITION_FIXED_MACS);
  return P * UNIFORM_MACS + orthogonal + sequenceDrawCost(T, D);
}

/** makeSequence: T·D input and T target normals. */
export function sequenceDrawCost(T: number, D: number): number {
  return T * (D + 1) * NORMAL_MACS;
}

/**
 * /gradients: per cell, buildModel, forward + BPTT, sigma_max(W_hh) (G·H × H) for the
 * diagnostics, and the mean forget gate (T·H).
 */
export function costGradients(cells: readonly CellKind[], T: number, H: number, D: number): number {
  let total = 0;
  for (const cell of cells) {
    const GH = GATE_BLOCKS[cell] * H;
    total += modelCost(cell, T, H, D) + sequenceCost(cell, T, H, D) + sigmaMaxCost(GH, H) + T * H;
  }
  return total;
}

/**
 * /jacobian: buildModel, forward, sigma_max(W_hh), then for each of the T−1 products:
 * the step Jacobian (rnn H², gru 3H², lstm 4H² zeroing + 5H²), the (S × S) product
 * M_{t+1}·J (S³ matrix MACs, matMul), rescaling (2S²), sigma_max(M) and a log10; for lstm also the cell
 * path, one log10 per (t, j).
 */
export function costJacobian(cell: CellKind, T: number, H: number, D: number): number {
  const G = GATE_BLOCKS[cell];
  const S = cell === 'lstm' ? 2 * H : H;
  const stepJacobian = cell === 'rnn' ? H * H : cell === 'gru' ? 3 * H * H : 9 * H * H;
  const perProduct = stepJacobian + S * S * S * MATRIX_MAC + 2 * S * S + sigmaMaxCost(S, S) + LOG10_MACS;
  const cellPath = cell === 'lstm' ? T * H * LOG10_MACS : 0;
  return (
    modelCost(cell, T, H, D) +
    forwardCost(cell, T, H, D) +
    sigmaMaxCost(G * H, H) +
    Math.max(T - 1, 0) * perProduct +
    3 * (ALLOC_MACS + S * S * ELEMENT_MACS) + // the three S×S buffers, allocated once
    cellPath +
    T * LOG10_MACS // the Pascanu bound (rnn) or the norms' bookkeeping
  );
}

/** /trace: buildModel and one forward pass. */
export function costTrace(cell: CellKind, T: number, H: number, D: number): number {
  return modelCost(cell, T, H, D) + forwardCost(cell, T, H, D);
}

/** Adam's work per parameter per step: two moment updates, a sqrt and a division. */
const ADAM_MACS_PER_PARAM = 30;
/** SGD's: one multiply-add. */
const SGD_MACS_PER_PARAM = 1;

/**
 * /train (adding, D = 2): per step, B sequences drawn (T uniform draws + 2 marker draws and the
 * target, ≈ 3T element-touches) and passed forward and back, their gradients averaged (P each),
 * then zeroing, the global norm and clipping (3P) and the optimiser (P each); finally the
 * fixed test set scored (N sequences drawn and forward).
 */
export function costTrain(cfg: TrainConfig): number {
  const { cell, T, H, steps, batchSize: B } = cfg;
  const D = 2;
  const P = paramCount(cell, H, D) + H + 1;
  const draw = T * (UNIFORM_MACS + 3 * ELEMENT_MACS) + 2 * UNIFORM_MACS;
  const perSequence = draw + sequenceCost(cell, T, H, D) + P * ELEMENT_MACS;
  const optimizer = cfg.optimizer === 'adam' ? ADAM_MACS_PER_PARAM : SGD_MACS_PER_PARAM;
  const perStep = B * perSequence + P * (3 * ELEMENT_MACS + optimizer);
  const test = ADDING_TEST_SIZE * (draw + forwardCost(cell, T, H, D) + 2 * ALLOC_MACS);
  return modelCost(cell, 0, H, D) + steps * perStep + test;
}
