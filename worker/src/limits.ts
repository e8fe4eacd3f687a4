// Compute budgets: the cost of a request in multiply-adds (MACs), known from its query before any
// work is done, against the budget in wrangler.toml [vars]. A request over budget is 422.
//
// Cost model = the core's count of the kernels' multiply-adds (worker/src/core/cost.ts) + the
// serialisation of the body, charged at SERIALISE_MACS_PER_NUMBER per number written (a trace of
// T=1000, H=64 is cheap to compute but is hundreds of thousands of numbers of JSON).
import { costGradients, costJacobian, costTrace, costTrain, modelCost, paramCount, sequenceDrawCost } from './core/cost.ts';
import { GATE_BLOCKS, type CellKind, type TrainConfig } from './core/types.ts';
import type { Env } from './env.ts';
import { ApiError } from './problem.ts';

export type BudgetVar = 'BUDGET_MACS' | 'BUDGET_TRAIN_MACS';

/** Used when a var is missing or not a positive number (matches wrangler.toml). */
export const DEFAULT_BUDGETS: Record<BudgetVar, number> = {
  BUDGET_MACS: 60_000_000,
  BUDGET_TRAIN_MACS: 60_000_000,
};

/** JSON.stringify of one float64 (shortest round-trip digits): measured 155–180 ns, 260–270 kernel MACs. */
export const SERIALISE_MACS_PER_NUMBER = 300;

export function budgetOf(env: Partial<Env> | undefined, name: BudgetVar): number {
  const value = Number(env?.[name]);
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_BUDGETS[name];
}

export function checkBudget(env: Partial<Env> | undefined, name: BudgetVar, cost: number): void {
  const budget = budgetOf(env, name);
  if (cost <= budget) return;
  throw new ApiError(
    'over-budget',
    `This request needs about ${cost.toExponential(2)} multiply-adds; the budget is ${budget.toExponential(2)} (${name}). Ask for fewer steps or a smaller model.`,
    { cost, budget, budgetVar: name },
  );
}

interface ModelSize {
  seq_len: number;
  hidden_size: number;
  input_size: number;
}

/** Numbers in weights + inputs + targets (include=weights). */
function reproductionNumbers(cell: CellKind, q: ModelSize): number {
  const { seq_len: T, hidden_size: H, input_size: D } = q;
  return paramCount(cell, H, D) + H + 1 + T * D + T;
}

/**
 * Computing what include=weights writes: the routes rebuild each cell's model for its weights
 * (routes/common.ts weightsBody, initParams + makeSequence) and draw the sequence once more for
 * inputs and targets (reproductionBody).
 */
function reproductionWork(cells: readonly CellKind[], q: ModelSize): number {
  const { seq_len: T, hidden_size: H, input_size: D } = q;
  let total = sequenceDrawCost(T, D);
  for (const cell of cells) total += modelCost(cell, T, H, D);
  return total;
}

export function gradientsCost(q: ModelSize & { cells: readonly CellKind[]; include?: 'weights' | null }): number {
  const { seq_len: T, hidden_size: H, input_size: D } = q;
  let numbers = 0;
  for (const cell of q.cells) {
    numbers += (cell === 'lstm' ? 3 : 2) * T;
    if (q.include === 'weights') numbers += reproductionNumbers(cell, q);
  }
  const reproduction = q.include === 'weights' ? reproductionWork(q.cells, q) : 0;
  return costGradients(q.cells, T, H, D) + reproduction + SERIALISE_MACS_PER_NUMBER * numbers;
}

export function jacobianCost(q: ModelSize & { cell: CellKind }): number {
  const { seq_len: T, hidden_size: H, input_size: D } = q;
  const series = q.cell === 'rnn' || q.cell === 'lstm' ? 2 : 1;
  return costJacobian(q.cell, T, H, D) + SERIALISE_MACS_PER_NUMBER * series * T;
}

export function traceCost(q: ModelSize & { cell: CellKind; include?: 'weights' | null }): number {
  const { seq_len: T, hidden_size: H, input_size: D } = q;
  // h, plus c for lstm, plus one T × H matrix per gate block.
  const matrices = 1 + (q.cell === 'lstm' ? 1 : 0) + (q.cell === 'rnn' ? 0 : GATE_BLOCKS[q.cell]);
  let numbers = matrices * T * H + T;
  if (q.include === 'weights') numbers += reproductionNumbers(q.cell, q);
  const reproduction = q.include === 'weights' ? reproductionWork([q.cell], q) : 0;
  return costTrace(q.cell, T, H, D) + reproduction + SERIALISE_MACS_PER_NUMBER * numbers;
}

export function trainCost(cfg: TrainConfig): number {
  return costTrain(cfg) + SERIALISE_MACS_PER_NUMBER * 3 * cfg.steps;
}
