// The API's own hardening: every answer (success, client error, preflight) carries the security
// headers, sets no cookie, and CORS allows reading only.
import { describe, expect, it } from 'vitest';
import { API_RESPONSE_HEADERS } from '../../worker/src/middleware.ts';
import { get } from './helpers.ts';

const EXPECTED = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
};

const CASES: [string, string, RequestInit | undefined, number][] = [
  ['a 200', '/api/v1/params', undefined, 200],
  ['a 400', '/api/v1/params?hidden=3', undefined, 400],
  ['a 404', '/api/v1/nope', undefined, 404],
  ['a 405', '/api/v1/params', { method: 'POST' }, 405],
  ['a preflight', '/api/v1/params', { method: 'OPTIONS', headers: { Origin: 'https://example.org', 'Access-Control-Request-Method': 'GET' } }, 204],
];

describe('API security headers', () => {
  it('are the ones the middleware declares', () => {
    for (const [name, value] of Object.entries(EXPECTED)) expect(API_RESPONSE_HEADERS[name]).toBe(value);
  });

  it.each(CASES)('are on %s', async (_label, path, init, status) => {
    const res = await get(path, init);
    expect(res.status).toBe(status);
    for (const [name, value] of Object.entries(EXPECTED)) expect(res.headers.get(name), name).toBe(value);
    expect(res.headers.get('Set-Cookie')).toBeNull();
    await res.arrayBuffer();
  });

  it('let CORS read with GET/HEAD only, without credentials', async () => {
    const res = await get('/api/v1/gradients', {
      method: 'OPTIONS',
      headers: { Origin: 'https://example.org', 'Access-Control-Request-Method': 'POST' },
    });
    const methods = (res.headers.get('Access-Control-Allow-Methods') ?? '').split(',').map((m) => m.trim());
    expect(methods).not.toContain('POST');
    expect(methods).toContain('GET');
    expect(res.headers.get('Access-Control-Allow-Credentials')).toBeNull();
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
  });

  it('ignore cookies and credentials the caller sends', async () => {
    const plain = await (await get('/api/v1/params?hidden_size=8')).text();
    const withCredentials = await (
      await get('/api/v1/params?hidden_size=8', { headers: { Cookie: 'session=abc', Authorization: 'Bearer x' } })
    ).text();
    expect(withCredentials).toBe(plain);
  });
});
