// Builders for query parameters. Each parameter is defined once and yields two zod schemas:
// `query` parses the raw string (this one feeds the validator and the OpenAPI parameter list,
// with its range and default), `config` describes the parsed value as it is echoed in `config`.
// The error messages state the whole allowed range, so a 400 tells the caller what to send.
import { z } from '@hono/zod-openapi';

export interface Param<Q extends z.ZodType = z.ZodType, C extends z.ZodType = z.ZodType> {
  query: Q;
  config: C;
}

/** The only number spelling accepted: optional sign, decimal digits, optional exponent. */
export const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * String → number for decimal spellings with a finite value; anything else is passed through
 * unchanged so that zod reports it with the parameter's own message. -0 becomes 0: the two are
 * one canonical query, and the core must not see a negative zero it would not otherwise meet.
 */
export function parseDecimal(raw: unknown): unknown {
  if (typeof raw !== 'string' || !DECIMAL.test(raw)) return raw;
  const value = Number(raw);
  if (!Number.isFinite(value)) return raw;
  return value === 0 ? 0 : value;
}

/** Splits a comma list; a non-string passes through so zod reports it. */
export function parseList(raw: unknown): unknown {
  return typeof raw === 'string' ? raw.split(',') : raw;
}

interface Doc {
  description: string;
}

/** A number parameter with a default: decimal string in the query, the number in config. */
function numeric(value: z.ZodNumber, o: Doc & { default: number }) {
  return {
    query: z
      .preprocess(parseDecimal, value)
      .default(o.default)
      .openapi({ description: o.description, example: o.default }),
    config: value.openapi({ description: o.description }),
  };
}

/** A number in [min, max]; every failed check states the whole range. */
function bounded(allowed: string, min: number, max: number): z.ZodNumber {
  return z.number({ error: allowed }).min(min, { error: allowed }).max(max, { error: allowed });
}

/** A number in (above, max]. */
function aboveUpTo(above: number, max: number): z.ZodNumber {
  const allowed = `must be a number above ${above} and at most ${max}`;
  return z.number({ error: allowed }).gt(above, { error: allowed }).max(max, { error: allowed });
}

export function integer(o: Doc & { min: number; max: number; default: number }) {
  const allowed = `must be an integer in ${o.min}..${o.max}`;
  return numeric(bounded(allowed, o.min, o.max).int({ error: allowed }), o);
}

export function real(o: Doc & { min: number; max: number; default: number }) {
  return numeric(bounded(`must be a number in ${o.min}..${o.max}`, o.min, o.max), o);
}

/** A number above `above` (exclusive) and at most `max`. */
export function positive(o: Doc & { above: number; max: number; default: number }) {
  return numeric(aboveUpTo(o.above, o.max), o);
}

/** Like `positive`, but may be left out; then `config` holds null. */
export function optionalPositive(o: Doc & { above: number; max: number; example: number }) {
  const value = aboveUpTo(o.above, o.max);
  return {
    query: z
      .preprocess(parseDecimal, value)
      .optional()
      .openapi({ description: o.description, example: o.example }),
    config: value.nullable().openapi({ description: o.description }),
  };
}

export function choice<const V extends readonly [string, ...string[]]>(
  values: V,
  o: Doc & { default: V[number] },
) {
  const value = z.enum(values, { error: `must be one of ${values.join(', ')}` });
  return {
    query: value.default(o.default as never).openapi({ description: o.description, example: o.default }),
    config: value.openapi({ description: o.description }),
  };
}

/** A single fixed value (a parameter that exists so the query names it, e.g. task=adding). */
export function optionalChoice<const V extends readonly [string, ...string[]]>(values: V, o: Doc) {
  const value = z.enum(values, { error: `must be one of ${values.join(', ')}` });
  return {
    query: value.optional().openapi({ description: o.description, example: values[0] }),
    config: value.nullable().openapi({ description: o.description }),
  };
}

/**
 * A comma list of distinct members of `values`, returned in the order of `values` (so
 * `cells=lstm,rnn` and `cells=rnn,lstm` are one canonical query).
 */
export function list<const V extends readonly [string, ...string[]]>(
  values: V,
  o: Doc & { default: V[number][] },
) {
  const allowed = `must be a comma list of distinct values from ${values.join(', ')}`;
  const member = z.enum(values, { error: allowed });
  const canonical = z
    .array(member, { error: allowed })
    .min(1, { error: allowed })
    .superRefine((items, ctx) => {
      const seen = new Set<string>();
      for (const item of items) {
        if (seen.has(item)) ctx.addIssue({ code: 'custom', message: `${allowed} (${item} is listed twice)` });
        seen.add(item);
      }
    })
    .transform((items) => values.filter((v) => items.includes(v)) as V[number][]);
  return {
    query: z
      .preprocess(parseList, canonical)
      .default(o.default as never)
      .openapi({
        description: o.description,
        example: o.default,
        param: { style: 'form', explode: false },
      }),
    config: z.array(member).openapi({ description: o.description }),
  };
}

type QueryShape<S extends Record<string, Param>> = { [K in keyof S]: S[K]['query'] };
type ConfigShape<S extends Record<string, Param>> = { [K in keyof S]: S[K]['config'] };

/** The query schema and the config schema of one endpoint, in the order the specs are written. */
export function defineQuery<S extends Record<string, Param>>(specs: S) {
  const query = {} as QueryShape<S>;
  const config = {} as ConfigShape<S>;
  for (const name of Object.keys(specs) as (keyof S)[]) {
    query[name] = specs[name].query;
    config[name] = specs[name].config;
  }
  return { query: z.object(query), config: z.object(config) };
}
