// One entry point for the three cells: forward and BPTT dispatched on p.cell.
// T = steps, H = hidden, D = input.
import { gruBackward, gruForward } from './gru.ts';
import type { BackwardResult, Perturbation } from './kernel.ts';
import { lstmBackward, lstmForward } from './lstm.ts';
import { rnnBackward, rnnForward } from './rnn.ts';
import type { Cache, Nonlinearity, Params, Sequence } from './types.ts';

export type { BackwardResult, Perturbation } from './kernel.ts';

/** Forward pass of p.cell over seq; act is used by the rnn only. */
export function forward(p: Params, seq: Sequence, act: Nonlinearity, perturb?: Perturbation): Cache {
  switch (p.cell) {
    case 'rnn':
      return rnnForward(p, seq, act, perturb);
    case 'lstm':
      return lstmForward(p, seq, perturb);
    case 'gru':
      return gruForward(p, seq, perturb);
  }
}

/** BPTT for the cache forward() returned; dY (T) = ∂L/∂y_t (see readout.ts lossAndDy). */
export function backward(
  p: Params,
  seq: Sequence,
  cache: Cache,
  act: Nonlinearity,
  dY: Float64Array,
): BackwardResult {
  if (cache.cell !== p.cell) throw new Error(`cache of a ${cache.cell} given for a ${p.cell}`);
  switch (cache.cell) {
    case 'rnn':
      return rnnBackward(p, seq, cache, act, dY);
    case 'lstm':
      return lstmBackward(p, seq, cache, dY);
    case 'gru':
      return gruBackward(p, seq, cache, dY);
  }
}
