// Strict query parsing in front of zod, and the canonical form of a parsed query.
// Whatever zod cannot see in a parsed object — unknown names, repeated names, empty values — is
// checked here on the raw URLSearchParams; then the endpoint's schema parses what is left, and
// every problem of every parameter is reported together in one 400.
import type { MiddlewareHandler } from 'hono';
import type { z } from '@hono/zod-openapi';
import { DECIMAL } from './param-kit.ts';
import { invalidQuery, type ParamError } from './problem.ts';

/** Longer values are refused before parsing; no valid value comes close. */
export const MAX_VALUE_LENGTH = 64;
/** A 400 lists at most this many problems (a hostile URL can hold thousands). */
export const MAX_ERRORS = 20;

/** Names people try first, mapped to ours; offered only where the endpoint has that parameter. */
const ALIASES: Record<string, string> = {
  t: 'seq_len',
  length: 'seq_len',
  h: 'hidden_size',
  hidden_dim: 'hidden_size',
  d: 'input_size',
  input_dim: 'input_size',
  activation: 'nonlinearity',
  act: 'nonlinearity',
  learning_rate: 'lr',
  batch: 'batch_size',
  epochs: 'steps',
};

/** Per-endpoint explanations for names that are not parameters there on purpose. */
export type QueryHints = Record<string, string>;

type AnyObjectSchema = z.ZodObject;

export function parseStrictQuery<S extends AnyObjectSchema>(
  url: URL,
  schema: S,
  hints: QueryHints = {},
): z.output<S> {
  const known = Object.keys(schema.shape);
  const values = new Map<string, string[]>();
  for (const [name, value] of url.searchParams) {
    const seen = values.get(name);
    if (seen) seen.push(value);
    else values.set(name, [value]);
  }

  const errors: ParamError[] = [];
  const raw: Record<string, string> = {};
  for (const [name, given] of values) {
    const param = clip(name);
    if (!known.includes(name)) {
      errors.push({ param, message: unknownMessage(name, known, hints) });
    } else if (given.length > 1) {
      errors.push({ param, message: `is given ${given.length} times; give it once` });
    } else if (given[0] === '') {
      errors.push({ param, message: 'is empty; give a value or leave the parameter out for its default' });
    } else if (given[0].length > MAX_VALUE_LENGTH) {
      errors.push({ param, message: `is ${given[0].length} characters long; no valid value is longer than ${MAX_VALUE_LENGTH}` });
    } else {
      raw[name] = given[0];
    }
  }

  const result = schema.safeParse(raw);
  if (!result.success) {
    for (const error of issueErrors(result.error.issues, raw)) {
      const duplicate = errors.some((e) => e.param === error.param && e.message === error.message);
      if (!duplicate) errors.push(error);
    }
  }
  if (errors.length > 0) {
    // In the order the parameters appear in the URL, which is the order the caller reads them.
    const order = [...values.keys()].map(clip);
    errors.sort((a, b) => order.indexOf(a.param) - order.indexOf(b.param));
    throw invalidQuery(capErrors(errors));
  }
  return (result as { data: z.output<S> }).data;
}

/** zod's issues as {param, message}, each message ending with the value that was given. */
export function issueErrors(issues: readonly z.core.$ZodIssue[], raw: Record<string, unknown>): ParamError[] {
  return issues.map((issue) => {
    const param = String(issue.path[0] ?? '');
    const given = raw[param];
    return { param, message: `${issue.message}, got ${describeRaw(typeof given === 'string' ? given : undefined)}` };
  });
}

/** Route middleware: a query with any problem never reaches the validator or the handler. */
export function strictQuery(schema: AnyObjectSchema, hints: QueryHints = {}): MiddlewareHandler {
  return async (c, next) => {
    parseStrictQuery(new URL(c.req.url), schema, hints);
    await next();
  };
}

function capErrors(errors: ParamError[]): ParamError[] {
  if (errors.length <= MAX_ERRORS) return errors;
  const rest = errors.length - (MAX_ERRORS - 1);
  return [...errors.slice(0, MAX_ERRORS - 1), { param: '…', message: `and ${rest} more problems` }];
}

function clip(text: string): string {
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH)}…` : text;
}

function describeRaw(value: string | undefined): string {
  if (value === undefined) return 'nothing';
  let text = JSON.stringify(value);
  if (DECIMAL.test(value) && !Number.isFinite(Number(value))) text += ' (it overflows float64)';
  if (value.startsWith(' ')) text += ' (a "+" in a URL is a space; write %2B for a plus sign)';
  return text;
}

function unknownMessage(name: string, known: string[], hints: QueryHints): string {
  if (Object.hasOwn(hints, name)) return hints[name];
  const suggestion = suggest(name, known);
  if (suggestion) return `is not a parameter of this endpoint; did you mean ${suggestion}?`;
  return `is not a parameter of this endpoint (it accepts ${known.join(', ')})`;
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** The closest known name, if one is close: an alias, the same letters, a prefix, or ≤ 2 edits. */
export function suggest(name: string, known: readonly string[]): string | undefined {
  const alias = ALIASES[name.toLowerCase()];
  if (alias && known.includes(alias)) return alias;
  const wanted = normalise(name);
  if (wanted.length === 0) return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const have = normalise(candidate);
    if (have === wanted) return candidate;
    let distance = editDistance(wanted, have);
    if (wanted.length >= 3 && (have.startsWith(wanted) || wanted.startsWith(have))) distance = Math.min(distance, 1);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = Math.min(2, Math.floor(wanted.length / 3));
  return bestDistance <= Math.max(1, allowed) ? best : undefined;
}

/**
 * Edit distance with adjacent transpositions (optimal string alignment): insertions, deletions,
 * substitutions and swaps of neighbours each cost 1, so "gian" is one typo away from "gain".
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

// ---- canonical form ------------------------------------------------------------------------

export type ConfigValue = number | string | readonly string[] | null;

/**
 * The canonical config: every parameter of the schema in the schema's order, defaults filled in,
 * absent optionals as null. Numbers are already numbers, so 1, 1.0 and 1e0 are one value.
 */
export function canonicalConfig<T extends object>(schema: AnyObjectSchema, parsed: T): Canonical<T> {
  const config: Record<string, ConfigValue> = {};
  const values = parsed as Record<string, ConfigValue | undefined>;
  for (const name of Object.keys(schema.shape)) config[name] = values[name] ?? null;
  return config as Canonical<T>;
}

/** A parsed query with its optional parameters turned into `T | null`. */
export type Canonical<T> = {
  [K in keyof T]-?: undefined extends T[K] ? Exclude<T[K], undefined> | null : T[K];
};

/** `name=value&…` in config order; lists joined by commas, nulls left out. One spelling per query. */
export function canonicalQueryString(config: Record<string, ConfigValue>): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(config)) {
    if (value === null) continue;
    const text = Array.isArray(value) ? value.join(',') : String(value);
    parts.push(`${name}=${encodeURIComponent(text)}`);
  }
  return parts.join('&');
}
