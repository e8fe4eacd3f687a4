// Model initialisation and the seeded data: how a request's `seed` becomes numbers.
// T = steps, H = hidden, D = input, G = gate blocks (rnn 1, lstm 4 [i|f|g|o], gru 3 [r|z|n]).
//
// These rules define every number the API returns; changing any of them is a new model_version.
//
// Weights, from new Rng(seed, `weights/${cell}`), with k = 1/sqrt(H), drawn in this order:
//   1. W_ih (G*H × D), row-major, each U(-k, k)  (rng.uniform(-k, k))
//   2. W_hh (G*H × H):
//        init=pytorch:    row-major, each U(-k, k)
//        init=orthogonal: for each H×H gate block in order, H×H standard normals row-major,
//                         then Q·diag(sign(diag R)) of their Householder QR
//                         (torch.nn.init.orthogonal_ semantics, see linalg.ts)
//   3. b_ih (G*H), 4. b_hh (G*H), 5. w_y (H), 6. b_y: each U(-k, k)
// Then W_hh *= gain, and for lstm only b_ih[H..2H) (the forget block) += forgetBias.
// Both U(-k, k) for every weight and bias and 1/sqrt(H) for the readout are what torch.nn.RNN/
// LSTM/GRU and torch.nn.Linear(H, 1) do.
//
// Data: x (T × D, t-major) ~ N(0, 1) from new Rng(seed, 'inputs'); targets (T) ~ N(0, 1) from
// new Rng(seed, 'targets'). Separate streams make the inputs independent of the cell, and the
// first T steps of a sequence a prefix of any longer one with the same seed and D.
import { orthogonalFromGaussian } from './linalg.ts';
import { Rng } from './rng.ts';
import {
  GATE_BLOCKS,
  type CellKind,
  type InitKind,
  type ModelConfig,
  type Params,
  type Sequence,
} from './types.ts';

export interface InitOptions {
  init: InitKind;
  gain: number;
  forgetBias: number;
}

export function initParams(
  cell: CellKind,
  H: number,
  D: number,
  opts: InitOptions,
  rng: Rng,
): Params {
  const G = GATE_BLOCKS[cell];
  const k = 1 / Math.sqrt(H);
  const wIh = uniformArray(G * H * D, k, rng); // (G*H, D)
  const wHh = new Float64Array(G * H * H); // (G*H, H)
  if (opts.init === 'orthogonal') {
    for (let block = 0; block < G; block++) {
      const gaussian = new Float64Array(H * H); // (H, H)
      for (let e = 0; e < H * H; e++) gaussian[e] = rng.normal();
      wHh.set(orthogonalFromGaussian(gaussian, H), block * H * H);
    }
  } else {
    for (let e = 0; e < wHh.length; e++) wHh[e] = rng.uniform(-k, k);
  }
  const bIh = uniformArray(G * H, k, rng); // (G*H)
  const bHh = uniformArray(G * H, k, rng); // (G*H)
  const wY = uniformArray(H, k, rng); // (H)
  const bY = rng.uniform(-k, k);

  for (let e = 0; e < wHh.length; e++) wHh[e] *= opts.gain;
  if (cell === 'lstm') {
    for (let j = H; j < 2 * H; j++) bIh[j] += opts.forgetBias;
  }
  return { cell, H, D, G, wIh, wHh, bIh, bHh, wY, bY };
}

function uniformArray(length: number, k: number, rng: Rng): Float64Array {
  const out = new Float64Array(length);
  for (let e = 0; e < length; e++) out[e] = rng.uniform(-k, k);
  return out;
}

export function makeSequence(T: number, D: number, seed: number): Sequence {
  const inputs = new Rng(seed, 'inputs');
  const targets = new Rng(seed, 'targets');
  const x = new Float64Array(T * D); // (T, D)
  for (let e = 0; e < T * D; e++) x[e] = inputs.normal();
  const target = new Float64Array(T); // (T)
  for (let t = 0; t < T; t++) target[t] = targets.normal();
  return { T, D, x, target };
}

export function buildModel(cfg: ModelConfig): { params: Params; seq: Sequence } {
  const opts: InitOptions = { init: cfg.init, gain: cfg.gain, forgetBias: cfg.forgetBias };
  const params = initParams(cfg.cell, cfg.H, cfg.D, opts, new Rng(cfg.seed, `weights/${cfg.cell}`));
  return { params, seq: makeSequence(cfg.T, cfg.D, cfg.seed) };
}
