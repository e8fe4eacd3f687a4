// `npm run load`: a bounded load test of the real worker (`wrangler dev` on loopback, autocannon).
// 1. Rate limit off (RATE_LIMIT_ENABLED=false): sustained concurrent requests of the default
//    widget queries; every response must be 200, with no connection error or timeout.
// 2. The normal rate limit (wrangler.toml's [[ratelimits]]), one client address: the same queries,
//    until 100 have been limited (at most twice as many as the limit allows per period, and 100),
//    must give only 200s and 429s, at least one 429, and every 429 must carry
//    Retry-After = RATE_LIMIT_PERIOD.
// Exits non-zero if either phase breaks its promise. tests/e2e/load.test.ts runs the same phases
// (shorter) as a test.
//   --quick   shorter phases    --json   one JSON object per measurement
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { ROOT, startServer } from '../tests/support/server.ts';
import { defaultWidgetRequests } from './api.ts';
import { readRateLimit } from './largest.ts';
import { fmt, report } from './stats.ts';

export interface LoadOptions {
  json: boolean;
  quick: boolean;
}

/** One client address, as Cloudflare's edge would set it, so the per-IP limit has a key. */
const CLIENT_IP = '203.0.113.7';

export interface Phase {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  total: number;
  /** How long the phase ran (autocannon's clock). */
  seconds: number;
  /** Responses per HTTP status. */
  statuses: Record<string, number>;
  /** The Retry-After header of every 429, counted per value ("none" when it is missing). */
  retryAfter: Record<string, number>;
  errors: number;
  timeouts: number;
}

/**
 * How long a phase runs: as many requests as fit in `seconds`, or `amount` requests — fewer if
 * `stopAfter429` 429s have been seen by then (the limit has been shown; the rest adds nothing).
 */
export type PhaseSize = { seconds: number } | { amount: number; stopAfter429?: number };

/** Concurrent requests of `paths` from CLIENT_IP (8 connections). */
export async function runPhase(name: string, url: string, paths: string[], size: PhaseSize): Promise<Phase> {
  const retryAfter: Record<string, number> = {};
  let limited = 0;
  const onResponse = (status: number, _body: string, _context: unknown, headers: Record<string, string | string[]>) => {
    if (status !== 429) return;
    const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === 'retry-after');
    const value = entry === undefined ? 'none' : String(entry[1]);
    retryAfter[value] = (retryAfter[value] ?? 0) + 1;
    if ('amount' in size && ++limited === size.stopAfter429) instance.stop();
  };
  const instance = autocannon({
    url,
    connections: 8,
    ...('amount' in size ? { amount: size.amount } : { duration: size.seconds }),
    timeout: 30,
    headers: { 'CF-Connecting-IP': CLIENT_IP },
    requests: paths.map((path) => ({ method: 'GET', path, onResponse })),
  });
  const result = await instance;
  const statuses: Record<string, number> = {};
  for (const [code, s] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = s.count;
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    seconds: result.duration,
    statuses,
    retryAfter,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

/** RATE_LIMIT_PERIOD of wrangler.toml's top-level [vars]: what a 429's Retry-After must say. */
export function readRateLimitPeriodVar(): number {
  const top = readFileSync(join(ROOT, 'wrangler.toml'), 'utf8').split(/^\[env\./m)[0];
  const m = /^RATE_LIMIT_PERIOD\s*=\s*"(\d+)"/m.exec(top);
  if (!m) throw new Error('wrangler.toml [vars] has no RATE_LIMIT_PERIOD');
  return Number(m[1]);
}

/**
 * At most this many requests in the limited phase: more than twice the per-period limit. The
 * limiter counts in fixed windows of one period; a phase shorter than a period spans at most two
 * of them, so one window gets more than the limit and 429s are certain.
 */
export function limitedPhaseAmount(): number {
  return 2 * readRateLimit().limit + 100;
}

/** The limited phase ends once this many requests have been limited. */
export const LIMITED_PHASE_429S = 100;

/** Fills the worker's caches: one request per path, without a client address (not limited). */
async function warm(url: string, paths: string[]): Promise<void> {
  for (const path of paths) await (await fetch(url + path)).arrayBuffer();
}

/** Phase 1 on its own server with the rate limit off. */
export async function openPhase(paths: string[], seconds: number): Promise<Phase> {
  const server = await startServer({ vars: { RATE_LIMIT_ENABLED: 'false' } });
  try {
    await warm(server.url, paths);
    return await runPhase('rate limit off', server.url, paths, { seconds });
  } finally {
    await server.stop();
  }
}

/** Phase 2 on its own server with wrangler.toml's rate limit. */
export async function limitedPhase(paths: string[], amount = limitedPhaseAmount()): Promise<Phase> {
  const server = await startServer();
  try {
    await warm(server.url, paths);
    return await runPhase('normal rate limit', server.url, paths, { amount, stopAfter429: LIMITED_PHASE_429S });
  } finally {
    await server.stop();
  }
}

/** Broken promises of phase 1: anything but 200, a connection error, a timeout. */
export function openProblems(p: Phase): string[] {
  const other = Object.keys(p.statuses).filter((c) => c !== '200');
  if (other.length === 0 && p.errors === 0 && p.timeouts === 0 && p.total > 0) return [];
  return [`${p.name}: expected only 200s, got ${JSON.stringify(p.statuses)}, ${p.errors} errors, ${p.timeouts} timeouts`];
}

/** Broken promises of phase 2: anything but 200 and 429, no 429, a 429 without Retry-After = period. */
export function limitedProblems(p: Phase, period: number): string[] {
  const problems: string[] = [];
  const other = Object.keys(p.statuses).filter((c) => c !== '200' && c !== '429');
  if (other.length > 0 || p.errors > 0 || p.timeouts > 0) {
    problems.push(`${p.name}: expected only 200 and 429, got ${JSON.stringify(p.statuses)}, ${p.errors} errors, ${p.timeouts} timeouts`);
  }
  if (!p.statuses['429']) problems.push(`${p.name}: no request was limited (429)`);
  const wrong = Object.keys(p.retryAfter).filter((v) => v !== String(period));
  if (wrong.length > 0) problems.push(`${p.name}: 429s with Retry-After ${JSON.stringify(p.retryAfter)}, expected ${period}`);
  return problems;
}

function print(p: Phase, o: LoadOptions, extra: Record<string, unknown> = {}) {
  const codes = Object.entries(p.statuses).map(([c, n]) => `${c}: ${n}`).join(', ');
  report(
    o.json,
    { kind: 'load', ...p, ...extra },
    `load ${p.name}: ${fmt(p.rps, 0)} requests/s, latency p50 ${fmt(p.p50, 0)} ms / p99 ${fmt(p.p99, 0)} ms, ` +
      `${p.total} requests in ${fmt(p.seconds, 1)} s (${codes}), ${p.errors} connection errors, ${p.timeouts} timeouts`,
  );
}

/** Runs and prints both phases; returns the problems found (empty when both kept their promises). */
export async function benchLoad(o: LoadOptions): Promise<string[]> {
  const paths = defaultWidgetRequests();
  const open = await openPhase(paths, o.quick ? 4 : 15);
  print(open, o, { paths });
  const limited = await limitedPhase(paths);
  print(limited, o);
  if (!o.json) {
    const values = Object.entries(limited.retryAfter).map(([v, n]) => `${v} (${n}×)`).join(', ');
    console.log(`    the 429s' Retry-After: ${values || 'no 429'}`);
  }
  const problems = [...openProblems(open), ...limitedProblems(limited, readRateLimitPeriodVar())];
  for (const problem of problems) console.error(`load: ${problem}`);
  return problems;
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const problems = await benchLoad({ json: args.includes('--json'), quick: args.includes('--quick') });
  process.exitCode = problems.length > 0 ? 1 : 0;
}
