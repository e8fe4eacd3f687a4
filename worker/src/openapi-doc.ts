// The OpenAPI 3.1 document's frame (info, servers, tags) and how it is generated from an app's
// registry: every path, parameter and schema comes from the routes' zod schemas.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { SERIALISE_MACS_PER_NUMBER } from './limits.ts';
import { API_VERSION, MODEL_VERSION } from './version.ts';

const DESCRIPTION = `Fixed-seed RNN, LSTM and GRU forward passes and backpropagation through time, computed on request.
Every endpoint is a GET and a pure function of its query: the same canonical query gives the same bytes on every runtime.
Model version ${MODEL_VERSION}: any change of a returned number is a new model_version, and model_version is part of every ETag.

## The model
PyTorch's equations, gate order (lstm \`[i|f|g|o]\`, gru \`[r|z|n]\`) and weight shapes (\`W_ih\` (G·H × D), \`W_hh\` (G·H × H), \`b_ih\`, \`b_hh\` (G·H)); \`h_0 = c_0 = 0\`; readout \`y_t = w_y · h_t + b_y\`. loss=last: \`L = ½(y_T − y*_T)²\`; loss=all: \`L = Σ_t ½(y_t − y*_t)²\`.
Arrays are indexed from 0: element k belongs to step t = k + 1. Gradient magnitudes are base-10 logarithms computed without underflow (a gradient of 1e-400 is reported as -400). Every number is finite; a value that is not is null and \`warnings\` says why. All arithmetic is float64 with the core's own exp/tanh/log, so results are bit-identical in Node, workerd and browsers.

## How the seed becomes numbers (worker/src/core/rng.ts, worker/src/core/init.ts, worker/src/core/tasks.ts)
Generator: \`xoshiro128**\` with four 32-bit words, seeded from (seed, stream name) through the murmur3 finaliser; doubles take 53 bits of two outputs; normals by Marsaglia's polar method.
Independent streams: weights from "weights/<cell>", inputs from "inputs", targets from "targets" (so inputs do not depend on the cell and the first T steps are a prefix of any longer sequence).
Weights, with k = 1/sqrt(H), in this order: W_ih row-major U(-k, k); W_hh row-major U(-k, k) (init=pytorch) or, per H×H gate block, H×H standard normals made orthogonal by Householder QR with sign correction (init=orthogonal); b_ih; b_hh; w_y; b_y, each U(-k, k). Then W_hh *= gain and, for lstm, b_ih[H..2H) += forget_bias. Inputs x (T × D, t-major) and targets (T) ~ N(0, 1).
Training (/train): batches from the stream "train/adding/T<T>" of the seed; the test set (256 sequences) from seed 0, so every run is scored on the same data.
include=weights returns the weights, inputs and targets in PyTorch's layout, so a response can be reproduced with torch.nn.RNN/LSTM/GRU in float64.

## Limits and budgets
Every parameter's range is in its schema; anything outside, non-numeric, non-integer where an integer is needed, NaN, Infinity, empty, repeated or unknown is 400 with \`errors\` naming each parameter. A request's cost in multiply-adds is known from its query: the kernels' count (forward + BPTT per step and cell, the Jacobian's per-step products, training steps × batch) plus ${SERIALISE_MACS_PER_NUMBER} per number written. Over the budget (wrangler.toml [vars] BUDGET_MACS, and BUDGET_TRAIN_MACS for /train) is 422 with \`cost\` and \`budget\`.

## Caching, CORS, rate limits
200s carry a strong ETag (model_version + canonical query) and Cache-Control: public, max-age=86400, immutable; If-None-Match answers 304. This document's ETag is model_version + the SHA-256 of its bytes and its Cache-Control public, max-age=300, immutable: it can change on a deployment without a model_version change. Queries that differ only in parameter order, written defaults or number spelling are one canonical query (echoed in \`config\`). Any origin may call the API (no credentials); OPTIONS preflights are answered. Requests are rate-limited per client IP: 429 with Retry-After. Errors are application/problem+json (RFC 9457) with Cache-Control: no-store.`;

export const OPENAPI_CONFIG = {
  openapi: '3.1.0',
  info: {
    title: 'gradflow API',
    version: API_VERSION,
    description: DESCRIPTION,
    license: { name: 'MIT', identifier: 'MIT' },
  },
  servers: [{ url: '/', description: 'The origin serving this document' }],
  tags: [
    { name: 'model', description: 'Forward passes, gradients and Jacobians of one fixed-seed model.' },
    { name: 'training', description: 'Training runs on synthetic tasks.' },
    { name: 'meta', description: 'This document.' },
  ],
};

/** Any app with routes registered through .openapi() (the root app of index.ts). */
export function documentOf(app: Pick<OpenAPIHono, 'getOpenAPI31Document'>) {
  return app.getOpenAPI31Document(OPENAPI_CONFIG);
}
