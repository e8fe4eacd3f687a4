// One entry point for the three cells: forward and BPTT dispatched on p.cell, through either the
// plain kernels (rnn.ts, lstm.ts, gru.ts: one row at a time, easy to check against the equations)
// or the fused ones (*-fused.ts: packed, register-blocked, the weight gradients after the time
// loop). Both give the same bits (tests/core/fused.test.ts), so the choice only changes speed.
// An arena (arena.ts) lets the fused kernels reuse their buffers between calls (training); the
// plain kernels ignore it.
// T = steps, H = hidden, D = input.
import type { Arena } from './arena.ts';
import { gruBackward, gruForward } from './gru.ts';
import { gruBackwardFused, gruForwardFused } from './gru-fused.ts';
import type { BackwardResult, Perturbation } from './kernel.ts';
import { lstmBackward, lstmForward } from './lstm.ts';
import { lstmBackwardFused, lstmForwardFused } from './lstm-fused.ts';
import { rnnBackward, rnnForward } from './rnn.ts';
import { rnnBackwardFused, rnnForwardFused } from './rnn-fused.ts';
import type { Cache, Nonlinearity, Params, Sequence } from './types.ts';

export type { BackwardResult, Perturbation } from './kernel.ts';

/** 'reference': the plain kernels; 'fused': the optimised ones (the default). */
export type KernelChoice = 'reference' | 'fused';
export const DEFAULT_KERNEL: KernelChoice = 'fused';

/** Forward pass of p.cell over seq; act is used by the rnn only. */
export function forward(
  p: Params,
  seq: Sequence,
  act: Nonlinearity,
  perturb?: Perturbation,
  kernel: KernelChoice = DEFAULT_KERNEL,
  arena?: Arena,
): Cache {
  const fused = kernel === 'fused';
  switch (p.cell) {
    case 'rnn':
      return fused ? rnnForwardFused(p, seq, act, perturb, arena) : rnnForward(p, seq, act, perturb);
    case 'lstm':
      return fused ? lstmForwardFused(p, seq, perturb, arena) : lstmForward(p, seq, perturb);
    case 'gru':
      return fused ? gruForwardFused(p, seq, perturb, arena) : gruForward(p, seq, perturb);
  }
}

/** BPTT for the cache forward() returned; dY (T) = ∂L/∂y_t (see readout.ts lossAndDy). */
export function backward(
  p: Params,
  seq: Sequence,
  cache: Cache,
  act: Nonlinearity,
  dY: Float64Array,
  kernel: KernelChoice = DEFAULT_KERNEL,
  arena?: Arena,
): BackwardResult {
  if (cache.cell !== p.cell) throw new Error(`cache of a ${cache.cell} given for a ${p.cell}`);
  const fused = kernel === 'fused';
  switch (cache.cell) {
    case 'rnn':
      return fused ? rnnBackwardFused(p, seq, cache, act, dY, arena) : rnnBackward(p, seq, cache, act, dY);
    case 'lstm':
      return fused ? lstmBackwardFused(p, seq, cache, dY, arena) : lstmBackward(p, seq, cache, dY);
    case 'gru':
      return fused ? gruBackwardFused(p, seq, cache, dY, arena) : gruBackward(p, seq, cache, dY);
  }
}
