// The same core code gives the same bits in Node and in workerd: global-setup.ts computed the
// fingerprint in Node; here the same function runs inside workerd.
import { describe, expect, inject, it } from 'vitest';
import { coreFingerprint } from './fingerprint.ts';

describe('cross-runtime determinism', () => {
  it('computes a fingerprint in workerd identical to the one computed in Node', async () => {
    const node = inject('nodeCoreFingerprint');
    expect(Object.keys(node)).toHaveLength(11);
    for (const hash of Object.values(node)) expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await coreFingerprint()).toEqual(node);
  });
});
