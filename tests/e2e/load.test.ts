// The bounded load test of `npm run load` (bench/load.ts), shorter, as a test: each phase starts
// its own `wrangler dev` (the suite's shared server keeps its rate limit and caches to itself).
// 1. Rate limit off: concurrent default widget queries from one address for a few seconds give
//    only 200s, with no connection error or timeout.
// 2. wrangler.toml's rate limit: from one address, until 100 requests were limited (at most twice
//    the per-period limit and 100) gives only 200s and 429s, at least one 429, and every 429 says
//    Retry-After = RATE_LIMIT_PERIOD.
// Nothing here is timed: throughput and latency are `npm run load`'s figures, not promises.
import { describe, expect, it } from 'vitest';
import type { Phase } from '../../bench/load.ts';
import { defaultWidgetRequests } from '../../bench/api.ts';
import { readRateLimit } from '../../bench/largest.ts';
import {
  limitedPhase,
  limitedPhaseAmount,
  limitedProblems,
  openPhase,
  openProblems,
  readRateLimitPeriodVar,
} from '../../bench/load.ts';

const paths = defaultWidgetRequests();

function show(p: Phase): void {
  console.info(`load ${p.name}: ${p.total} requests in ${p.seconds.toFixed(1)} s ${JSON.stringify(p.statuses)}, Retry-After ${JSON.stringify(p.retryAfter)}`);
}

describe('bounded load (bench/load.ts)', () => {
  it('asks for every kind of widget request', () => {
    for (const endpoint of ['gradients', 'jacobian', 'trace', 'train', 'params']) {
      expect(paths.some((p) => p.startsWith(`/api/v1/${endpoint}`)), endpoint).toBe(true);
    }
  });

  it('with the rate limit off: only 200s under sustained concurrent load', async () => {
    const p = await openPhase(paths, 3);
    show(p);
    expect(p.total).toBeGreaterThan(0);
    expect(p.statuses).toEqual({ '200': p.total });
    expect(p.errors).toBe(0);
    expect(p.timeouts).toBe(0);
    expect(openProblems(p)).toEqual([]);
  });

  it('with the normal rate limit: only 200s and 429s, each 429 with Retry-After = the period', async () => {
    const period = readRateLimitPeriodVar();
    // The header the worker sends must be the limiter's own period (README "Rate limits").
    expect(period).toBe(readRateLimit().period);
    const amount = limitedPhaseAmount();
    const p = await limitedPhase(paths, amount);
    show(p);
    expect(p.errors).toBe(0);
    expect(p.timeouts).toBe(0);
    expect(p.total).toBeLessThanOrEqual(amount);
    expect(Object.keys(p.statuses).sort()).toEqual(['200', '429']);
    expect(p.statuses['200'] + p.statuses['429']).toBe(p.total);
    // At least the period's limit of 200s, then 429s (the phase ends after LIMITED_PHASE_429S).
    expect(p.statuses['200']).toBeGreaterThanOrEqual(readRateLimit().limit);
    expect(p.statuses['429']).toBeGreaterThan(0);
    expect(p.retryAfter).toEqual({ [String(period)]: p.statuses['429'] });
    expect(limitedProblems(p, period)).toEqual([]);
  });
});
