// GET /api/v1/params: parameter counts and multiply-adds per step of the three cells.
import { OpenAPIHono } from '@hono/zod-openapi';
import { macsPerStep, paramCount, paramFormula } from '../core/cost.ts';
import type { Env } from '../env.ts';
import { serveJson } from '../http.ts';
import { canonicalConfig } from '../query.ts';
import { CELLS, paramsQuery, ParamsResponseSchema, type ParamsResponse } from '../schemas.ts';
import { getRoute } from './common.ts';

export const PARAMS_PATH = '/api/v1/params';

const route = getRoute({
  path: '/params',
  operationId: 'getParams',
  tag: 'model',
  summary: 'Parameter counts and cost per step',
  description:
    'For rnn, lstm and gru at the given sizes: the parameters of the recurrent layer as torch.nn counts them, the formula, and the multiply-adds of one forward step.',
  query: paramsQuery.query,
  response: ParamsResponseSchema,
  responseDescription: 'Counts per cell.',
  // Counting costs nothing: /params is never over budget.
  budgeted: false,
});

export const params = new OpenAPIHono<{ Bindings: Env }>().openapi(route, (c) => {
  const q = c.req.valid('query');
  const config = canonicalConfig(paramsQuery.query, q);
  return serveJson<typeof config, ParamsResponse>(c, {
    endpoint: PARAMS_PATH,
    config,
    cost: 0,
    budget: 'BUDGET_MACS',
    compute: () => {
      const H = q.hidden_size;
      const D = q.input_size;
      const count = (cell: (typeof CELLS)[number]) => ({
        param_count: paramCount(cell, H, D),
        formula: paramFormula(cell),
        macs_per_step: macsPerStep(cell, H, D),
      });
      return { results: { rnn: count('rnn'), lstm: count('lstm'), gru: count('gru') } };
    },
  });
});
