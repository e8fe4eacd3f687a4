// A fingerprint of the core's exact output bits for a fixed set of configurations, computed the
// same way in Node (global-setup.ts) and inside workerd (cross-runtime.test.ts).
import { computeGradients } from '../../worker/src/core/gradients.ts';
import { computeJacobian } from '../../worker/src/core/jacobian.ts';
import { computeTrace } from '../../worker/src/core/trace.ts';
import { trainToEnd } from '../../worker/src/core/train.ts';
import type { CellKind, ModelConfig, TrainConfig } from '../../worker/src/core/types.ts';

const MODEL: Omit<ModelConfig, 'cell'> = {
  T: 40,
  H: 8,
  D: 3,
  seed: 7,
  init: 'orthogonal',
  gain: 1.5,
  forgetBias: 1,
  nonlinearity: 'tanh',
  loss: 'all',
};

const TRAIN: TrainConfig = {
  cell: 'lstm',
  task: 'adding',
  T: 8,
  H: 4,
  seed: 3,
  init: 'pytorch',
  gain: 1,
  forgetBias: 1,
  nonlinearity: 'tanh',
  steps: 5,
  batchSize: 3,
  lr: 0.01,
  optimizer: 'adam',
  clip: 1,
};

function hex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** Typed arrays as the hex of their bytes (every bit counts); other values as JSON does. */
function exactJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (ArrayBuffer.isView(v)) return hex(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    if (typeof v === 'number') return hex(new Uint8Array(new Float64Array([v]).buffer));
    return v;
  });
}

/** The outputs the fingerprint covers, as one exact string. */
export function coreOutputs(): string {
  const cells: CellKind[] = ['rnn', 'lstm', 'gru'];
  const parts: unknown[] = cells.flatMap((cell) => {
    const cfg = { ...MODEL, cell };
    return [computeGradients(cfg), computeJacobian(cfg), computeTrace(cfg)];
  });
  parts.push(computeGradients({ ...MODEL, cell: 'rnn', nonlinearity: 'relu', gain: 0.5 }));
  parts.push(trainToEnd(TRAIN));
  return parts.map(exactJson).join('\n');
}

export async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return hex(new Uint8Array(digest));
}

export async function coreFingerprint(): Promise<string> {
  return sha256(coreOutputs());
}
