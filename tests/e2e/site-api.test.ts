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
