// Strict query parsing, on every endpoint: each class of bad input is a 400 problem that names
// every offending parameter; nothing is silently clamped or guessed.
import { describe, expect, it } from 'vitest';
import { editDistance, suggest } from '../../worker/src/query.ts';
import { invalid, json } from './helpers.ts';

/** Each endpoint with a valid base query and one numeric parameter of it. */
const ENDPOINTS = [
  { path: '/api/v1/gradients', base: 'seq_len=5', integer: 'hidden_size', number: 'gain' },
  { path: '/api/v1/jacobian', base: 'seq_len=5', integer: 'seed', number: 'forget_bias' },
  { path: '/api/v1/trace', base: 'seq_len=5', integer: 'input_size', number: 'gain' },
  { path: '/api/v1/train', base: 'steps=2&batch_size=2&seq_len=4', integer: 'steps', number: 'lr' },
  { path: '/api/v1/params', base: 'hidden_size=4', integer: 'input_size', number: null },
] as const;

describe('strict query parsing', () => {
  for (const { path, base, integer, number } of ENDPOINTS) {
    describe(path, () => {
      it('accepts its base query', async () => {
        await json(`${path}?${base}`);
      });

      it('refuses unknown, repeated and empty parameters', async () => {
        await invalid(`${path}?${base}&bogus=1`, ['bogus']);
        await invalid(`${path}?${base}&${integer}=3&${integer}=3`, [integer]);
        await invalid(`${path}?${base}&${integer}=`, [integer]);
        await invalid(`${path}?${base}&${integer}`, [integer]);
      });

      it('refuses non-numbers, NaN, Infinity, overflow and hex for an integer', async () => {
        for (const value of ['abc', 'NaN', 'Infinity', '-Infinity', '1e999', '0x10', '1_0', '3.5', '2e-1', ' 3', '١']) {
          await invalid(`${path}?${base}&${integer}=${encodeURIComponent(value)}`, [integer]);
        }
      });

      if (number) {
        it('refuses non-numbers, NaN, Infinity and overflow for a number', async () => {
          for (const value of ['abc', 'NaN', 'Infinity', '1e999', '-1e999', '0x1', '1,5', '1..2', 'e5']) {
            await invalid(`${path}?${base}&${number}=${encodeURIComponent(value)}`, [number]);
          }
        });
      }

      it('names every offending parameter at once', async () => {
        const body = await invalid(`${path}?${base}&${integer}=-5&whatever=2&whatever=3&x=`, [integer, 'whatever', 'x']);
        expect(body.detail).toContain(integer);
      });
    });
  }

  it('says "did you mean" for near misses and aliases', async () => {
    const body = await invalid('/api/v1/gradients?hidden=32', ['hidden']);
    expect(body.errors?.[0].message).toContain('did you mean hidden_size?');
    const cases: [string, string, string][] = [
      ['/api/v1/gradients', 'seqlen', 'seq_len'],
      ['/api/v1/gradients', 'cell', 'cells'],
      ['/api/v1/jacobian', 'cells', 'cell'],
      ['/api/v1/gradients', 'Hidden_Size', 'hidden_size'],
      ['/api/v1/gradients', 'T', 'seq_len'],
      ['/api/v1/train', 'learning_rate', 'lr'],
      ['/api/v1/train', 'optimiser', 'optimizer'],
      ['/api/v1/train', 'batchsize', 'batch_size'],
    ];
    for (const [path, name, wanted] of cases) {
      const problem = await invalid(`${path}?${name}=1`, [name]);
      expect(problem.errors?.[0].message).toContain(`did you mean ${wanted}?`);
    }
    const far = await invalid('/api/v1/gradients?zzzz=1', ['zzzz']);
    expect(far.errors?.[0].message).not.toContain('did you mean');
    expect(far.errors?.[0].message).toContain('seq_len');
  });

  it('explains that /train fixes input_size and loss', async () => {
    const body = await invalid('/api/v1/train?input_size=2&loss=last', ['input_size', 'loss']);
    expect(body.errors?.map((e) => e.message).join(' ')).toMatch(/fixed by the task/);
  });

  it('gives each endpoint exactly its own parameters', async () => {
    await invalid('/api/v1/jacobian?include=weights', ['include']);
    await invalid('/api/v1/params?seq_len=5', ['seq_len']);
    await invalid('/api/v1/params?cells=rnn', ['cells']);
    await invalid('/api/v1/train?cells=rnn', ['cells']);
    await invalid('/api/v1/gradients?steps=5', ['steps']);
    await invalid('/api/v1/openapi.json?x=1', ['x']);
  });

  it('refuses enumerations outside their values, case-sensitively', async () => {
    await invalid('/api/v1/gradients?init=xavier', ['init']);
    await invalid('/api/v1/gradients?nonlinearity=Tanh', ['nonlinearity']);
    await invalid('/api/v1/gradients?loss=first', ['loss']);
    await invalid('/api/v1/train?optimizer=rmsprop', ['optimizer']);
    await invalid('/api/v1/train?task=copy', ['task']);
    await invalid('/api/v1/jacobian?cell=transformer', ['cell']);
  });

  it('refuses very long values and caps the error list', async () => {
    await invalid(`/api/v1/gradients?gain=${'1'.repeat(65)}`, ['gain']);
    const many = Array.from({ length: 50 }, (_, k) => `p${k}=1`).join('&');
    const body = await invalid(`/api/v1/gradients?${many}`, [...Array.from({ length: 19 }, (_, k) => `p${k}`), '…']);
    expect(body.errors).toHaveLength(20);
  });

  it('explains a "+" that the URL turned into a space', async () => {
    const body = await invalid('/api/v1/gradients?forget_bias=+2', ['forget_bias']);
    expect(body.errors?.[0].message).toContain('%2B');
    await json('/api/v1/gradients?forget_bias=%2B2&seq_len=3');
  });
});

describe('suggest and editDistance', () => {
  it('measures edit distance, a swap of neighbours counting as one edit', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('gian', 'gain')).toBe(1);
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('suggests only close names', () => {
    const known = ['seq_len', 'hidden_size', 'input_size', 'seed', 'gain'];
    expect(suggest('hidden', known)).toBe('hidden_size');
    expect(suggest('gian', known)).toBe('gain');
    expect(suggest('sede', known)).toBe('seed');
    expect(suggest('banana', known)).toBeUndefined();
    expect(suggest('', known)).toBeUndefined();
  });
});
