// What every endpoint's route definition shares: its documented error answers and headers, and
// the translation of a parsed query into the core's ModelConfig, the ignored-parameter warnings
// and the include=weights block.
// T = seq_len, H = hidden_size, D = input_size, G = gate blocks.
import { createRoute, z } from '@hono/zod-openapi';
import { buildModel, makeSequence } from '../core/init.ts';
import type { CellKind, InitKind, LossKind, ModelConfig, Nonlinearity } from '../core/types.ts';
import type { FiniteNumbers } from '../finite.ts';
import { strictQuery, type QueryHints } from '../query.ts';
import { ProblemSchema, type Weights } from '../schemas.ts';

const PROBLEM_JSON = 'application/problem+json';

function problem(description: string, headers?: Record<string, { description: string; schema: { type: 'string' | 'integer' } }>) {
  return {
    description,
    content: { [PROBLEM_JSON]: { schema: ProblemSchema } },
    ...(headers ? { headers } : {}),
  };
}

export const OK_HEADERS = {
  ETag: {
    description: 'Strong validator from model_version and the canonical query.',
    schema: { type: 'string' as const },
  },
  'Cache-Control': { description: 'public, max-age=86400, immutable', schema: { type: 'string' as const } },
  'Server-Timing': {
    description:
      'cache;desc="hit"|"miss", and on a miss compute;dur=<ms> where the runtime clock allows (where it stands still during compute, as on Workers, compute has a desc and no dur).',
    schema: { type: 'string' as const },
  },
};

/** The answers every GET endpoint can give besides its 200. */
export const STANDARD_RESPONSES = {
  304: { description: 'Not modified: If-None-Match matched the ETag.', headers: { ETag: OK_HEADERS.ETag } },
  400: problem('Invalid query: `errors` names every offending parameter.'),
  422: problem('Over the compute budget: the body has `cost` and `budget` in multiply-adds.'),
  429: problem('Rate limited per client IP.', {
    'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } },
  }),
} as const;

/** For an endpoint whose cost is always 0: it never answers 422. */
const { 422: _overBudget, ...UNBUDGETED_RESPONSES } = STANDARD_RESPONSES;

/** 404 and 405 are answered for any path by the app (documented once, on every operation). */
export const ROUTING_RESPONSES = {
  404: problem('Unknown path under /api.'),
  405: problem('Method other than GET, HEAD or OPTIONS.', {
    Allow: { description: 'GET, HEAD, OPTIONS', schema: { type: 'string' } },
  }),
} as const;

export function okJson<S extends z.ZodType>(schema: S, description: string) {
  return { description, headers: OK_HEADERS, content: { 'application/json': { schema } } };
}

interface GetRoute<P extends string, Q extends z.ZodObject, R extends z.ZodType> {
  path: P;
  operationId: string;
  tag: 'model' | 'training';
  summary: string;
  description: string;
  query: Q;
  hints?: QueryHints;
  response: R;
  responseDescription: string;
  /** false for an endpoint that costs nothing and so is never over budget (no 422 listed). */
  budgeted?: boolean;
}

/** A GET endpoint: strict query parsing in front of the validator, the standard error answers. */
export function getRoute<const P extends string, Q extends z.ZodObject, R extends z.ZodType>(o: GetRoute<P, Q, R>) {
  return createRoute({
    method: 'get',
    path: o.path,
    operationId: o.operationId,
    tags: [o.tag],
    summary: o.summary,
    description: o.description,
    middleware: [strictQuery(o.query, o.hints)] as const,
    request: { query: o.query },
    responses: {
      200: okJson(o.response, o.responseDescription),
      ...(o.budgeted === false ? UNBUDGETED_RESPONSES : STANDARD_RESPONSES),
      ...ROUTING_RESPONSES,
    },
  });
}

/** The shared model parameters of /gradients, /jacobian and /trace, as parsed. */
export interface ModelQuery {
  seq_len: number;
  hidden_size: number;
  input_size: number;
  seed: number;
  init: InitKind;
  gain: number;
  forget_bias: number;
  nonlinearity: Nonlinearity;
  loss: LossKind;
}

export function modelConfig(cell: CellKind, q: ModelQuery): ModelConfig {
  return {
    cell,
    T: q.seq_len,
    H: q.hidden_size,
    D: q.input_size,
    seed: q.seed,
    init: q.init,
    gain: q.gain,
    forgetBias: q.forget_bias,
    nonlinearity: q.nonlinearity,
    loss: q.loss,
  };
}

/** Parameters that have no effect on `cell`, when set to anything but their neutral value. */
export function ignoredParameterWarnings(
  cell: CellKind,
  q: { forget_bias: number; nonlinearity: Nonlinearity },
): string[] {
  const warnings: string[] = [];
  if (cell !== 'lstm' && q.forget_bias !== 0) {
    warnings.push(`forget_bias=${q.forget_bias} is ignored for ${cell}: it applies to lstm only`);
  }
  if (cell !== 'rnn' && q.nonlinearity !== 'tanh') {
    warnings.push(`nonlinearity=${q.nonlinearity} is ignored for ${cell}: it applies to rnn only`);
  }
  return warnings;
}

/** The weights of `cell` in PyTorch's layout (weight_ih_l0, weight_hh_l0, bias_ih_l0, ...). */
export function weightsBody(cell: CellKind, q: ModelQuery, numbers: FiniteNumbers, at: string): Weights {
  const { params: p } = buildModel(modelConfig(cell, q));
  const rows = p.G * p.H;
  return {
    W_ih: numbers.matrix(`${at}.W_ih`, p.wIh, rows, p.D),
    W_hh: numbers.matrix(`${at}.W_hh`, p.wHh, rows, p.H),
    b_ih: numbers.series(`${at}.b_ih`, p.bIh, 'index'),
    b_hh: numbers.series(`${at}.b_hh`, p.bHh, 'index'),
    w_y: numbers.series(`${at}.w_y`, p.wY, 'index'),
    b_y: numbers.scalar(`${at}.b_y`, p.bY),
  };
}

/** inputs (T × D) and targets (T): the same for every cell, they depend on seed, T and D only. */
export function reproductionBody(q: ModelQuery, numbers: FiniteNumbers) {
  const seq = makeSequence(q.seq_len, q.input_size, q.seed);
  return {
    inputs: numbers.matrix('inputs', seq.x, seq.T, seq.D),
    targets: numbers.series('targets', seq.target),
  };
}
