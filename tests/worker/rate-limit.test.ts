// 429 with Retry-After from the Workers rate-limiting binding, per client IP.
// vitest.config.ts lowers RATE_LIMITER to 5 requests per 60 s for the tests (a miniflare
// override of the wrangler.toml binding); each test uses its own CF-Connecting-IP values, and
// requests without that header — every other test file — are not limited.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { get, problem } from './helpers.ts';

const TEST_LIMIT = 5;

function from(ip: string): RequestInit {
  return { headers: { 'CF-Connecting-IP': ip } };
}

describe('rate limiting', () => {
  it('is enabled in wrangler.toml', () => {
    expect(env.RATE_LIMIT_ENABLED).toBe('true');
  });

  it('answers 429 with Retry-After once an address is over its limit, and only that address', async () => {
    const ip = `198.51.100.${1 + (Date.now() % 200)}-${crypto.randomUUID()}`;
    for (let k = 0; k < TEST_LIMIT; k++) {
      const res = await get('/api/v1/params', from(ip));
      expect(res.status, `request ${k + 1}`).toBe(200);
    }
    const limited = await problem('/api/v1/params', 429, from(ip));
    expect(limited.title).toBe('Too many requests');
    const res = await get('/api/v1/params', from(ip));
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(res.headers.get('Access-Control-Expose-Headers')).toContain('Retry-After');

    const other = await get('/api/v1/params', from(`203.0.113.7-${crypto.randomUUID()}`));
    expect(other.status).toBe(200);
  });

  it('counts errors too, and never limits a preflight', async () => {
    const ip = `192.0.2.1-${crypto.randomUUID()}`;
    for (let k = 0; k < TEST_LIMIT; k++) await problem('/api/v1/params?bogus=1', 400, from(ip));
    await problem('/api/v1/params', 429, from(ip));
    const preflight = await get('/api/v1/params', {
      method: 'OPTIONS',
      headers: { 'CF-Connecting-IP': ip, Origin: 'https://example.org', 'Access-Control-Request-Method': 'GET' },
    });
    expect(preflight.status).toBe(204);
  });
});
