// Property-based tests of every endpoint, inside workerd (fast-check). Random valid queries always
// give 200, a body that matches the endpoint's response schema, and only finite numbers (a null is
// always explained in warnings). Random invalid queries — wrong types, huge and negative numbers,
// NaN/Infinity, 1e999, empty and repeated parameters, unknown names, unicode, very long values —
// always give a 400 problem+json whose errors name the offending parameter: never a 500.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  GradientsResponseSchema,
  JacobianResponseSchema,
  ParamsResponseSchema,
  TraceResponseSchema,
  TrainResponseSchema,
} from '../../worker/src/schemas.ts';
import { get } from './helpers.ts';

// Valid requests compute real results, so their sizes stay small; invalid ones are cheap.
const VALID_RUNS = 300;
const INVALID_RUNS = 2000;

type Spec = { kind: 'int'; min: number; max: number; required?: boolean } | { kind: 'real'; min: number; max: number; above?: boolean } | { kind: 'choice'; values: string[] } | { kind: 'list'; values: string[] };

/** Parameters as the contract allows them (valid draws use the small `validMax` where given). */
const MODEL: Record<string, Spec & { validMax?: number }> = {
  seq_len: { kind: 'int', min: 1, max: 1000, validMax: 24 },
  hidden_size: { kind: 'int', min: 1, max: 64, validMax: 8 },
  input_size: { kind: 'int', min: 1, max: 16, validMax: 6 },
  seed: { kind: 'int', min: 0, max: 4294967295 },
  init: { kind: 'choice', values: ['pytorch', 'orthogonal'] },
  gain: { kind: 'real', min: 0, max: 8 },
  forget_bias: { kind: 'real', min: -10, max: 10 },
  nonlinearity: { kind: 'choice', values: ['tanh', 'relu'] },
  loss: { kind: 'choice', values: ['last', 'all'] },
};
const CELL: Spec = { kind: 'choice', values: ['rnn', 'lstm', 'gru'] };

const ENDPOINTS: Record<string, { params: Record<string, Spec & { validMax?: number }>; schema: { safeParse(v: unknown): { success: boolean; error?: unknown } } }> = {
  gradients: { params: { cells: { kind: 'list', values: ['rnn', 'lstm', 'gru'] }, ...MODEL, include: { kind: 'choice', values: ['weights'] } }, schema: GradientsResponseSchema },
  jacobian: { params: { cell: CELL, ...MODEL, seq_len: { kind: 'int', min: 1, max: 1000, validMax: 12 }, hidden_size: { kind: 'int', min: 1, max: 64, validMax: 6 } }, schema: JacobianResponseSchema },
  trace: { params: { cell: CELL, ...MODEL, include: { kind: 'choice', values: ['weights'] } }, schema: TraceResponseSchema },
  train: {
    params: {
      cell: CELL,
      task: { kind: 'choice', values: ['adding'] },
      // The sizes are always given in valid draws: /train's defaults (T = 20, H = 16, 200 steps of
      // 16 sequences) are far over BUDGET_TRAIN_MACS, and a 422 is not what this test is about.
      seq_len: { kind: 'int', min: 2, max: 1000, validMax: 6, required: true },
      hidden_size: { kind: 'int', min: 1, max: 64, validMax: 4, required: true },
      seed: MODEL.seed,
      init: MODEL.init,
      gain: MODEL.gain,
      forget_bias: MODEL.forget_bias,
      nonlinearity: MODEL.nonlinearity,
      steps: { kind: 'int', min: 1, max: 10000, validMax: 3, required: true },
      batch_size: { kind: 'int', min: 1, max: 256, validMax: 3, required: true },
      lr: { kind: 'real', min: 0, max: 10, above: true },
      optimizer: { kind: 'choice', values: ['sgd', 'adam'] },
      clip: { kind: 'real', min: 0, max: 1000, above: true },
    },
    schema: TrainResponseSchema,
  },
  params: { params: { hidden_size: MODEL.hidden_size, input_size: MODEL.input_size }, schema: ParamsResponseSchema },
};

/** Several spellings of one number, all of which the contract says are the same value. */
const spelling = (x: number) =>
  fc.constantFrom(String(x), x.toExponential(), Number.isInteger(x) ? `${x}.0` : String(x), `+${x}`.replace('+-', '-'));

function validValue(spec: Spec & { validMax?: number }): fc.Arbitrary<string> {
  switch (spec.kind) {
    case 'int':
      return fc.integer({ min: spec.min, max: spec.validMax ?? spec.max }).chain(spelling);
    case 'real':
      return fc
        .double({ min: spec.min, max: spec.max, noNaN: true, noDefaultInfinity: true })
        .filter((x) => !spec.above || x > 0)
        .chain(spelling);
    case 'choice':
      return fc.constantFrom(...spec.values);
    case 'list':
      return fc.subarray(spec.values, { minLength: 1 }).chain((cells) => fc.shuffledSubarray(cells, { minLength: cells.length })).map((c) => c.join(','));
  }
}

function validQuery(endpoint: string): fc.Arbitrary<string> {
  const params = ENDPOINTS[endpoint].params;
  const entries = Object.entries(params).map(([name, spec]) => {
    const pair = validValue(spec).map((v) => [name, v] as const);
    return spec.kind === 'int' && spec.required ? pair : fc.option(pair, { nil: undefined });
  });
  return fc.tuple(...entries).chain((pairs) => fc.shuffledSubarray(pairs.filter((p) => p !== undefined), { minLength: pairs.filter((p) => p !== undefined).length })).map((pairs) => new URLSearchParams(pairs as [string, string][]).toString());
}

const LONG = 'x'.repeat(8000);
const JUNK = ['', 'NaN', 'nan', 'Infinity', '-Infinity', 'inf', '1e999', '-1e999', 'abc', '0x10', '1,5', '𝟙', 'ü', '\u0000', '%', LONG, '1 2', 'true', 'null', '[]'];

function invalidValue(spec: Spec): fc.Arbitrary<string> {
  switch (spec.kind) {
    case 'int':
      return fc.oneof(
        fc.constantFrom(...JUNK),
        fc.constantFrom(String(spec.max + 1), String(spec.min - 1), '99999999999999999999999', '-99999999999999999999999'),
        fc.integer({ min: spec.min, max: Math.min(spec.max, 1e6) - 1 }).map((n) => `${n}.5`),
      );
    case 'real':
      return fc.oneof(
        fc.constantFrom(...JUNK),
        fc.double({ min: spec.max, max: 1e300, noNaN: true, noDefaultInfinity: true }).filter((x) => x > spec.max).map(String),
        fc.double({ min: -1e300, max: spec.min, noNaN: true, noDefaultInfinity: true }).filter((x) => (spec.above ? x <= spec.min : x < spec.min)).map(String),
      );
    case 'choice':
    case 'list':
      return fc.oneof(fc.constantFrom(...JUNK.filter((j) => j !== 'true')), fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !spec.values.some((v) => s.split(',').every((part) => part === v) || spec.values.includes(s))).map((s) => `${s}~`));
  }
}

type Bad = { query: string; param: string };

function invalidQuery(endpoint: string): fc.Arbitrary<Bad> {
  const params = ENDPOINTS[endpoint].params;
  const names = Object.keys(params);
  const wrongValue = fc.constantFrom(...names).chain((name) => invalidValue(params[name]).map((v) => ({ query: new URLSearchParams([[name, v]]).toString(), param: name })));
  const unknownName = fc
    .stringMatching(/^[a-z][a-z_]{0,15}$/)
    .filter((n) => !names.includes(n))
    .map((n) => ({ query: `${n}=1`, param: n }));
  const unicodeName = fc.constantFrom('ſeed', 'gaın', 'séed', 'ｓｅｑ_ｌｅｎ').map((n) => ({ query: new URLSearchParams([[n, '1']]).toString(), param: n }));
  const repeated = fc.constantFrom(...names).chain((name) => validValue(params[name]).map((v) => ({ query: `${name}=${encodeURIComponent(v)}&${name}=${encodeURIComponent(v)}`, param: name })));
  const empty = fc.constantFrom(...names).map((name) => ({ query: `${name}=`, param: name }));
  return fc.oneof(wrongValue, unknownName, unicodeName, repeated, empty);
}

function numbersAreFinite(value: unknown, path = ''): string[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [path];
  if (Array.isArray(value)) return value.flatMap((v, k) => numbersAreFinite(v, `${path}[${k}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => numbersAreFinite(v, `${path}.${k}`));
  return [];
}

/** The fields holding a null outside `config` (where null means "not set"), e.g. "results.rnn.log10_grad_h". */
function nullFields(value: unknown, field = ''): string[] {
  if (value === null) return [field];
  if (Array.isArray(value)) return [...new Set(value.flatMap((v) => nullFields(v, field)))];
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => (field === '' && k === 'config' ? [] : nullFields(v, field ? `${field}.${k}` : k)));
  }
  return [];
}

/** The null fields that no warning names (a warning starts with the field's path and a space). */
function unexplainedNulls(body: { warnings: string[] }): string[] {
  return nullFields(body).filter((field) => !body.warnings.some((w) => w.startsWith(`${field} `)));
}

describe.each(Object.keys(ENDPOINTS))('/api/v1/%s under random queries', (endpoint) => {
  it(`answers ${VALID_RUNS} random valid queries with 200, its schema and finite numbers`, async () => {
    await fc.assert(
      fc.asyncProperty(validQuery(endpoint), async (query) => {
        const res = await get(`/api/v1/${endpoint}?${query}`);
        const text = await res.text();
        expect(res.status, `${query}: ${text.slice(0, 300)}`).toBe(200);
        const body = JSON.parse(text) as { warnings: string[] };
        const parsed = ENDPOINTS[endpoint].schema.safeParse(body);
        expect(parsed.success, `${query}: ${JSON.stringify(parsed.error)?.slice(0, 500)}`).toBe(true);
        expect(numbersAreFinite(body)).toEqual([]);
        expect(unexplainedNulls(body), `${query}: nulls that no warning names`).toEqual([]);
      }),
      { numRuns: VALID_RUNS },
    );
  });

  it(`answers ${INVALID_RUNS} random invalid queries with a 400 naming the parameter`, async () => {
    await fc.assert(
      fc.asyncProperty(invalidQuery(endpoint), async ({ query, param }) => {
        const res = await get(`/api/v1/${endpoint}?${query}`);
        const text = await res.text();
        expect(res.status, `${query}: ${text.slice(0, 300)}`).toBe(400);
        expect(res.headers.get('Content-Type')).toBe('application/problem+json');
        const problem = JSON.parse(text) as { status: number; errors: { param: string; message: string }[] };
        expect(problem.status).toBe(400);
        expect(problem.errors.map((e) => e.param), query).toContain(param);
        for (const error of problem.errors) expect(error.message.length).toBeGreaterThan(0);
      }),
      { numRuns: INVALID_RUNS },
    );
  });
});

describe('warnings name every null', () => {
  // Queries known to give nulls: with gain=0 an early step's gradient is exactly 0 (log10 → null);
  // the exploding run overflows.
  const QUERIES = [
    '/api/v1/gradients?cells=rnn,lstm,gru&gain=0&seq_len=6&hidden_size=3&include=weights',
    '/api/v1/jacobian?cell=rnn&gain=0&seq_len=6&hidden_size=3',
    '/api/v1/train?cell=rnn&nonlinearity=relu&gain=8&steps=30&batch_size=2&seq_len=30&hidden_size=16&optimizer=sgd&lr=10',
  ];
  for (const query of QUERIES) {
    it(query, async () => {
      const res = await get(query);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { warnings: string[] };
      expect(nullFields(body).length, 'the query should give nulls').toBeGreaterThan(0);
      expect(unexplainedNulls(body), JSON.stringify(body.warnings)).toEqual([]);
    });
  }
});

describe('very long URLs', () => {
  it('get a 400 naming the parameter, not a 500', async () => {
    const res = await get(`/api/v1/gradients?seed=${'9'.repeat(20_000)}`);
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { errors: { param: string }[] };
    expect(problem.errors.map((e) => e.param)).toContain('seed');
  });
});
