// The built worker with its static assets, as `npm start` serves them: site and API together.
import { describe, expect, inject, it } from 'vitest';

const base = inject('baseUrl');

describe('site and API served by one worker', () => {
  it('serves the site home page as HTML at /', async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toMatch(/<html[^>]+lang="zh-CN"/);
  });

  it('serves the English home page at /en/', async () => {
    const res = await fetch(`${base}/en/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/<html[^>]+lang="en"/);
  });

  it('answers /api/v1/gradients with JSON', async () => {
    const res = await fetch(`${base}/api/v1/gradients`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await res.json()) as { model_version: string; results: Record<string, unknown> };
    expect(typeof body.model_version).toBe('string');
    expect(Object.keys(body.results)).toEqual(['rnn', 'lstm']);
  });

  it('answers an unknown /api path with a problem+json 404', async () => {
    const res = await fetch(`${base}/api/nope`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const problem = (await res.json()) as { status: number; title: string };
    expect(problem.status).toBe(404);
    expect(problem.title).toBeTruthy();
  });

  // `run_worker_first` must cover the bare `/api` too ("/api/*" does not match it): otherwise the
  // assets layer answers it with the site's HTML 404 (GET) or an empty 405 (POST).
  it('answers a bare /api from the worker: a problem+json 404 for GET and for POST', async () => {
    for (const method of ['GET', 'POST']) {
      const res = await fetch(`${base}/api`, { method });
      expect(res.status, method).toBe(404);
      expect(res.headers.get('content-type'), method).toBe('application/problem+json');
      expect(res.headers.get('cache-control'), method).toBe('no-store');
      const problem = (await res.json()) as { status: number; detail: string };
      expect(problem.status).toBe(404);
      expect(problem.detail).toContain('/api/v1/openapi.json');
    }
  });

  it('answers POST on an endpoint with a problem+json 405 with Allow, as on /api/v1/params', async () => {
    const res = await fetch(`${base}/api/v1/params`, { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  // One 404 page for both locales (wrangler serves the nearest 404.html), so it speaks both and
  // links both home pages.
  for (const path of ['/nope', '/en/nope/', '/tutorial/99-missing/']) {
    it(`answers an unknown page (${path}) with the site's bilingual 404 page`, async () => {
      const res = await fetch(base + path);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      const html = await res.text();
      expect(html).toMatch(/<h1[^>]*>[^<]*404/);
      expect(html).toContain('页面未找到');
      expect(html).toContain('Page not found');
      expect(html).toMatch(/href="\/"/);
      expect(html).toMatch(/href="\/en\/"/);
    });
  }

  it('serves the favicon', async () => {
    const res = await fetch(`${base}/favicon.svg`);
    expect(res.status).toBe(200);
  });
});
