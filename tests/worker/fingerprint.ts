// A fingerprint of the core's exact output bits for a fixed set of configurations, computed the
// same way in Node (global-setup.ts) and inside workerd (cross-runtime.test.ts).
import { computeGradients } from '../../worker/src/core/gradients.ts';
import { computeJacobian } from '../../worker/src/core/jacobian.ts';
import { computeTrace } from '../../worker/src/core/trace.ts';
import { trainToEnd } from '../../worker/src/core/train.ts';
import type { ModelConfig, TrainConfig } from '../../worker/src/core/types.ts';

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

/** The outputs the fingerprint covers, each as one exact string, by label. */
export function coreOutputs(): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const cell of ['rnn', 'lstm', 'gru'] as const) {
    const cfg = { ...MODEL, cell };
    outputs[`gradients/${cell}`] = exactJson(computeGradients(cfg));
    outputs[`jacobian/${cell}`] = exactJson(computeJacobian(cfg));
    outputs[`trace/${cell}`] = exactJson(computeTrace(cfg));
  }
  outputs['gradients/rnn-relu'] = exactJson(computeGradients({ ...MODEL, cell: 'rnn', nonlinearity: 'relu', gain: 0.5 }));
  outputs['train/lstm'] = exactJson(trainToEnd(TRAIN));
  return outputs;
}

export async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return hex(new Uint8Array(digest));
}

/** SHA-256 of each output, by label (so a mismatch says which computation differs). */
export async function coreFingerprint(): Promise<Record<string, string>> {
  const fingerprint: Record<string, string> = {};
  for (const [label, text] of Object.entries(coreOutputs())) fingerprint[label] = await sha256(text);
  return fingerprint;
}
