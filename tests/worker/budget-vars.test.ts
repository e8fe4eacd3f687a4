// The budgets are wrangler.toml [vars] that a maintainer can change: the worker must read them,
// not only its fallbacks (which equal wrangler.toml's numbers, so the other budget tests cannot
// tell the two apart). Each request here runs with one var lowered to the request's own cost − 1
// (422, naming that budget) and set to exactly its cost (200). The cost comes from the cost
// functions: this is a test of the comparison with the var, not of the cost model.
import { describe, expect, it } from 'vitest';
import type { TrainConfig } from '../../worker/src/core/types.ts';
import { gradientsCost, jacobianCost, traceCost, trainCost } from '../../worker/src/limits.ts';
import { get, problem } from './helpers.ts';

const SIZE = { seq_len: 9, hidden_size: 5, input_size: 3 };
const MODEL_QUERY = 'seq_len=9&hidden_size=5&input_size=3&seed=11';

const TRAIN_QUERY = 'cell=gru&seq_len=5&hidden_size=3&steps=4&batch_size=2&seed=11&lr=0.02';
const TRAIN_CONFIG: TrainConfig = {
  cell: 'gru',
  task: 'adding',
  T: 5,
  H: 3,
  seed: 11,
  init: 'pytorch',
  gain: 1,
  forgetBias: 0,
  nonlinearity: 'tanh',
  steps: 4,
  batchSize: 2,
  lr: 0.02,
  optimizer: 'adam',
  clip: null,
};

const CASES = [
  {
    url: `/api/v1/gradients?cells=rnn,gru&${MODEL_QUERY}`,
    budgetVar: 'BUDGET_MACS',
    cost: gradientsCost({ ...SIZE, cells: ['rnn', 'gru'], include: null }),
  },
  {
    url: `/api/v1/gradients?include=weights&${MODEL_QUERY}`,
    budgetVar: 'BUDGET_MACS',
    cost: gradientsCost({ ...SIZE, cells: ['rnn', 'lstm'], include: 'weights' }),
  },
  { url: `/api/v1/jacobian?cell=rnn&${MODEL_QUERY}`, budgetVar: 'BUDGET_MACS', cost: jacobianCost({ ...SIZE, cell: 'rnn' }) },
  { url: `/api/v1/trace?cell=lstm&${MODEL_QUERY}`, budgetVar: 'BUDGET_MACS', cost: traceCost({ ...SIZE, cell: 'lstm', include: null }) },
  { url: `/api/v1/train?${TRAIN_QUERY}`, budgetVar: 'BUDGET_TRAIN_MACS', cost: trainCost(TRAIN_CONFIG) },
  {
    url: `/api/v1/train?${TRAIN_QUERY}`,
    budgetVar: 'BUDGET_TRAIN_MACS',
    cost: trainCost(TRAIN_CONFIG),
    init: { headers: { Accept: 'text/event-stream' } },
  },
] as const;

describe('the budget [vars] are honoured', () => {
  for (const { url, budgetVar, cost, ...rest } of CASES) {
    const init: RequestInit | undefined = 'init' in rest ? rest.init : undefined;
    const label = `${url}${init ? ' (event stream)' : ''}`;

    it(`${label}: 422 with ${budgetVar} = cost − 1, 200 with ${budgetVar} = cost`, async () => {
      expect(cost).toBeGreaterThan(1);
      const over = await problem(url, 422, init, { [budgetVar]: String(cost - 1) });
      expect(over.budget).toBe(cost - 1);
      expect(over.cost).toBe(cost);
      expect(over.budget_var).toBe(budgetVar);

      expect(await get200(url, init, { [budgetVar]: String(cost) })).toBe(true);
    });

    it(`${label}: the other budget var does not bound it`, async () => {
      const other = budgetVar === 'BUDGET_MACS' ? 'BUDGET_TRAIN_MACS' : 'BUDGET_MACS';
      expect(await get200(url, init, { [other]: '1' })).toBe(true);
    });
  }
});

/** Whether the answer is a 200: JSON, or the event stream read to its final result. */
async function get200(url: string, init: RequestInit | undefined, bindings: Record<string, string>): Promise<boolean> {
  const res = await get(url, init, bindings);
  const text = await res.text();
  expect(res.status, text.slice(0, 300)).toBe(200);
  if (init) expect(text).toContain('event: result');
  return true;
}
