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

  it('answers an unknown page with the site 404 page', async () => {
    const res = await fetch(`${base}/nope`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toMatch(/404/);
  });

  it('serves the favicon', async () => {
    const res = await fetch(`${base}/favicon.svg`);
    expect(res.status).toBe(200);
  });
});
