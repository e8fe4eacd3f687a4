// The /trace computation for one cell: the forward pass's states, gates and readout.
// T = steps, H = hidden.
import { forward } from './cells.ts';
import { buildModel } from './init.ts';
import { lossAndDy } from './readout.ts';
import type { ModelConfig, TraceResult } from './types.ts';

export function computeTrace(cfg: ModelConfig): TraceResult {
  const { params, seq } = buildModel(cfg);
  const cache = forward(params, seq, cfg.nonlinearity);
  const { loss } = lossAndDy(cache.y, seq.target, cfg.loss);
  switch (cache.cell) {
    case 'rnn':
      return { cell: 'rnn', loss, h: cache.h, y: cache.y, c: null, gates: {} };
    case 'lstm': {
      const { i, f, g, o } = cache;
      return { cell: 'lstm', loss, h: cache.h, y: cache.y, c: cache.c, gates: { i, f, g, o } };
    }
    case 'gru': {
      const { r, z, n } = cache;
      return { cell: 'gru', loss, h: cache.h, y: cache.y, c: null, gates: { r, z, n } };
    }
  }
}
