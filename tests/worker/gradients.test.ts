// GET /api/v1/gradients inside workerd: shape, the core's exact numbers, include=weights, bad
// input, the contract's limits and the compute budget.
import { describe, expect, it } from 'vitest';
import { computeGradients } from '../../worker/src/core/gradients.ts';
import { buildModel } from '../../worker/src/core/init.ts';
import type { CellKind, ModelConfig } from '../../worker/src/core/types.ts';
import { gradientsCost } from '../../worker/src/limits.ts';
import type { GradientsResponse } from '../../worker/src/schemas.ts';
import { budget, invalid, json, jsonOf, nested, problem } from './helpers.ts';

const DEFAULTS: Omit<ModelConfig, 'cell'> = {
  T: 50,
  H: 16,
  D: 4,
  seed: 42,
  init: 'pytorch',
  gain: 1,
  forgetBias: 0,
  nonlinearity: 'tanh',
  loss: 'last',
};

describe('/api/v1/gradients', () => {
  it('answers the defaults with rnn and lstm, the full config and no warnings', async () => {
    const body = await json<GradientsResponse>('/api/v1/gradients');
    expect(body.config).toEqual({
      cells: ['rnn', 'lstm'],
      seq_len: 50,
      hidden_size: 16,
      input_size: 4,
      seed: 42,
      init: 'pytorch',
      gain: 1,
      forget_bias: 0,
      nonlinearity: 'tanh',
      loss: 'last',
      include: null,
    });
    expect(Object.keys(body)).toEqual(['config', 'model_version', 'warnings', 'results']);
    expect(body.model_version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(body.warnings).toEqual([]);
    expect(Object.keys(body.results)).toEqual(['rnn', 'lstm']);
    expect(body.results.rnn?.log10_grad_h).toHaveLength(50);
    expect(body.results.lstm?.log10_grad_c).toHaveLength(50);
    expect(body.results.lstm?.diagnostics.mean_forget_gate).toBeGreaterThan(0);
  });

  it('returns exactly the numbers of the core, for every cell', async () => {
    const query = 'cells=gru,lstm,rnn&seq_len=30&hidden_size=5&input_size=3&seed=9&gain=1.5&loss=all&init=orthogonal&forget_bias=1';
    const body = await json<GradientsResponse>(`/api/v1/gradients?${query}`);
    expect(Object.keys(body.results)).toEqual(['rnn', 'lstm', 'gru']);
    const cfg = { ...DEFAULTS, T: 30, H: 5, D: 3, seed: 9, gain: 1.5, loss: 'all', init: 'orthogonal', forgetBias: 1 } as const;
    for (const cell of ['rnn', 'lstm', 'gru'] as const) {
      const core = computeGradients({ ...cfg, cell });
      const api = body.results[cell]!;
      expect(JSON.stringify(api.log10_grad_h)).toBe(jsonOf(core.log10GradH));
      expect(JSON.stringify(api.log10_grad_x)).toBe(jsonOf(core.log10GradX));
      expect(api.loss).toBe(core.loss);
      expect(api.param_count).toBe(core.paramCount);
      expect(api.diagnostics.sigma_max_w_hh).toBe(core.sigmaMaxWhh);
    }
    const lstm = computeGradients({ ...cfg, cell: 'lstm' });
    expect(JSON.stringify(body.results.lstm?.log10_grad_c)).toBe(jsonOf(lstm.log10GradC));
    expect(body.results.lstm?.diagnostics.mean_forget_gate).toBe(lstm.meanForgetGate);
  });

  it('include=weights returns the weights, inputs and targets in PyTorch layout', async () => {
    const body = await json<GradientsResponse>('/api/v1/gradients?cells=lstm&seq_len=6&hidden_size=3&input_size=2&include=weights');
    const { params, seq } = buildModel({ ...DEFAULTS, cell: 'lstm', T: 6, H: 3, D: 2 });
    const w = body.results.lstm!.weights!;
    expect(w.W_ih).toEqual(nested(params.wIh, 2));
    expect(w.W_ih).toHaveLength(12); // 4H rows, blocks [i|f|g|o]
    expect(w.W_hh).toEqual(nested(params.wHh, 3));
    expect(w.b_ih).toEqual(Array.from(params.bIh));
    expect(w.b_hh).toEqual(Array.from(params.bHh));
    expect(w.w_y).toEqual(Array.from(params.wY));
    expect(w.b_y).toBe(params.bY);
    expect(body.inputs).toEqual(nested(seq.x, 2));
    expect(body.targets).toEqual(Array.from(seq.target));
    expect(body.config.include).toBe('weights');
  });

  it('turns an exactly zero gradient into null and says where in warnings', async () => {
    // gain=0 makes W_hh = 0, so with loss=last nothing before step T reaches the loss.
    const body = await json<GradientsResponse>('/api/v1/gradients?cells=rnn&gain=0&seq_len=5');
    const core = computeGradients({ ...DEFAULTS, cell: 'rnn', T: 5, gain: 0 });
    expect(Array.from(core.log10GradH.slice(0, 4))).toEqual([-Infinity, -Infinity, -Infinity, -Infinity]);
    expect(body.results.rnn?.log10_grad_h.slice(0, 4)).toEqual([null, null, null, null]);
    expect(body.results.rnn?.log10_grad_h[4]).toBe(core.log10GradH[4]);
    expect(body.warnings).toContainEqual(expect.stringMatching(/results\.rnn\.log10_grad_h is null at t = 1\.\.4/));
    expect(body.warnings).toContainEqual(expect.stringMatching(/results\.rnn\.log10_grad_x is null at t = 1\.\.4/));
  });

  it('warns that forget_bias and nonlinearity are ignored where they do not apply', async () => {
    const body = await json<GradientsResponse>('/api/v1/gradients?cells=rnn,lstm,gru&forget_bias=2&nonlinearity=relu&seq_len=5');
    expect(body.config.forget_bias).toBe(2);
    expect(body.warnings).toEqual([
      'forget_bias=2 is ignored for rnn: it applies to lstm only',
      'nonlinearity=relu is ignored for lstm: it applies to rnn only',
      'forget_bias=2 is ignored for gru: it applies to lstm only',
      'nonlinearity=relu is ignored for gru: it applies to rnn only',
    ]);
  });

  it('refuses bad cells lists', async () => {
    await invalid('/api/v1/gradients?cells=rnn,rnn', ['cells']);
    await invalid('/api/v1/gradients?cells=rnn,transformer', ['cells']);
    await invalid('/api/v1/gradients?cells=rnn,', ['cells']);
    await invalid('/api/v1/gradients?cells=RNN', ['cells']);
    await invalid('/api/v1/gradients?cell=rnn', ['cell']);
    await invalid('/api/v1/gradients?include=everything', ['include']);
  });

  it('holds the limits of the contract: the extremes pass, one step beyond is 400', async () => {
    const ok = [
      'seq_len=1&cells=rnn',
      'seq_len=1000&cells=rnn&hidden_size=4',
      'hidden_size=1',
      'hidden_size=64&seq_len=10',
      'input_size=1',
      'input_size=16',
      'seed=0',
      'seed=4294967295',
      'gain=0',
      'gain=8',
      'forget_bias=-10',
      'forget_bias=10',
    ];
    for (const query of ok) await json(`/api/v1/gradients?${query}`);
    const bad: [string, string][] = [
      ['seq_len=0', 'seq_len'],
      ['seq_len=1001', 'seq_len'],
      ['hidden_size=0', 'hidden_size'],
      ['hidden_size=65', 'hidden_size'],
      ['input_size=0', 'input_size'],
      ['input_size=17', 'input_size'],
      ['seed=-1', 'seed'],
      ['seed=4294967296', 'seed'],
      ['gain=-0.001', 'gain'],
      ['gain=8.001', 'gain'],
      ['forget_bias=-10.001', 'forget_bias'],
      ['forget_bias=10.001', 'forget_bias'],
    ];
    for (const [query, param] of bad) await invalid(`/api/v1/gradients?${query}`, [param]);
  });

  it('answers 422 with cost and budget just over the budget, 200 just under', async () => {
    const limit = budget('BUDGET_MACS');
    const size = { hidden_size: 64, input_size: 16, include: null, cells: ['rnn', 'lstm', 'gru'] as CellKind[] };
    let T = 1;
    while (T < 1000 && gradientsCost({ ...size, seq_len: T + 1 }) <= limit) T++;
    expect(T, 'the budget should bind below seq_len=1000 for all cells at the largest sizes').toBeLessThan(1000);
    const query = `cells=rnn,lstm,gru&hidden_size=64&input_size=16`;
    await json(`/api/v1/gradients?${query}&seq_len=${T}`);
    const over = await problem(`/api/v1/gradients?${query}&seq_len=${T + 1}`, 422);
    expect(over.budget).toBe(limit);
    expect(over.cost).toBeGreaterThan(limit);
    expect(over.budget_var).toBe('BUDGET_MACS');
  });
});
