// API latency through the real worker (`wrangler dev`, local workerd): the default widget requests,
// cold (the first request of a fresh server, then distinct seeds so no cache can answer) and warm
// (the same request again and again), and the largest request each endpoint allows.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../tests/support/server.ts';
import { largestRequests } from './largest.ts';
import { fmt, report, summarise } from './stats.ts';

/** The build the test server serves: GRADFLOW_ASSETS_DIR (as in tests/support/server.ts) or site/dist. */
const DIST = process.env.GRADFLOW_ASSETS_DIR ?? join(import.meta.dirname, '../site/dist');

/** The API's own default /gradients request: rnn + lstm, T = 50, H = 16 (the target). */
export const API_DEFAULT_GRADIENTS = '/api/v1/gradients';

function htmlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...htmlFiles(path));
    else if (name.endsWith('.html')) out.push(path);
  }
  return out;
}

/**
 * The default request of every widget on the built site: each widget prints its current query as
 * a data link (href="/api/v1/…"), so the HTML of a fresh build lists exactly what the widgets ask
 * for first. Plus the API's default /gradients. The OpenAPI document is not a widget request.
 */
export function defaultWidgetRequests(): string[] {
  const found = new Set<string>([API_DEFAULT_GRADIENTS]);
  for (const file of htmlFiles(DIST)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/href="(\/api\/v1\/[^"]+)"/g)) {
      const path = m[1].replaceAll('&amp;', '&');
      if (!path.startsWith('/api/v1/openapi')) found.add(path);
    }
  }
  return [...found].sort();
}

/**
 * The same query with another seed (a request no cache has seen). /params takes no seed (it
 * computes no model): there another size is the request no cache has seen.
 */
export function withSeed(path: string, seed: number): string {
  const url = new URL(path, 'http://x');
  if (url.pathname.endsWith('/params')) url.searchParams.set('hidden_size', String(1 + (seed % 64)));
  else url.searchParams.set('seed', String(seed));
  return url.pathname + url.search;
}

/** Latency of one GET including the body (workerd's clock stands still during compute, so its
 * Server-Timing reads 0 there: the client's clock is the measure). */
export async function timedGet(base: string, path: string): Promise<{ ms: number; status: number }> {
  const t0 = performance.now();
  const res = await fetch(base + path);
  await res.arrayBuffer();
  return { ms: performance.now() - t0, status: res.status };
}

export interface ApiOptions {
  json: boolean;
  quick: boolean;
  server?: RunningServer;
}

export async function benchApi(o: ApiOptions): Promise<void> {
  const server = o.server ?? (await startServer({ vars: { RATE_LIMIT_ENABLED: 'false' } }));
  try {
    const paths = defaultWidgetRequests();
    const warmRuns = o.quick ? 10 : 50;
    const coldRuns = o.quick ? 5 : 20;
    let seed = 100_000 + (Date.now() % 100_000);
    for (const path of paths) {
      const first = await timedGet(server.url, path);
      const cold: number[] = [];
      for (let i = 0; i < coldRuns; i++) {
        const r = await timedGet(server.url, withSeed(path, seed++));
        if (r.status !== 200) throw new Error(`${path} (seed ${seed - 1}): HTTP ${r.status}`);
        cold.push(r.ms);
      }
      const warm: number[] = [];
      for (let i = 0; i < warmRuns; i++) warm.push((await timedGet(server.url, path)).ms);
      const c = summarise(cold);
      const w = summarise(warm);
      const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(0.99 * xs.length) - 1)];
      report(
        o.json,
        {
          kind: 'api',
          path,
          status: first.status,
          first_ms: first.ms,
          cold_ms: { p50: c.median, p99: p99(cold), n: c.n },
          warm_ms: { p50: w.median, p99: p99(warm), n: w.n },
        },
        `api ${path}\n    first ${fmt(first.ms, 1)} ms (HTTP ${first.status}); distinct seeds p50 ${fmt(c.median, 1)} / p99 ${fmt(p99(cold), 1)} ms ; repeated p50 ${fmt(w.median, 2)} / p99 ${fmt(p99(warm), 2)} ms`,
      );
    }
    for (const req of largestRequests()) {
      const path = `/api/v1/${req.endpoint}?${new URLSearchParams(req.query)}`;
      const runs: number[] = [];
      let status = 0;
      for (let i = 0; i < (o.quick ? 2 : 5); i++) {
        const r = await timedGet(server.url, withSeed(path, seed++));
        status = r.status;
        runs.push(r.ms);
      }
      const s = summarise(runs);
      report(
        o.json,
        { kind: 'api-largest', endpoint: req.endpoint, family: req.family, path, status, ms: { p50: s.median, min: s.min } },
        `api largest ${req.endpoint.padEnd(9)} ${req.family.padEnd(12)} HTTP ${status}: p50 ${fmt(s.median, 1)} ms (min ${fmt(s.min, 1)})  ${path}`,
      );
    }
  } finally {
    if (!o.server) await server.stop();
  }
}
