// model_version must change whenever any number the API returns changes. This pins a fingerprint
// (SHA-256 over the bodies of a fixed set of queries, every endpoint and cell) per model_version:
// change a kernel, the generator, a draw order or a default, and this fails until MODEL_VERSION
// in worker/src/version.ts is bumped, a line is added here, and CHANGELOG.md says what changed.
import { describe, expect, it } from 'vitest';
import { MODEL_VERSION } from '../../worker/src/version.ts';
import { get } from './helpers.ts';

// Each over the queries below as they were in that version (1.1.0 added the bare URLs and the 422s).
const FINGERPRINTS: Record<string, string> = {
  '1.0.0': 'e70498afd558f9dc6420b8ee072bb33da46e6dd49879de94ab24650b078dff6d',
  '1.1.0': '5d681a97c84b9f92f959036b1e764b5e75ecaf23635aabd0eb88ff9b5b9cb591',
};

const QUERIES = [
  // every endpoint's bare URL: its defaults are numbers a query returns too
  '/api/v1/gradients',
  '/api/v1/jacobian',
  '/api/v1/trace',
  '/api/v1/train',
  '/api/v1/params',
  '/api/v1/gradients?cells=rnn,lstm,gru&seq_len=60&hidden_size=8&gain=1.3&seed=7&include=weights',
  '/api/v1/gradients?cells=rnn&nonlinearity=relu&loss=all&init=orthogonal&seq_len=40',
  '/api/v1/gradients?cells=lstm&forget_bias=2&seq_len=80&hidden_size=12',
  '/api/v1/jacobian?cell=rnn&seq_len=30&hidden_size=8&gain=0.9',
  '/api/v1/jacobian?cell=lstm&seq_len=12&hidden_size=4&forget_bias=1',
  '/api/v1/jacobian?cell=gru&seq_len=12&hidden_size=4',
  '/api/v1/trace?cell=lstm&seq_len=10&hidden_size=4',
  '/api/v1/trace?cell=gru&seq_len=10&hidden_size=4&include=weights',
  '/api/v1/train?cell=lstm&seq_len=8&hidden_size=4&steps=20&batch_size=4',
  '/api/v1/train?cell=rnn&seq_len=8&hidden_size=4&steps=20&batch_size=4&optimizer=sgd&lr=0.1&clip=0.5',
  '/api/v1/params?hidden_size=24&input_size=3',
];

/** Over budget: the cost a 422 reports is a number a query returns as well. */
const OVER_BUDGET = ['/api/v1/gradients?cells=rnn,lstm,gru&seq_len=1000&hidden_size=64', '/api/v1/train?steps=10000'];

async function fingerprint(): Promise<{ hash: string; versions: Set<string> }> {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  const versions = new Set<string>();
  for (const query of QUERIES) {
    const res = await get(query);
    const text = await res.text();
    expect(res.status, `${query}: ${text}`).toBe(200);
    versions.add((JSON.parse(text) as { model_version: string }).model_version);
    parts.push(encoder.encode(`${query}\n${text}\n`));
  }
  for (const query of OVER_BUDGET) {
    const res = await get(query);
    const text = await res.text();
    expect(res.status, `${query}: ${text}`).toBe(422);
    parts.push(encoder.encode(`${query}\n${text}\n`));
  }
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length;
  }
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', all));
  return { hash: Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join(''), versions };
}

describe('model_version', () => {
  it('is what every response reports', async () => {
    const { versions } = await fingerprint();
    expect([...versions]).toEqual([MODEL_VERSION]);
  });

  it('changes whenever the numbers change', async () => {
    const { hash } = await fingerprint();
    expect(
      FINGERPRINTS[MODEL_VERSION],
      `no fingerprint recorded for model_version ${MODEL_VERSION}; the responses hash to ${hash}`,
    ).toBeDefined();
    expect(
      hash,
      `the responses changed but model_version is still ${MODEL_VERSION}: bump it in worker/src/version.ts, ` +
        `record '${hash}' here under the new version and describe the change in CHANGELOG.md`,
    ).toBe(FINGERPRINTS[MODEL_VERSION]);
  });
});
