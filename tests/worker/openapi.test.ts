// The OpenAPI document against the worker: it validates as OpenAPI 3.1 (in Node, see
// global-setup.ts), it is what the worker serves, and every endpoint, parameter, range, enum and
// error status in it matches what the worker does — the test walks the document and calls each
// operation.
import { describe, expect, inject, it } from 'vitest';
import type { Env } from '../../worker/src/index.ts';
import { get, json } from './helpers.ts';

interface Schema {
  type?: string | string[];
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  default?: unknown;
  example?: unknown;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  anyOf?: Schema[];
  additionalProperties?: Schema | boolean;
  $ref?: string;
}
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema: Schema;
  style?: string;
  explode?: boolean;
}
interface Operation {
  operationId: string;
  parameters?: Parameter[];
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}
interface Document {
  openapi: string;
  info: { description: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const validation = inject('openApiValidation');
const documented = JSON.parse(validation.document) as Document;

const ENDPOINTS = [
  '/api/v1/gradients',
  '/api/v1/jacobian',
  '/api/v1/trace',
  '/api/v1/train',
  '/api/v1/params',
  '/api/v1/openapi.json',
];

/** A small /train so that walking its parameters stays quick; every other endpoint uses defaults. */
const QUICK: Record<string, string> = { '/api/v1/train': 'steps=2&batch_size=2&seq_len=4' };

/** A rate limiter that refuses every request (the binding's interface). */
const refusingLimiter = { limit: async () => ({ success: false }) } as unknown as Env['RATE_LIMITER'];

function operations(): [string, Operation][] {
  return Object.entries(documented.paths).map(([path, methods]) => [path, methods.get]);
}

function serialise(value: unknown): string {
  return Array.isArray(value) ? value.join(',') : String(value);
}

function url(path: string, extra: Record<string, string>): string {
  const quick = new URLSearchParams(QUICK[path] ?? '');
  for (const [name, value] of Object.entries(extra)) quick.set(name, value);
  const query = quick.toString();
  return query ? `${path}?${query}` : path;
}

function resolve(schema: Schema): Schema {
  if (!schema.$ref) return schema;
  return documented.components.schemas[schema.$ref.replace('#/components/schemas/', '')];
}

/** A structural check of a value against a documented schema: types, required keys, enums, ranges. */
function conforms(value: unknown, raw: Schema, at: string, problems: string[]): void {
  const schema = resolve(raw);
  if (schema.anyOf) {
    const attempts = schema.anyOf.map((option) => {
      const found: string[] = [];
      conforms(value, option, at, found);
      return found;
    });
    if (!attempts.some((found) => found.length === 0)) problems.push(`${at}: matches no anyOf option`);
    return;
  }
  const types = schema.type === undefined ? [] : [schema.type].flat();
  const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  const typeOk =
    types.length === 0 ||
    types.includes(actual) ||
    (actual === 'number' && types.includes('integer') && Number.isInteger(value));
  if (!typeOk) {
    problems.push(`${at}: ${actual} is not ${types.join('|')}`);
    return;
  }
  if (schema.enum && !schema.enum.includes(value)) problems.push(`${at}: ${String(value)} not in enum`);
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) problems.push(`${at}: below minimum`);
    if (schema.maximum !== undefined && value > schema.maximum) problems.push(`${at}: above maximum`);
  }
  if (Array.isArray(value) && schema.items) {
    // Long arrays: their first and last entries are enough to catch a wrong element type.
    const picks = value.length > 4 ? [0, 1, value.length - 1] : value.map((_, k) => k);
    for (const k of picks) conforms(value[k], schema.items, `${at}[${k}]`, problems);
  }
  if (actual === 'object' && schema.properties) {
    const object = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in object)) problems.push(`${at}.${key}: missing`);
    for (const [key, child] of Object.entries(object)) {
      const property = schema.properties[key];
      if (!property && schema.additionalProperties) continue;
      if (!property) problems.push(`${at}.${key}: not documented`);
      else conforms(child, property, `${at}.${key}`, problems);
    }
  }
}

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1', () => {
    expect(validation.version).toBe('3.1');
    expect(validation.errors).toBe('null');
    expect(validation.valid).toBe(true);
    expect(documented.openapi).toBe('3.1.0');
  });

  it('is what the worker serves (generated the same in Node and workerd)', async () => {
    const res = await get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(documented);
  });

  it('documents exactly the endpoints the worker has, each with the error statuses', () => {
    expect(Object.keys(documented.paths).sort()).toEqual([...ENDPOINTS].sort());
    for (const [path, operation] of operations()) {
      const statuses = Object.keys(operation.responses);
      expect(statuses, path).toEqual(expect.arrayContaining(['200', '304', '400', '404', '405', '429']));
      // Only what computes has a budget: /params counts (cost 0) and the document is static.
      const budgeted = !path.endsWith('/params') && !path.endsWith('/openapi.json');
      expect(statuses.includes('422'), path).toBe(budgeted);
    }
  });

  it('lists for each operation exactly the statuses the worker can be made to answer', async () => {
    for (const [path, operation] of operations()) {
      const produced = new Map<number, string>();
      const attempt = async (how: string, res: Response) => {
        await res.body?.cancel();
        if (!produced.has(res.status)) produced.set(res.status, how);
        return res;
      };
      const ok = await attempt('defaults', await get(url(path, {})));
      const etag = ok.headers.get('ETag');
      if (etag) await attempt('If-None-Match', await get(url(path, {}), { headers: { 'If-None-Match': etag } }));
      await attempt('an unknown parameter', await get(url(path, { undocumented: '1' })));
      await attempt('path + /x', await get(`${path}/x`));
      await attempt('POST', await get(url(path, {}), { method: 'POST' }));
      await attempt('budgets of 1', await get(url(path, {}), undefined, { BUDGET_MACS: '1', BUDGET_TRAIN_MACS: '1' }));
      await attempt(
        'a limiter that refuses',
        await get(url(path, {}), { headers: { 'CF-Connecting-IP': '192.0.2.99' } }, { RATE_LIMIT_ENABLED: 'true', RATE_LIMITER: refusingLimiter }),
      );
      const listed = Object.keys(operation.responses).map(Number).sort();
      expect([...produced.keys()].sort(), `${path}: produced ${JSON.stringify(Object.fromEntries(produced))}`).toEqual(listed);
    }
  });

  it('describes the seed-to-numbers rules and points at the core files', () => {
    expect(documented.info.description).toContain('xoshiro128**');
    expect(documented.info.description).toContain('worker/src/core/rng.ts');
    expect(documented.info.description).toContain('worker/src/core/init.ts');
  });

  it('answers every operation at its defaults with a body that matches its documented schema', async () => {
    for (const [path, operation] of operations()) {
      const body = await json<unknown>(url(path, {}));
      const schema = operation.responses['200'].content!['application/json'].schema;
      const problems: string[] = [];
      conforms(body, schema, path, problems);
      expect(problems, path).toEqual([]);
    }
  });

  it('accepts every documented parameter at its example and default, and every enum value', async () => {
    for (const [path, operation] of operations()) {
      for (const p of operation.parameters ?? []) {
        expect(p.in).toBe('query');
        expect(p.required).toBe(false);
        const values = new Set<string>();
        if (p.schema.example !== undefined) values.add(serialise(p.schema.example));
        if (p.schema.default !== undefined) values.add(serialise(p.schema.default));
        for (const option of p.schema.enum ?? p.schema.items?.enum ?? []) values.add(String(option));
        expect(values.size, `${path} ${p.name} has an example`).toBeGreaterThan(0);
        for (const value of values) {
          const res = await get(url(path, { [p.name]: value }));
          expect(res.status, `${path}?${p.name}=${value}: ${await res.clone().text()}`).toBe(200);
          await res.body?.cancel();
        }
      }
    }
  });

  it('refuses values just outside each documented range and enum', async () => {
    for (const [path, operation] of operations()) {
      for (const p of operation.parameters ?? []) {
        const outside: string[] = [];
        const { minimum, maximum, exclusiveMinimum, type } = p.schema;
        const step = type === 'integer' ? 1 : 1e-6;
        if (minimum !== undefined) outside.push(String(minimum - step));
        if (exclusiveMinimum !== undefined) outside.push(String(exclusiveMinimum));
        if (maximum !== undefined) outside.push(String(maximum + step));
        if (type === 'integer') outside.push('1.5');
        if (p.schema.enum || p.schema.items?.enum) outside.push('not-a-member');
        for (const value of outside) {
          const res = await get(url(path, { [p.name]: value }));
          expect(res.status, `${path}?${p.name}=${value}`).toBe(400);
          const body = (await res.json()) as { errors: { param: string }[] };
          expect(body.errors.map((e) => e.param)).toEqual([p.name]);
        }
      }
    }
  });

  it('refuses a parameter that the document does not list', async () => {
    for (const [path] of operations()) {
      const res = await get(url(path, { undocumented: '1' }));
      expect(res.status, path).toBe(400);
    }
  });
});
