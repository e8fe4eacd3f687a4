// HTTP behaviour at the edge of the contract: canonical queries and ETags, 304, HEAD, the
// in-isolate cache, CORS, 404 and 405, and the headers of errors.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bodyCache } from '../../worker/src/cache.ts';
import { get, json, problem } from './helpers.ts';

const PATHS = ['/api/v1/gradients', '/api/v1/jacobian', '/api/v1/trace', '/api/v1/train', '/api/v1/params'];
const OPENAPI = '/api/v1/openapi.json';
const SMALL_TRAIN = 'steps=3&batch_size=2&seq_len=4';

/** The document can change on a deploy without a model_version change: cached for 5 minutes. */
const CACHE_CONTROL: Record<string, string> = { [OPENAPI]: 'public, max-age=300, immutable' };

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

describe('canonical queries', () => {
  it('gives one ETag and identical bytes for spellings of one query', async () => {
    const spellings = [
      '/api/v1/gradients',
      '/api/v1/gradients?cells=rnn,lstm',
      '/api/v1/gradients?cells=lstm,rnn',
      '/api/v1/gradients?gain=1.0&seq_len=50',
      '/api/v1/gradients?gain=1e0&forget_bias=-0&seed=42.0',
      '/api/v1/gradients?seq_len=5e1&hidden_size=16&input_size=4&init=pytorch&nonlinearity=tanh&loss=last',
      '/api/v1/gradients?loss=last&gain=10e-1&cells=lstm%2Crnn&forget_bias=0.000',
    ];
    const answers = await Promise.all(spellings.map((s) => get(s)));
    const etags = new Set(answers.map((r) => r.headers.get('ETag')));
    const bodies = new Set(await Promise.all(answers.map((r) => r.text())));
    expect(answers.map((r) => r.status)).toEqual(spellings.map(() => 200));
    expect(etags.size).toBe(1);
    expect(bodies.size).toBe(1);
  });

  it('gives different queries and different endpoints different ETags', async () => {
    const a = await get('/api/v1/jacobian?cell=rnn&seq_len=5');
    const b = await get('/api/v1/jacobian?cell=rnn&seq_len=6');
    const c = await get('/api/v1/trace?cell=rnn&seq_len=5');
    const tags = [a, b, c].map((r) => r.headers.get('ETag'));
    expect(new Set(tags).size).toBe(3);
  });
});

describe('caching headers, 304 and HEAD', () => {
  for (const path of [...PATHS, OPENAPI]) {
    const url = path.endsWith('/train') ? `${path}?${SMALL_TRAIN}` : path;
    it(`${path}: strong ETag, immutable Cache-Control, 304 on If-None-Match, HEAD`, async () => {
      const first = await get(url);
      expect(first.status).toBe(200);
      const etag = first.headers.get('ETag');
      expect(etag).toMatch(/^"[^"]+"$/); // strong: no W/ prefix
      expect(first.headers.get('Cache-Control')).toBe(CACHE_CONTROL[path] ?? 'public, max-age=86400, immutable');
      if (path !== OPENAPI) expect(first.headers.get('Server-Timing')).toMatch(/cache;desc="(hit|miss)"/);
      const body = await first.text();

      const revalidated = await get(url, { headers: { 'If-None-Match': etag! } });
      expect(revalidated.status).toBe(304);
      expect(revalidated.headers.get('ETag')).toBe(etag);
      expect(await revalidated.text()).toBe('');
      const listed = await get(url, { headers: { 'If-None-Match': `"other", W/${etag}` } });
      expect(listed.status).toBe(304);
      const any = await get(url, { headers: { 'If-None-Match': '*' } });
      expect(any.status).toBe(304);
      const stale = await get(url, { headers: { 'If-None-Match': '"1.0.0-stale"' } });
      expect(stale.status).toBe(200);

      const head = await get(url, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('ETag')).toBe(etag);
      expect(await head.text()).toBe('');
      expect(await stale.text()).toBe(body);
    });
  }

  it(`${OPENAPI}: the ETag is model_version + the SHA-256 of the document bytes`, async () => {
    const res = await get(OPENAPI);
    const text = await res.text();
    const version = (await json<{ model_version: string }>('/api/v1/params')).model_version;
    expect(res.headers.get('ETag')).toBe(`"${version}-${(await sha256Hex(text)).slice(0, 32)}"`);
  });

  it('answers 304 without computing', async () => {
    const url = '/api/v1/gradients?seq_len=7&seed=1234';
    const first = await get(url);
    const etag = first.headers.get('ETag')!;
    bodyCache.clear();
    const computed = bodyCache.stats().computed;
    const revalidated = await get(url, { headers: { 'If-None-Match': etag } });
    expect(revalidated.status).toBe(304);
    expect(bodyCache.stats().computed).toBe(computed);
  });

  it('serves a repeated query from the in-isolate cache without recomputing', async () => {
    const url = '/api/v1/trace?cell=lstm&seq_len=9&seed=77';
    const before = bodyCache.stats().computed;
    const first = await get(url);
    expect(first.headers.get('Server-Timing')).toContain('miss');
    expect(bodyCache.stats().computed).toBe(before + 1);
    const again = await get('/api/v1/trace?seq_len=9&cell=lstm&seed=77.0');
    expect(again.headers.get('Server-Timing')).toContain('cache;desc="hit"');
    expect(bodyCache.stats().computed).toBe(before + 1);
    expect(await again.text()).toBe(await first.text());
  });

  it('puts no-store on errors and never sets cookies', async () => {
    for (const url of ['/api/v1/gradients?seq_len=0', '/api/nope', '/api/v1/gradients?cells=rnn,lstm,gru&seq_len=1000&hidden_size=64&input_size=16']) {
      const res = await get(url);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.headers.get('Cache-Control')).toBe('no-store');
      expect(res.headers.get('Set-Cookie')).toBeNull();
    }
    const ok = await get('/api/v1/params');
    expect(ok.headers.get('Set-Cookie')).toBeNull();
  });
});

describe('Server-Timing', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  // A miss computes between two performance.now() readings; both cases with a stubbed clock.
  async function missTiming(seed: number): Promise<string | null> {
    bodyCache.clear();
    const res = await get(`/api/v1/jacobian?cell=gru&seq_len=6&seed=${seed}`);
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    return res.headers.get('Server-Timing');
  }

  it('has no compute dur where the clock stands still during compute (as in production Workers)', async () => {
    vi.spyOn(performance, 'now').mockReturnValue(1234.5);
    const timing = await missTiming(90001);
    expect(timing).not.toContain('dur=');
    expect(timing).toMatch(/^cache;desc="miss", compute;desc="[^"]+"$/);
  });

  it('reports compute;dur in milliseconds where the clock advances', async () => {
    let now = 1000;
    vi.spyOn(performance, 'now').mockImplementation(() => (now += 2.5));
    const timing = await missTiming(90002);
    const dur = /^cache;desc="miss", compute;dur=(\d+\.\d{3})$/.exec(timing ?? '');
    expect(dur, timing ?? 'no Server-Timing').not.toBeNull();
    expect(Number(dur![1])).toBeGreaterThan(0);
    expect(Number(dur![1]) % 2.5).toBe(0);
  });
});

describe('CORS', () => {
  it('answers a preflight from any origin with the read-only methods', async () => {
    const res = await get('/api/v1/gradients?seq_len=5', {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://example.org',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'if-none-match',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(res.headers.get('Access-Control-Allow-Methods')).toBe('GET,HEAD,OPTIONS');
    expect(res.headers.get('Access-Control-Allow-Headers')?.toLowerCase()).toContain('if-none-match');
    expect(Number(res.headers.get('Access-Control-Max-Age'))).toBeGreaterThan(0);
    expect(res.headers.get('Access-Control-Allow-Credentials')).toBeNull();
  });

  it('lets any origin read answers, errors included, with ETag and Server-Timing exposed', async () => {
    const ok = await get('/api/v1/params', { headers: { Origin: 'https://example.org' } });
    expect(ok.headers.get('Access-Control-Allow-Origin')).toBe('*');
    const exposed = ok.headers.get('Access-Control-Expose-Headers')?.split(',') ?? [];
    expect(exposed).toEqual(expect.arrayContaining(['ETag', 'Server-Timing', 'Retry-After']));
    await problem('/api/v1/params?x=1', 400, { headers: { Origin: 'https://example.org' } });
  });
});

describe('routing', () => {
  it('answers 404 problem+json for unknown /api paths', async () => {
    for (const url of ['/api/nope', '/api/v1', '/api/v2/gradients', '/api/v1/gradients/extra', '/api']) {
      const body = await problem(url, 404);
      expect(body.detail).toContain('/api/v1/openapi.json');
    }
  });

  it('answers 405 with Allow for other methods on every endpoint', async () => {
    for (const path of [...PATHS, '/api/v1/openapi.json']) {
      for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
        const res = await get(path, { method });
        expect(res.status, `${method} ${path}`).toBe(405);
        expect(res.headers.get('Allow')).toBe('GET, HEAD, OPTIONS');
        expect(res.headers.get('Content-Type')).toBe('application/problem+json');
        expect(res.headers.get('Cache-Control')).toBe('no-store');
      }
    }
  });

  it('answers every error as the same RFC 9457 shape', async () => {
    const bodies = [
      await problem('/api/v1/gradients?seq_len=x', 400),
      await problem('/api/nope', 404),
      await problem('/api/v1/gradients?seq_len=1000&hidden_size=64&input_size=16&cells=rnn,lstm,gru', 422),
    ];
    for (const body of bodies) {
      expect(Object.keys(body)).toEqual(expect.arrayContaining(['type', 'title', 'status', 'detail']));
      expect(body.type).toMatch(/^[a-z][a-z0-9+.-]*:/); // an absolute URI
    }
    expect(bodies[0].errors).toEqual([{ param: 'seq_len', message: 'must be an integer in 1..1000, got "x"' }]);
    await json('/api/v1/openapi.json');
  });
});
