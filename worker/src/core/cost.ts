// STUB with the final signatures (owned by the training/cost helper, who refines the formulas
// so they count the multiply-adds the kernels really do).
// T = steps, H = hidden, D = input, G = gate blocks.
import { GATE_BLOCKS, type CellKind, type TrainConfig } from './types.ts';

/** Parameters of one recurrent layer as torch.nn.RNN/LSTM/GRU count them: G·(H·D + H·H + 2·H). */
export function paramCount(cell: CellKind, H: number, D: number): number {
  return GATE_BLOCKS[cell] * (H * D + H * H + 2 * H);
}

export function paramFormula(cell: CellKind): string {
  return `${GATE_BLOCKS[cell]}·(H·D + H·H + 2·H)`;
}

/** Forward multiply-adds per time step (gate mat-vecs + readout). */
export function macsPerStep(cell: CellKind, H: number, D: number): number {
  return GATE_BLOCKS[cell] * H * (D + H) + H;
}

export function costGradients(cells: readonly CellKind[], T: number, H: number, D: number): number {
  return cells.reduce((sum, cell) => sum + 3 * T * macsPerStep(cell, H, D), 0);
}

export function costJacobian(cell: CellKind, T: number, H: number, D: number): number {
  const S = cell === 'lstm' ? 2 * H : H;
  return T * (S * S * S + macsPerStep(cell, H, D));
}

export function costTrace(cell: CellKind, T: number, H: number, D: number): number {
  return T * macsPerStep(cell, H, D);
}

export function costTrain(cfg: TrainConfig): number {
  return cfg.steps * cfg.batchSize * 3 * cfg.T * macsPerStep(cfg.cell, cfg.H, 2);
}
