// GET /api/v1/jacobian: how ∂s_T/∂s_t shrinks or grows with T − t for one cell.
import { OpenAPIHono } from '@hono/zod-openapi';
import { computeJacobian } from '../core/jacobian.ts';
import type { Env } from '../env.ts';
import { serveJson } from '../http.ts';
import { jacobianCost } from '../limits.ts';
import { canonicalConfig } from '../query.ts';
import { jacobianQuery, JacobianResponseSchema, type JacobianResponse } from '../schemas.ts';
import { getRoute, ignoredParameterWarnings, modelConfig } from './common.ts';

export const JACOBIAN_PATH = '/api/v1/jacobian';

const route = getRoute({
  path: '/jacobian',
  operationId: 'getJacobian',
  tag: 'model',
  summary: 'Jacobian norms through time',
  description:
    'For one cell: log10 of the spectral norm of ∂s_T/∂s_t for every t (s = h; s = [h; c] for lstm); for rnn the Pascanu bound, for lstm the cell-state path log10 max_j ∏ f_k[j]. The Jacobian does not depend on `loss`.',
  query: jacobianQuery.query,
  response: JacobianResponseSchema,
  responseDescription: 'Jacobian norms of one cell.',
});

export const jacobian = new OpenAPIHono<{ Bindings: Env }>().openapi(route, (c) => {
  const q = c.req.valid('query');
  const config = canonicalConfig(jacobianQuery.query, q);
  return serveJson<typeof config, JacobianResponse>(c, {
    endpoint: JACOBIAN_PATH,
    config,
    cost: jacobianCost(q),
    budget: 'BUDGET_MACS',
    compute: (numbers) => {
      numbers.warnings.push(...ignoredParameterWarnings(q.cell, q));
      if (q.loss !== 'last') numbers.warnings.push(`loss=${q.loss} is ignored: the Jacobian does not depend on the loss`);
      const r = computeJacobian(modelConfig(q.cell, q));
      const result: JacobianResponse['result'] = {
        log10_jacobian_norm: numbers.series('result.log10_jacobian_norm', r.log10JacobianNorm),
        ...(r.log10Bound ? { log10_bound: numbers.series('result.log10_bound', r.log10Bound) } : {}),
        ...(r.log10CellPath ? { log10_cell_path: numbers.series('result.log10_cell_path', r.log10CellPath) } : {}),
        sigma_max_w_hh: numbers.scalar('result.sigma_max_w_hh', r.sigmaMaxWhh),
      };
      return { result };
    },
  });
});
