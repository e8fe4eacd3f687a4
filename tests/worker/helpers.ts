// Requests against the worker inside workerd, and what the tests assert on every answer.
import { env, exports } from 'cloudflare:workers';
import { expect } from 'vitest';
import app, { type Env } from '../../worker/src/index.ts';
import type { Problem } from '../../worker/src/schemas.ts';

export const ORIGIN = 'http://gradflow.test';

/**
 * A request to the worker. With `bindings`, the app is called with the deployed env (wrangler.toml's
 * [vars] and bindings) in which those entries are replaced: a lowered budget, a stubbed limiter.
 */
export function get(pathAndQuery: string, init?: RequestInit, bindings?: Partial<Env>): Promise<Response> {
  if (!bindings) return exports.default.fetch(`${ORIGIN}${pathAndQuery}`, init);
  return Promise.resolve(app.fetch(new Request(`${ORIGIN}${pathAndQuery}`, init), { ...env, ...bindings }));
}

export async function json<T>(pathAndQuery: string, init?: RequestInit, bindings?: Partial<Env>): Promise<T> {
  const res = await get(pathAndQuery, init, bindings);
  expect(res.status, await cloneText(res)).toBe(200);
  expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
  return (await res.json()) as T;
}

async function cloneText(res: Response): Promise<string> {
  return res.clone().text();
}

/** A problem+json answer with the given status; returns its body. */
export async function problem(pathAndQuery: string, status: number, init?: RequestInit, bindings?: Partial<Env>): Promise<Problem> {
  const res = await get(pathAndQuery, init, bindings);
  expect(res.status, await cloneText(res)).toBe(status);
  expect(res.headers.get('Content-Type')).toBe('application/problem+json');
  expect(res.headers.get('Cache-Control')).toBe('no-store');
  expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
  const body = (await res.json()) as Problem;
  expect(body.status).toBe(status);
  expect(typeof body.type).toBe('string');
  expect(typeof body.title).toBe('string');
  expect(typeof body.detail).toBe('string');
  return body;
}

/** A 400 whose errors name exactly `params` (in any order). */
export async function invalid(pathAndQuery: string, params: string[]): Promise<Problem> {
  const body = await problem(pathAndQuery, 400);
  const named = [...new Set((body.errors ?? []).map((e) => e.param))].sort();
  expect(named, JSON.stringify(body.errors)).toEqual([...params].sort());
  return body;
}

export function budget(name: 'BUDGET_MACS' | 'BUDGET_TRAIN_MACS'): number {
  return Number(env[name]);
}

/** Float64Array → number[] as JSON writes it: the bytes to compare with the API's arrays. */
export function jsonOf(values: ArrayLike<number> | null): string {
  return JSON.stringify(values === null ? null : Array.from(values));
}

/** Row-major (rows × cols) → nested rows, as the API writes matrices. */
export function nested(values: ArrayLike<number>, cols: number): number[][] {
  const rows: number[][] = [];
  for (let r = 0; r * cols < values.length; r++) rows.push(Array.from(values).slice(r * cols, (r + 1) * cols));
  return rows;
}
