// The /gradients computation for one cell: the seeded model, forward, loss, BPTT, diagnostics.
// T = steps, H = hidden, D = input, G = gate blocks.
import { backward, DEFAULT_KERNEL, forward, type KernelChoice } from './cells.ts';
import { paramCount } from './cost.ts';
import { buildModel } from './init.ts';
import { sigmaMax } from './linalg.ts';
import { lossAndDy } from './readout.ts';
import type { GradientsResult, ModelConfig } from './types.ts';

/** kernel: which implementation of forward and BPTT runs (both give the same bits). */
export function computeGradients(cfg: ModelConfig, kernel: KernelChoice = DEFAULT_KERNEL): GradientsResult {
  const { params, seq } = buildModel(cfg);
  const cache = forward(params, seq, cfg.nonlinearity, undefined, kernel);
  const { loss, dY } = lossAndDy(cache.y, seq.target, cfg.loss);
  const back = backward(params, seq, cache, cfg.nonlinearity, dY, kernel);
  let meanForgetGate: number | null = null;
  if (cache.cell === 'lstm') {
    let sum = 0;
    for (let k = 0; k < cache.f.length; k++) sum += cache.f[k];
    meanForgetGate = sum / cache.f.length;
  }
  return {
    cell: cfg.cell,
    loss,
    log10GradH: back.log10GradH,
    log10GradC: back.log10GradC,
    log10GradX: back.log10GradX,
    paramCount: paramCount(cfg.cell, cfg.H, cfg.D),
    sigmaMaxWhh: sigmaMax(params.wHh, params.G * params.H, params.H),
    meanForgetGate,
    grads: back.grads,
  };
}
