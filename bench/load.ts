// `npm run load`: a bounded load test of the real worker (`wrangler dev` on loopback, autocannon).
// 1. Rate limit off (RATE_LIMIT_ENABLED=false): sustained concurrent requests of the default
//    widget queries; every response must be 200.
// 2. The normal rate limit (wrangler.toml's [[ratelimits]]), one client address: the same queries,
//    half as many again as the limit allows per period, must give only 200s and 429s, and a 429
//    must carry Retry-After.
// Exits non-zero if either phase breaks its promise.
//   --quick   shorter phases    --json   one JSON object per measurement
import autocannon from 'autocannon';
import { startServer } from '../tests/support/server.ts';
import { defaultWidgetRequests } from './api.ts';
import { readRateLimit } from './largest.ts';
import { fmt, report } from './stats.ts';

export interface LoadOptions {
  json: boolean;
  quick: boolean;
}

/** One client address, as Cloudflare's edge would set it, so the per-IP limit has a key. */
const CLIENT_IP = '203.0.113.7';

interface Phase {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  total: number;
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
}

/** A fixed number of requests (amount), or as many as fit in the phase's duration. */
async function phase(name: string, url: string, paths: string[], o: LoadOptions, amount?: number): Promise<Phase> {
  const result = await autocannon({
    url,
    connections: 8,
    ...(amount ? { amount } : { duration: o.quick ? 4 : 15 }),
    timeout: 30,
    headers: { 'CF-Connecting-IP': CLIENT_IP },
    requests: paths.map((path) => ({ method: 'GET', path })),
  });
  const statuses: Record<string, number> = {};
  for (const [code, s] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = s.count;
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

function print(p: Phase, o: LoadOptions, extra: Record<string, unknown> = {}) {
  const codes = Object.entries(p.statuses).map(([c, n]) => `${c}: ${n}`).join(', ');
  report(
    o.json,
    { kind: 'load', ...p, ...extra },
    `load ${p.name}: ${fmt(p.rps, 0)} requests/s, latency p50 ${fmt(p.p50, 0)} ms / p99 ${fmt(p.p99, 0)} ms, ` +
      `${p.total} requests (${codes}), ${p.errors} connection errors, ${p.timeouts} timeouts`,
  );
}

/** Returns the problems found (empty when both phases kept their promises). */
export async function benchLoad(o: LoadOptions): Promise<string[]> {
  const paths = defaultWidgetRequests();
  const problems: string[] = [];
  const open = await startServer({ vars: { RATE_LIMIT_ENABLED: 'false' } });
  try {
    for (const path of paths) await (await fetch(open.url + path)).arrayBuffer(); // fill the caches once
    const p = await phase('rate limit off', open.url, paths, o);
    print(p, o, { paths });
    const other = Object.keys(p.statuses).filter((c) => c !== '200');
    if (other.length > 0 || p.errors > 0 || p.timeouts > 0) {
      problems.push(`rate limit off: expected only 200s, got ${JSON.stringify(p.statuses)}, ${p.errors} errors, ${p.timeouts} timeouts`);
    }
  } finally {
    await open.stop();
  }

  const limited = await startServer();
  try {
    // More requests than one address may make in a period, so the limit must be reached.
    const { limit } = readRateLimit();
    const load = phase('normal rate limit', limited.url, paths, o, limit + Math.max(200, limit >> 1));
    // Beside the load, one request at a time until one is limited: autocannon reports status
    // codes only, and the 429's Retry-After must be seen.
    let done = false;
    let probe: { status: number; retryAfter: string | null } | null = null;
    const probing = (async () => {
      while (!done && probe === null) {
        const res = await fetch(limited.url + paths[0], { headers: { 'CF-Connecting-IP': CLIENT_IP } });
        await res.arrayBuffer();
        if (res.status === 429) probe = { status: 429, retryAfter: res.headers.get('Retry-After') };
        else if (res.status !== 200) probe = { status: res.status, retryAfter: null };
      }
    })();
    const p = await load;
    done = true;
    await probing;
    const seen = probe as { status: number; retryAfter: string | null } | null;
    print(p, o, { probe_status: seen?.status ?? null, retry_after: seen?.retryAfter ?? null });
    const other = Object.keys(p.statuses).filter((c) => c !== '200' && c !== '429');
    if (other.length > 0 || p.errors > 0 || p.timeouts > 0) {
      problems.push(`normal rate limit: expected only 200 and 429, got ${JSON.stringify(p.statuses)}, ${p.errors} errors`);
    }
    if (!p.statuses['429']) problems.push('normal rate limit: no request was limited (429)');
    if (!seen || seen.status !== 429 || !(Number(seen.retryAfter) > 0)) {
      problems.push(`normal rate limit: the probe beside the load saw HTTP ${seen?.status}, Retry-After ${seen?.retryAfter}`);
    } else if (!o.json) {
      console.log(`    a limited request: HTTP 429 with Retry-After: ${seen.retryAfter}`);
    }
  } finally {
    await limited.stop();
  }
  for (const problem of problems) console.error(`load: ${problem}`);
  return problems;
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const problems = await benchLoad({ json: args.includes('--json'), quick: args.includes('--quick') });
  process.exitCode = problems.length > 0 ? 1 : 0;
}
