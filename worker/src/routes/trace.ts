// GET /api/v1/trace: the forward pass of one cell, every state and gate at every step.
// T = seq_len, H = hidden_size.
import { OpenAPIHono } from '@hono/zod-openapi';
import { computeTrace } from '../core/trace.ts';
import type { Env } from '../env.ts';
import { serveJson } from '../http.ts';
import { traceCost } from '../limits.ts';
import { canonicalConfig } from '../query.ts';
import { traceQuery, TraceResponseSchema, type TraceResponse } from '../schemas.ts';
import { getRoute, ignoredParameterWarnings, modelConfig, reproductionBody, weightsBody } from './common.ts';

export const TRACE_PATH = '/api/v1/trace';

const route = getRoute({
  path: '/trace',
  operationId: 'getTrace',
  tag: 'model',
  summary: 'Forward pass: states and gates',
  description:
    'For one cell: h [T][H] and y [T]; for lstm also c and the gates i, f, g, o; for gru the gates r, z, n (each [T][H]).',
  query: traceQuery.query,
  response: TraceResponseSchema,
  responseDescription: 'The forward pass of one cell.',
});

export const trace = new OpenAPIHono<{ Bindings: Env }>().openapi(route, (c) => {
  const q = c.req.valid('query');
  const config = canonicalConfig(traceQuery.query, q);
  return serveJson<typeof config, TraceResponse>(c, {
    endpoint: TRACE_PATH,
    config,
    cost: traceCost(q),
    budget: 'BUDGET_MACS',
    compute: (numbers) => {
      numbers.warnings.push(...ignoredParameterWarnings(q.cell, q));
      const r = computeTrace(modelConfig(q.cell, q));
      const T = q.seq_len;
      const H = q.hidden_size;
      const loss = numbers.scalar('result.loss', r.loss);
      const h = numbers.matrix('result.h', r.h, T, H);
      const y = numbers.series('result.y', r.y);
      const c = r.c ? { c: numbers.matrix('result.c', r.c, T, H) } : {};
      const gates: TraceResponse['result']['gates'] = {};
      for (const [name, values] of Object.entries(r.gates)) {
        gates[name as keyof typeof gates] = numbers.matrix(`result.gates.${name}`, values, T, H);
      }
      const weights = q.include === 'weights' ? { weights: weightsBody(q.cell, q, numbers, 'result.weights') } : {};
      return {
        result: { loss, h, y, ...c, gates, ...weights },
        ...(q.include === 'weights' ? reproductionBody(q, numbers) : {}),
      };
    },
  });
});
