// GET /api/v1/train: trains one cell on a synthetic task, as JSON or as Server-Sent Events.
// With `Accept: text/event-stream` the answer is `event: progress` per report of the training
// generator, then one `event: result` whose data is exactly the JSON body of the same query.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context, TypedResponse } from 'hono';
import { progressInterval, train as runTraining } from '../core/train.ts';
import type { TrainConfig, TrainProgress, TrainResult } from '../core/types.ts';
import type { Env } from '../env.ts';
import type { FiniteNumbers } from '../finite.ts';
import { bodyCache } from '../cache.ts';
import { buildBody, cacheKey, serveJson, type JsonAnswer } from '../http.ts';
import { checkBudget, trainCost } from '../limits.ts';
import { canonicalConfig, strictQuery, type Canonical } from '../query.ts';
import {
  TrainProgressSchema,
  trainQuery,
  TrainResponseSchema,
  type TrainProgressEvent,
  type TrainQuery,
  type TrainResponse,
} from '../schemas.ts';
import { ignoredParameterWarnings, OK_HEADERS, ROUTING_RESPONSES, STANDARD_RESPONSES } from './common.ts';

export const TRAIN_PATH = '/api/v1/train';

/**
 * Counters of streamed runs, read by the tests to see that a disconnect stops the work and that a
 * slow reader holds the producer back: lastStep / replayStep is the last progress step made.
 */
export const trainingRuns = { started: 0, finished: 0, stopped: 0, lastStep: 0, replays: 0, replayStep: 0 };

const route = createRoute({
  method: 'get',
  path: '/train',
  operationId: 'train',
  tags: ['training'],
  summary: 'Train a cell on the adding problem',
  description:
    'Trains one cell from the seed with minibatches; returns per step the loss, the gradient norm before clipping and whether it was clipped, then the test error and the trivial baseline. With `Accept: text/event-stream`: `event: progress` with TrainProgress data while it trains, then one `event: result` with exactly the JSON body. input_size is fixed by the task (adding: 2).',
  middleware: [
    strictQuery(trainQuery.query, {
      input_size: 'is fixed by the task (the adding problem has 2 inputs: a value and a marker); leave it out',
      loss: 'is fixed by the task (the adding problem is scored at the last step); leave it out',
    }),
  ] as const,
  request: { query: trainQuery.query },
  responses: {
    200: {
      description: 'The training run.',
      headers: OK_HEADERS,
      content: {
        'application/json': { schema: TrainResponseSchema },
        'text/event-stream': {
          schema: z.string().openapi({
            description:
              'Server-Sent Events: `event: progress` (data: TrainProgress JSON) while training, then `event: result` (data: the TrainResponse JSON).',
            example: `event: progress\ndata: {"step":4,"steps":200,"loss":0.31,"grad_norm":0.8}\n\nevent: result\ndata: {"config":{…}}\n\n`,
          }),
        },
      },
    },
    ...STANDARD_RESPONSES,
    ...ROUTING_RESPONSES,
  },
});

export function trainConfig(q: TrainQuery): TrainConfig {
  return {
    cell: q.cell,
    task: q.task,
    T: q.seq_len,
    H: q.hidden_size,
    seed: q.seed,
    init: q.init,
    gain: q.gain,
    forgetBias: q.forget_bias,
    nonlinearity: q.nonlinearity,
    steps: q.steps,
    batchSize: q.batch_size,
    lr: q.lr,
    optimizer: q.optimizer,
    clip: q.clip ?? null,
  };
}

function trainResultBody(q: TrainQuery, r: TrainResult, numbers: FiniteNumbers): Pick<TrainResponse, 'result'> {
  numbers.warnings.push(...ignoredParameterWarnings(q.cell, q));
  return {
    result: {
      loss: numbers.series('result.loss', r.loss, 'step'),
      grad_norm: numbers.series('result.grad_norm', r.gradNorm, 'step'),
      clipped: Array.from(r.clipped, (flag) => flag === 1),
      test_error: numbers.scalar('result.test_error', r.testError),
      test_accuracy: numbers.scalar('result.test_accuracy', r.testAccuracy),
      baseline_error: numbers.scalar('result.baseline_error', r.baselineError),
      baseline: r.baseline,
    },
  };
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

function progressData(p: TrainProgress): string {
  const event: TrainProgressEvent = {
    step: p.step,
    steps: p.steps,
    loss: finiteOrNull(p.loss),
    grad_norm: finiteOrNull(p.gradNorm),
  };
  return JSON.stringify(event);
}

/** Whether the client asked for the event stream (an explicit text/event-stream in Accept). */
export function wantsEventStream(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => {
    const [type, ...params] = part.trim().toLowerCase().split(';');
    const refused = params.some((p) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(p));
    return type.trim() === 'text/event-stream' && !refused;
  });
}

type TrainAnswer = JsonAnswer<Canonical<TrainQuery>, TrainResponse>;

interface SseMessage {
  event: 'progress' | 'result';
  /** One line: JSON has no raw newlines. */
  data: string;
}

/**
 * A pull-driven event stream: the next message is made only when the consumer asks for one
 * (highWaterMark 0, so nothing is produced ahead of a read and nothing queues behind a slow
 * reader), and a cancel — the client is gone — ends the source with .return() where it stands.
 */
function eventStream(source: Generator<SseMessage, void, void>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const next = source.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(`event: ${next.value.event}\ndata: ${next.value.data}\n\n`));
      },
      cancel() {
        source.return();
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * A live run: one `progress` message per report of the training generator, then `result`. Each
 * pull advances the training by one report (≤ ceil(steps / 50) steps); a stream cancelled between
 * two reports stops the generator there and the remaining steps never run.
 */
function* liveRun(q: TrainQuery, answer: TrainAnswer, key: string): Generator<SseMessage, void, void> {
  trainingRuns.started++;
  const run = runTraining(trainConfig(q));
  let finished = false;
  try {
    let next = run.next();
    while (!next.done) {
      trainingRuns.lastStep = next.value.step;
      yield { event: 'progress', data: progressData(next.value) };
      next = run.next();
    }
    const result = next.value;
    const body = buildBody({ ...answer, compute: (numbers) => trainResultBody(q, result, numbers) });
    bodyCache.set(key, body);
    trainingRuns.finished++;
    finished = true;
    yield { event: 'result', data: body };
  } finally {
    if (!finished) {
      // The generator's return type asks for a TrainResult; none exists for a stopped run.
      run.return(undefined as never);
      trainingRuns.stopped++;
    }
  }
}

/**
 * A cached run replays exactly the progress events a live run sends (same steps, same numbers):
 * the stream of a query is as deterministic as its JSON, cached or not. It holds the cached body
 * (shared with the cache) and its parse, both bounded by the body size; events are made per pull.
 */
function* replayRun(cached: string): Generator<SseMessage, void, void> {
  trainingRuns.replays++;
  const body = JSON.parse(cached) as TrainResponse;
  const steps = body.result.loss.length;
  const every = progressInterval(steps);
  for (let step = 1; step <= steps; step++) {
    if (step % every !== 0 && step !== steps) continue;
    const event: TrainProgressEvent = {
      step,
      steps,
      loss: body.result.loss[step - 1],
      grad_norm: body.result.grad_norm[step - 1],
    };
    trainingRuns.replayStep = step;
    yield { event: 'progress', data: JSON.stringify(event) };
  }
  yield { event: 'result', data: cached };
}

/** The event-stream representation of /train: a replay of the cached body, or a live run. */
function streamTraining(c: Context<{ Bindings: Env }>, q: TrainQuery, answer: TrainAnswer): Response {
  checkBudget(c.env, answer.budget, answer.cost);
  const key = cacheKey(answer.endpoint, answer.config);
  const cached = bodyCache.get(key);
  c.header('Vary', 'Accept');
  c.header('Content-Type', 'text/event-stream');
  c.header('Cache-Control', 'no-cache');
  c.header('Connection', 'keep-alive');
  return c.newResponse(eventStream(cached === undefined ? liveRun(q, answer, key) : replayRun(cached)));
}

export const train = new OpenAPIHono<{ Bindings: Env }>().openapi(route, (c) => {
  const q = c.req.valid('query');
  const config = canonicalConfig(trainQuery.query, q);
  const cfg = trainConfig(q);
  const answer: TrainAnswer = {
    endpoint: TRAIN_PATH,
    config,
    cost: trainCost(cfg),
    budget: 'BUDGET_TRAIN_MACS',
    compute: (numbers) => {
      const run = runTraining(cfg);
      for (;;) {
        const next = run.next();
        if (next.done) return trainResultBody(q, next.value, numbers);
      }
    },
  };
  if (wantsEventStream(c.req.header('Accept'))) {
    // The JSON 200 is what hc clients type; the stream is the same route's other representation.
    return streamTraining(c, q, answer) as unknown as TypedResponse<TrainResponse, 200, 'json'>;
  }
  return serveJson(c, answer);
});

// The events' data shape is referenced from the description, so it is a named component.
train.openAPIRegistry.register('TrainProgress', TrainProgressSchema);
