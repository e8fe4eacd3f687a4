// Shared types of the numeric core.
// T = steps, H = hidden, D = input, G = gate blocks (rnn 1, lstm 4 [i|f|g|o], gru 3 [r|z|n]).
// Every matrix is a row-major Float64Array; shapes are written next to each field.

export type CellKind = 'rnn' | 'lstm' | 'gru';
export type Nonlinearity = 'tanh' | 'relu';
export type LossKind = 'last' | 'all';
export type InitKind = 'pytorch' | 'orthogonal';

export const CELL_KINDS: readonly CellKind[] = ['rnn', 'lstm', 'gru'];

/** Number of H-row gate blocks in W_ih / W_hh, in PyTorch's order. */
export const GATE_BLOCKS: Record<CellKind, number> = { rnn: 1, lstm: 4, gru: 3 };

/** Weights of one recurrent layer plus the linear readout y_t = wY · h_t + bY. */
export interface Params {
  cell: CellKind;
  H: number;
  D: number;
  G: number;
  wIh: Float64Array; // (G*H, D)
  wHh: Float64Array; // (G*H, H)
  bIh: Float64Array; // (G*H)
  bHh: Float64Array; // (G*H)
  wY: Float64Array; // (H)
  bY: number;
}

/** Gradients of the loss with respect to every field of Params (same shapes). */
export interface ParamGrads {
  wIh: Float64Array; // (G*H, D)
  wHh: Float64Array; // (G*H, H)
  bIh: Float64Array; // (G*H)
  bHh: Float64Array; // (G*H)
  wY: Float64Array; // (H)
  bY: number;
}

/** One input sequence with a regression target per step. */
export interface Sequence {
  T: number;
  D: number;
  x: Float64Array; // (T, D)
  target: Float64Array; // (T)
}

/** Everything that determines a model and its data: the canonical config of the API. */
export interface ModelConfig {
  cell: CellKind;
  T: number;
  H: number;
  D: number;
  seed: number;
  init: InitKind;
  gain: number;
  forgetBias: number;
  nonlinearity: Nonlinearity;
  loss: LossKind;
}

/** Forward caches: exactly what backward and the Jacobian analysis need. Row k is step t = k+1. */
export interface RnnCache {
  cell: 'rnn';
  h: Float64Array; // (T, H) h_1..h_T (h_0 = 0)
  y: Float64Array; // (T) readout
}
export interface LstmCache {
  cell: 'lstm';
  i: Float64Array; // (T, H) input gate
  f: Float64Array; // (T, H) forget gate
  g: Float64Array; // (T, H) candidate (tanh)
  o: Float64Array; // (T, H) output gate
  c: Float64Array; // (T, H) cell state c_1..c_T (c_0 = 0)
  tanhC: Float64Array; // (T, H) tanh(c_t)
  h: Float64Array; // (T, H)
  y: Float64Array; // (T)
}
export interface GruCache {
  cell: 'gru';
  r: Float64Array; // (T, H) reset gate
  z: Float64Array; // (T, H) update gate
  n: Float64Array; // (T, H) candidate
  hn: Float64Array; // (T, H) W_hn h_{t-1} + b_hn (the term r multiplies)
  h: Float64Array; // (T, H)
  y: Float64Array; // (T)
}
export type Cache = RnnCache | LstmCache | GruCache;

/** Result of forward + BPTT for one cell (worker/src/core/gradients.ts). */
export interface GradientsResult {
  cell: CellKind;
  loss: number;
  /** (T) log10 ‖∂L/∂h_t‖₂, total derivative; -Infinity where the gradient is exactly zero. */
  log10GradH: Float64Array;
  /** (T) log10 ‖∂L/∂c_t‖₂ for lstm, else null. */
  log10GradC: Float64Array | null;
  /** (T) log10 ‖∂L/∂x_t‖₂. */
  log10GradX: Float64Array;
  /** Parameters of the recurrent layer as torch.nn.{RNN,LSTM,GRU} counts them (readout excluded). */
  paramCount: number;
  /** Largest singular value of the whole W_hh (G*H × H). */
  sigmaMaxWhh: number;
  /** lstm: mean of f_t[j] over all t and j; else null. */
  meanForgetGate: number | null;
  /** Weight gradients in actual units (tiny contributions may underflow; may be ±Infinity). */
  grads: ParamGrads;
}

/** Jacobian analysis for one cell (worker/src/core/jacobian.ts). s = h (rnn, gru) or [h; c] (lstm). */
export interface JacobianResult {
  cell: CellKind;
  /** (T) log10 of the spectral norm of ∂s_T/∂s_t, t = 1..T (the last entry is log10 ‖I‖ = 0). */
  log10JacobianNorm: Float64Array;
  /** rnn: (T) (T−t)·log10(γ·σ_max(W_hh)), γ = 1 for tanh and relu; else null. */
  log10Bound: Float64Array | null;
  /** lstm: (T) log10 max_j ∏_{k=t+1..T} f_k[j] (0 at t = T); else null. */
  log10CellPath: Float64Array | null;
  sigmaMaxWhh: number;
}

/** Forward pass for the trace endpoint (worker/src/core/trace.ts). */
export interface TraceResult {
  cell: CellKind;
  loss: number;
  h: Float64Array; // (T, H)
  y: Float64Array; // (T)
  c: Float64Array | null; // (T, H) lstm only
  /** lstm: i, f, g, o; gru: r, z, n; rnn: none. Each (T, H). */
  gates: Record<string, Float64Array>;
}

export type TaskKind = 'adding';
export type OptimizerKind = 'sgd' | 'adam';

/** Training run on a synthetic task (worker/src/core/train.ts). D is fixed by the task (adding: 2). */
export interface TrainConfig {
  cell: CellKind;
  task: TaskKind;
  T: number;
  H: number;
  seed: number;
  init: InitKind;
  gain: number;
  forgetBias: number;
  nonlinearity: Nonlinearity;
  steps: number;
  batchSize: number;
  lr: number;
  optimizer: OptimizerKind;
  /** Global-norm clipping threshold (torch.nn.utils.clip_grad_norm_), or null for none. */
  clip: number | null;
}

/** Yielded by the training generator every few steps. */
export interface TrainProgress {
  step: number; // steps completed so far (1..steps)
  steps: number;
  loss: number; // minibatch loss of the last completed step
  gradNorm: number; // its global gradient norm before clipping
}

export interface TrainResult {
  loss: Float64Array; // (steps) minibatch loss per step, before the update
  gradNorm: Float64Array; // (steps) global L2 norm of all parameter gradients, before clipping
  clipped: Uint8Array; // (steps) 1 where clipping scaled the gradient
  testError: number; // mean squared error on the fixed test set after training
  testAccuracy: number; // fraction of test sequences with |error| < 0.04
  baselineError: number; // mean squared error of the trivial baseline on the same test set
  baseline: string; // what the baseline predicts, in words
}
