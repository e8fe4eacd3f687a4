// The path every successful JSON answer takes: budget → ETag → 304 → in-isolate cache → compute.
// The ETag depends only on model_version and the canonical query, so it is known before any
// computation and a revalidation (304) costs a hash, not a forward pass.
import type { Context, TypedResponse } from 'hono';
import { bodyCache } from './cache.ts';
import { FiniteNumbers } from './finite.ts';
import { checkBudget, type BudgetVar } from './limits.ts';
import { canonicalQueryString, type ConfigValue } from './query.ts';
import { MODEL_VERSION } from './version.ts';

/** 200s never change for a given ETag: the model_version is part of it. */
export const CACHE_CONTROL_OK = 'public, max-age=86400, immutable';

export const JSON_TYPE = 'application/json; charset=utf-8';

/** What every body has besides its results. */
interface Envelope<C> {
  config: C;
  model_version: string;
  warnings: string[];
}

export interface JsonAnswer<C, B extends Envelope<C>> {
  /** The endpoint's path, e.g. "/api/v1/gradients": part of the cache key and the ETag. */
  endpoint: string;
  config: C;
  cost: number;
  budget: BudgetVar;
  /** The body without its envelope; pushes to numbers.warnings for every null or ignored input. */
  compute: (numbers: FiniteNumbers) => Omit<B, keyof Envelope<C>>;
}

export function cacheKey(endpoint: string, config: Record<string, ConfigValue>): string {
  return `${endpoint}?${canonicalQueryString(config)}`;
}

/** Strong ETag: "<model_version>-<first 128 bits of SHA-256(model_version, endpoint, query)>". */
export async function etagFor(key: string): Promise<string> {
  return etagOfBytes(new TextEncoder().encode(`${MODEL_VERSION}\n${key}`));
}

/** Strong ETag: "<model_version>-<first 128 bits of SHA-256(data)>". */
export async function etagOfBytes(data: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
  let hex = '';
  for (let k = 0; k < 16; k++) hex += digest[k].toString(16).padStart(2, '0');
  return `"${MODEL_VERSION}-${hex}"`;
}

/**
 * The compute metric of Server-Timing for `ms` measured by performance.now(). Where the runtime
 * clock stands still during compute (workerd, production Workers: it only advances on I/O) the
 * difference is exactly 0, which is no measurement: the metric then has no `dur`.
 */
export function computeTiming(ms: number): string {
  return ms > 0 ? `compute;dur=${ms.toFixed(3)}` : 'compute;desc="not measured: the runtime clock did not advance"';
}

/** If-None-Match uses the weak comparison (RFC 9110 §13.1.2): W/ prefixes are ignored. */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const strip = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => strip(tag) === etag);
}

/** Serialises the envelope and the results, in that key order. */
export function buildBody<C, B extends Envelope<C>>(answer: JsonAnswer<C, B>): string {
  const numbers = new FiniteNumbers();
  const results = answer.compute(numbers);
  bodyCache.computed++;
  return JSON.stringify({
    config: answer.config,
    model_version: MODEL_VERSION,
    warnings: numbers.warnings,
    ...results,
  });
}

/**
 * Answers a GET with the body for `answer.config`, computing it only when neither the client
 * (If-None-Match) nor this isolate (the LRU) already has it.
 */
export async function serveJson<C extends Record<string, ConfigValue>, B extends Envelope<C>>(
  c: Context,
  answer: JsonAnswer<C, B>,
): Promise<TypedResponse<B, 200, 'json'>> {
  checkBudget(c.env, answer.budget, answer.cost);
  const key = cacheKey(answer.endpoint, answer.config);
  const etag = await etagFor(key);
  const headers: Record<string, string> = { ETag: etag, 'Cache-Control': CACHE_CONTROL_OK };
  if (answer.endpoint.endsWith('/train')) headers.Vary = 'Accept';
  // The typed response is a promise to hc clients about the 200 body; 304 has none by definition.
  type Typed = TypedResponse<B, 200, 'json'>;
  if (matchesIfNoneMatch(c.req.header('If-None-Match'), etag)) {
    return new Response(null, { status: 304, headers }) as unknown as Typed;
  }
  let body = bodyCache.get(key);
  let timing = 'cache;desc="hit"';
  if (body === undefined) {
    // In workerd the clock only advances on I/O, so this reads 0 there; Node and browsers tick.
    const start = performance.now();
    body = buildBody(answer);
    timing = `cache;desc="miss", ${computeTiming(performance.now() - start)}`;
    bodyCache.set(key, body);
  }
  headers['Server-Timing'] = timing;
  headers['Content-Type'] = JSON_TYPE;
  return new Response(body, { status: 200, headers }) as unknown as Typed;
}
