// One zod schema per endpoint for its query and one for its response body: the single source of
// validation, limits, defaults, the OpenAPI document and the response types the site imports.
// T = seq_len, H = hidden_size, D = input_size, G = gate blocks (rnn 1, lstm 4, gru 3).
import { z } from '@hono/zod-openapi';
import {
  choice,
  defineQuery,
  integer,
  list,
  optionalChoice,
  optionalPositive,
  positive,
  real,
} from './param-kit.ts';

export const CELLS = ['rnn', 'lstm', 'gru'] as const;

// ---- query parameters ----------------------------------------------------------------------

const seqLen = integer({ min: 1, max: 1000, default: 50, description: 'T, the number of time steps.' });
const hiddenSize = integer({ min: 1, max: 64, default: 16, description: 'H, the hidden size.' });
const inputSize = integer({ min: 1, max: 16, default: 4, description: 'D, the input size.' });
const seed = integer({
  min: 0,
  max: 4294967295,
  default: 42,
  description: 'Seeds every random draw of the request (weights, inputs, targets).',
});
const init = choice(['pytorch', 'orthogonal'], {
  default: 'pytorch',
  description:
    'pytorch: every weight and bias ~ U(-1/sqrt(H), 1/sqrt(H)) as torch.nn does; orthogonal: each H×H block of W_hh orthogonal (rest as pytorch).',
});
const gain = real({
  min: 0,
  max: 8,
  default: 1,
  description: 'W_hh is multiplied by gain after init: the knob between vanishing and exploding.',
});
const forgetBias = real({
  min: -10,
  max: 10,
  default: 0,
  description:
    'Added to the forget-gate block of b_ih (LSTM only; other cells ignore it and say so in warnings).',
});
const nonlinearity = choice(['tanh', 'relu'], {
  default: 'tanh',
  description: 'RNN activation (other cells ignore it and say so in warnings).',
});
const loss = choice(['last', 'all'], {
  default: 'last',
  description: 'last: L = ½(y_T − y*_T)²; all: L = Σ_t ½(y_t − y*_t)².',
});
const include = optionalChoice(['weights'], {
  description:
    'weights: also return the weights, inputs and targets (PyTorch layout) to reproduce the response elsewhere.',
});

const modelParams = {
  seq_len: seqLen,
  hidden_size: hiddenSize,
  input_size: inputSize,
  seed,
  init,
  gain,
  forget_bias: forgetBias,
  nonlinearity,
  loss,
};

const oneCell = choice(CELLS, { default: 'lstm', description: 'The recurrent cell.' });

export const gradientsQuery = defineQuery({
  cells: list(CELLS, {
    default: ['rnn', 'lstm'],
    description: 'Comma list of distinct cells from rnn, lstm, gru; results come in that order.',
  }),
  ...modelParams,
  include,
});

export const jacobianQuery = defineQuery({ cell: oneCell, ...modelParams });

export const traceQuery = defineQuery({ cell: oneCell, ...modelParams, include });

/**
 * Limits of /train (the budget, BUDGET_TRAIN_MACS, bounds their product). The defaults are a
 * request every cell can make within the default budget (lstm, the dearest: 38M of 60M), so a
 * bare /train answers 200.
 */
export const TRAIN_LIMITS = {
  seqLen: { min: 2, max: 1000, default: 10 },
  hiddenSize: { min: 1, max: 64, default: 8 },
  steps: { min: 1, max: 10000, default: 100 },
  batchSize: { min: 1, max: 256, default: 4 },
} as const;

export const trainQuery = defineQuery({
  cell: oneCell,
  task: choice(['adding'], {
    default: 'adding',
    description:
      'adding: the adding problem (Hochreiter & Schmidhuber 1997); its input size is 2 (value, marker).',
  }),
  seq_len: integer({
    ...TRAIN_LIMITS.seqLen,
    description: 'T, the sequence length of the task (the adding problem needs at least 2).',
  }),
  hidden_size: integer({ ...TRAIN_LIMITS.hiddenSize, description: 'H, the hidden size.' }),
  seed,
  init,
  gain,
  forget_bias: forgetBias,
  nonlinearity,
  steps: integer({ ...TRAIN_LIMITS.steps, description: 'Training steps (minibatches).' }),
  batch_size: integer({ ...TRAIN_LIMITS.batchSize, description: 'Sequences per minibatch.' }),
  lr: positive({ above: 0, max: 10, default: 0.05, description: 'Learning rate.' }),
  optimizer: choice(['sgd', 'adam'], {
    default: 'adam',
    description: 'sgd: torch.optim.SGD (no momentum); adam: torch.optim.Adam (default betas, eps 1e-8).',
  }),
  clip: optionalPositive({
    above: 0,
    max: 1000,
    example: 1,
    description:
      'Global-norm gradient clipping threshold (torch.nn.utils.clip_grad_norm_); leave out for none.',
  }),
});

export const paramsQuery = defineQuery({ hidden_size: hiddenSize, input_size: inputSize });

// ---- response bodies -----------------------------------------------------------------------

const finite = z.number().nullable().openapi({ description: 'null where not finite (see warnings)' });
const series = z
  .array(finite)
  .openapi({ description: 'One entry per time step: index k is t = k + 1.' });
const matrix = z.array(z.array(finite)).openapi({ description: 'Nested rows, row-major.' });

const common = {
  model_version: z.string().openapi({ description: 'Changes whenever any returned number changes.' }),
  warnings: z
    .array(z.string())
    .openapi({ description: 'Why a value is null, or which parameter was ignored; empty when all is well.' }),
};

export const WeightsSchema = z
  .object({
    W_ih: matrix.openapi({ description: '(G·H) × D, gate blocks in PyTorch order.' }),
    W_hh: matrix.openapi({ description: '(G·H) × H.' }),
    b_ih: z.array(finite).openapi({ description: 'G·H.' }),
    b_hh: z.array(finite).openapi({ description: 'G·H.' }),
    w_y: z.array(finite).openapi({ description: 'H, the readout weight (torch.nn.Linear(H, 1).weight[0]).' }),
    b_y: finite,
  })
  .openapi('Weights');

const reproduction = {
  inputs: matrix.optional().openapi({ description: 'With include=weights: x, T × D.' }),
  targets: series.optional().openapi({ description: 'With include=weights: y*, T.' }),
};

const rnnGradients = z.object({
  loss: finite,
  log10_grad_h: series.openapi({ description: 'log10 ‖∂L/∂h_t‖₂, total derivative.' }),
  log10_grad_x: series.openapi({ description: 'log10 ‖∂L/∂x_t‖₂.' }),
  param_count: z.number().int(),
  diagnostics: z.object({
    sigma_max_w_hh: finite.openapi({ description: 'Largest singular value of W_hh.' }),
  }),
  weights: WeightsSchema.optional(),
});

const lstmGradients = z.object({
  loss: finite,
  log10_grad_h: series.openapi({ description: 'log10 ‖∂L/∂h_t‖₂, total derivative.' }),
  log10_grad_c: series.openapi({ description: 'log10 ‖∂L/∂c_t‖₂, total derivative.' }),
  log10_grad_x: series.openapi({ description: 'log10 ‖∂L/∂x_t‖₂.' }),
  param_count: z.number().int(),
  diagnostics: z.object({
    sigma_max_w_hh: finite.openapi({ description: 'Largest singular value of W_hh (4H × H).' }),
    mean_forget_gate: finite.openapi({ description: 'Mean of f_t[j] over every t and j.' }),
  }),
  weights: WeightsSchema.optional(),
});

export const GradientsResponseSchema = z
  .object({
    config: gradientsQuery.config,
    ...common,
    results: z.object({
      rnn: rnnGradients.optional(),
      lstm: lstmGradients.optional(),
      gru: rnnGradients.optional(),
    }),
    ...reproduction,
  })
  .openapi('GradientsResponse');

export const JacobianResponseSchema = z
  .object({
    config: jacobianQuery.config,
    ...common,
    result: z.object({
      log10_jacobian_norm: series.openapi({
        description: 'log10 of the spectral norm of ∂s_T/∂s_t (s = h; [h; c] for lstm).',
      }),
      log10_bound: series.optional().openapi({
        description: 'rnn only: (T−t)·log10(γ·σ_max(W_hh)), γ = 1 (Pascanu et al. 2013).',
      }),
      log10_cell_path: series.optional().openapi({
        description: 'lstm only: log10 max_j ∏_{k=t+1..T} f_k[j].',
      }),
      sigma_max_w_hh: finite,
    }),
  })
  .openapi('JacobianResponse');

export const TraceResponseSchema = z
  .object({
    config: traceQuery.config,
    ...common,
    result: z.object({
      loss: finite,
      h: matrix.openapi({ description: 'h_t, T × H.' }),
      y: series.openapi({ description: 'y_t = w_y · h_t + b_y.' }),
      c: matrix.optional().openapi({ description: 'lstm only: c_t, T × H.' }),
      gates: z
        .object({ i: matrix, f: matrix, g: matrix, o: matrix, r: matrix, z: matrix, n: matrix })
        .partial()
        .openapi({ description: 'lstm: i, f, g, o; gru: r, z, n; rnn: none. Each T × H.' }),
      weights: WeightsSchema.optional(),
    }),
    ...reproduction,
  })
  .openapi('TraceResponse');

export const TrainResponseSchema = z
  .object({
    config: trainQuery.config,
    ...common,
    result: z.object({
      loss: z.array(finite).openapi({ description: 'Minibatch loss per training step, before its update.' }),
      grad_norm: z
        .array(finite)
        .openapi({ description: 'Global L2 norm of all parameter gradients per step, before clipping.' }),
      clipped: z.array(z.boolean()).openapi({ description: 'Whether clipping scaled that step.' }),
      test_error: finite.openapi({ description: 'Mean squared error on the fixed test set after training.' }),
      test_accuracy: finite.openapi({ description: 'Fraction of test sequences with |error| < 0.04.' }),
      baseline_error: finite.openapi({ description: "The trivial baseline's mean squared error." }),
      baseline: z.string().openapi({ description: 'What the trivial baseline predicts.' }),
    }),
  })
  .openapi('TrainResponse');

export const TrainProgressSchema = z
  .object({
    step: z.number().int().openapi({ description: 'Steps completed so far.' }),
    steps: z.number().int(),
    loss: finite,
    grad_norm: finite,
  })
  .openapi('TrainProgress', {
    description: 'Data of each `event: progress` of the text/event-stream answer of /train.',
  });

const cellCost = z.object({
  param_count: z.number().int().openapi({ description: 'Parameters of the recurrent layer, as torch.nn counts them.' }),
  formula: z.string(),
  macs_per_step: z.number().int().openapi({ description: 'Multiply-adds of one forward step.' }),
});

export const ParamsResponseSchema = z
  .object({
    config: paramsQuery.config,
    ...common,
    results: z.object({ rnn: cellCost, lstm: cellCost, gru: cellCost }),
  })
  .openapi('ParamsResponse');

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ description: 'URI of the problem kind.' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z
      .array(z.object({ param: z.string(), message: z.string() }))
      .optional()
      .openapi({ description: 'Every offending query parameter (400).' }),
    cost: z.number().optional().openapi({ description: 'Multiply-adds the request would need (422).' }),
    budget: z.number().optional().openapi({ description: 'The budget it exceeds (422).' }),
    budget_var: z.string().optional().openapi({ description: 'The [vars] entry that sets the budget (422).' }),
  })
  .openapi('Problem');

export type GradientsQuery = z.output<typeof gradientsQuery.query>;
export type JacobianQuery = z.output<typeof jacobianQuery.query>;
export type TraceQuery = z.output<typeof traceQuery.query>;
export type TrainQuery = z.output<typeof trainQuery.query>;
export type ParamsQuery = z.output<typeof paramsQuery.query>;

export type GradientsConfig = z.infer<typeof gradientsQuery.config>;
export type JacobianConfig = z.infer<typeof jacobianQuery.config>;
export type TraceConfig = z.infer<typeof traceQuery.config>;
export type TrainConfigBody = z.infer<typeof trainQuery.config>;
export type ParamsConfig = z.infer<typeof paramsQuery.config>;

export type Weights = z.infer<typeof WeightsSchema>;
export type GradientsResponse = z.infer<typeof GradientsResponseSchema>;
export type JacobianResponse = z.infer<typeof JacobianResponseSchema>;
export type TraceResponse = z.infer<typeof TraceResponseSchema>;
export type TrainResponse = z.infer<typeof TrainResponseSchema>;
export type TrainProgressEvent = z.infer<typeof TrainProgressSchema>;
export type ParamsResponse = z.infer<typeof ParamsResponseSchema>;
export type Problem = z.infer<typeof ProblemSchema>;
