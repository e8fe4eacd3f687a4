// GET /api/v1/jacobian, /trace and /params inside workerd: shape, the core's exact numbers,
// limits and budgets.
import { describe, expect, it } from 'vitest';
import { macsPerStep, paramCount } from '../../worker/src/core/cost.ts';
import { buildModel } from '../../worker/src/core/init.ts';
import { computeJacobian } from '../../worker/src/core/jacobian.ts';
import { computeTrace } from '../../worker/src/core/trace.ts';
import type { CellKind, ModelConfig } from '../../worker/src/core/types.ts';
import { jacobianCost, traceCost } from '../../worker/src/limits.ts';
import type { JacobianResponse, ParamsResponse, TraceResponse } from '../../worker/src/schemas.ts';
import { budget, invalid, json, jsonOf, nested, problem } from './helpers.ts';

const BASE: Omit<ModelConfig, 'cell'> = {
  T: 25,
  H: 6,
  D: 3,
  seed: 11,
  init: 'pytorch',
  gain: 1.3,
  forgetBias: 0,
  nonlinearity: 'tanh',
  loss: 'last',
};
const BASE_QUERY = 'seq_len=25&hidden_size=6&input_size=3&seed=11&gain=1.3';

/** The largest seq_len whose cost fits the budget at the given sizes (the search, not the assertion). */
function largestWithin(cost: (T: number) => number, limit: number): number {
  let T = 1;
  while (T < 1000 && cost(T + 1) <= limit) T++;
  return T;
}

describe('/api/v1/jacobian', () => {
  it('defaults to lstm and returns the core numbers for each cell', async () => {
    const defaults = await json<JacobianResponse>('/api/v1/jacobian?seq_len=5');
    expect(defaults.config.cell).toBe('lstm');
    for (const cell of ['rnn', 'lstm', 'gru'] as const) {
      const body = await json<JacobianResponse>(`/api/v1/jacobian?cell=${cell}&${BASE_QUERY}`);
      const core = computeJacobian({ ...BASE, cell });
      expect(JSON.stringify(body.result.log10_jacobian_norm)).toBe(jsonOf(core.log10JacobianNorm));
      expect(body.result.sigma_max_w_hh).toBe(core.sigmaMaxWhh);
      expect(body.result.log10_bound === undefined ? null : JSON.stringify(body.result.log10_bound)).toBe(
        core.log10Bound && jsonOf(core.log10Bound),
      );
      expect(body.result.log10_cell_path === undefined ? null : JSON.stringify(body.result.log10_cell_path)).toBe(
        core.log10CellPath && jsonOf(core.log10CellPath),
      );
    }
  });

  it('says that loss does not change the Jacobian', async () => {
    const body = await json<JacobianResponse>('/api/v1/jacobian?seq_len=5&loss=all');
    expect(body.warnings).toEqual(['loss=all is ignored: the Jacobian does not depend on the loss']);
  });

  it('holds its limits and its budget', async () => {
    await json('/api/v1/jacobian?cell=rnn&seq_len=1000&hidden_size=4');
    await invalid('/api/v1/jacobian?seq_len=1001', ['seq_len']);
    await invalid('/api/v1/jacobian?hidden_size=65&cell=rnn', ['hidden_size']);
    const limit = budget('BUDGET_MACS');
    const size = { cell: 'lstm' as CellKind, hidden_size: 64, input_size: 16 };
    const T = largestWithin((t) => jacobianCost({ ...size, seq_len: t }), limit);
    expect(T).toBeLessThan(1000);
    await json(`/api/v1/jacobian?cell=lstm&hidden_size=64&input_size=16&seq_len=${T}`);
    const over = await problem(`/api/v1/jacobian?cell=lstm&hidden_size=64&input_size=16&seq_len=${T + 1}`, 422);
    expect(over.cost).toBeGreaterThan(limit);
    expect(over.budget).toBe(limit);
  });
});

describe('/api/v1/trace', () => {
  it('returns the forward pass of the core for each cell', async () => {
    for (const cell of ['rnn', 'lstm', 'gru'] as const) {
      const body = await json<TraceResponse>(`/api/v1/trace?cell=${cell}&${BASE_QUERY}`);
      const core = computeTrace({ ...BASE, cell });
      expect(body.result.h).toEqual(nested(core.h, BASE.H));
      expect(body.result.h).toHaveLength(BASE.T);
      expect(JSON.stringify(body.result.y)).toBe(jsonOf(core.y));
      expect(body.result.loss).toBe(core.loss);
      expect(body.result.c).toEqual(core.c ? nested(core.c, BASE.H) : undefined);
      expect(Object.keys(body.result.gates)).toEqual(Object.keys(core.gates));
      for (const [name, values] of Object.entries(core.gates)) {
        expect(body.result.gates[name as keyof typeof body.result.gates]).toEqual(nested(values, BASE.H));
      }
    }
  });

  it('names the gates in PyTorch order and includes weights on request', async () => {
    const lstm = await json<TraceResponse>('/api/v1/trace?cell=lstm&seq_len=3&hidden_size=2&include=weights');
    expect(Object.keys(lstm.result.gates)).toEqual(['i', 'f', 'g', 'o']);
    const { params, seq } = buildModel({ ...BASE, cell: 'lstm', T: 3, H: 2, D: 4, seed: 42, gain: 1 });
    expect(lstm.result.weights?.W_hh).toEqual(nested(params.wHh, 2));
    expect(lstm.inputs).toEqual(nested(seq.x, 4));
    const gru = await json<TraceResponse>('/api/v1/trace?cell=gru&seq_len=3&hidden_size=2');
    expect(Object.keys(gru.result.gates)).toEqual(['r', 'z', 'n']);
    const rnn = await json<TraceResponse>('/api/v1/trace?cell=rnn&seq_len=3&hidden_size=2');
    expect(rnn.result.gates).toEqual({});
    expect(rnn.result.c).toBeUndefined();
  });

  it('charges the size of the body against the budget', async () => {
    const limit = budget('BUDGET_MACS');
    const T = largestWithin((t) => traceCost({ cell: 'lstm', seq_len: t, hidden_size: 64, input_size: 16 }), limit);
    expect(T, 'a 1000 × 64 lstm trace is megabytes of JSON').toBeLessThan(1000);
    await json(`/api/v1/trace?cell=lstm&hidden_size=64&input_size=16&seq_len=${T}`);
    await problem(`/api/v1/trace?cell=lstm&hidden_size=64&input_size=16&seq_len=${T + 1}`, 422);
  });
});

describe('/api/v1/params', () => {
  it('counts parameters like torch.nn and multiply-adds per step', async () => {
    const body = await json<ParamsResponse>('/api/v1/params?hidden_size=20&input_size=10');
    // torch.nn.RNN(10, 20): 20·10 + 20·20 + 20 + 20 = 640; LSTM 4×, GRU 3×.
    expect(body.results.rnn.param_count).toBe(640);
    expect(body.results.lstm.param_count).toBe(2560);
    expect(body.results.gru.param_count).toBe(1920);
    expect(body.results.lstm.param_count).toBe(paramCount('lstm', 20, 10));
    expect(body.results.gru.macs_per_step).toBe(macsPerStep('gru', 20, 10));
    expect(body.results.rnn.formula).toMatch(/H/);
    expect(body.config).toEqual({ hidden_size: 20, input_size: 10 });
  });

  it('holds its limits', async () => {
    await json('/api/v1/params?hidden_size=64&input_size=16');
    await json('/api/v1/params?hidden_size=1&input_size=1');
    await invalid('/api/v1/params?hidden_size=65&input_size=0', ['hidden_size', 'input_size']);
  });
});

// A caller's first request is often the bare URL: every endpoint's defaults must be a request it
// answers, within the default budgets.
describe('every endpoint with all its defaults', () => {
  for (const path of ['gradients', 'jacobian', 'trace', 'train', 'params']) {
    it(`/api/v1/${path} answers 200 with its defaults filled in`, async () => {
      const body = await json<{ config: Record<string, unknown> }>(`/api/v1/${path}`);
      expect(Object.keys(body.config).length).toBeGreaterThan(1);
    });
  }
});
