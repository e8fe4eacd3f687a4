// The same query, asked many times at once and again after the server restarts, returns identical
// bytes and the same ETag: nothing in a body depends on time, load, cache state or the isolate.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server.ts';

const QUERIES = [
  '/api/v1/gradients',
  '/api/v1/gradients?cells=rnn,lstm,gru&seq_len=120&gain=1.1',
  '/api/v1/jacobian?cell=lstm&seq_len=20&hidden_size=8',
  '/api/v1/trace?cell=gru&seq_len=30&hidden_size=8',
  '/api/v1/train?cell=lstm&seq_len=6&hidden_size=4&steps=30&batch_size=4',
];
const CONCURRENT = 24;

async function answer(base: string, query: string, client: number) {
  // Distinct client addresses keep the rate limiter out of the picture.
  const res = await fetch(`${base}${query}`, { headers: { 'CF-Connecting-IP': `198.51.100.${client % 250}` } });
  return { status: res.status, etag: res.headers.get('ETag'), body: await res.text() };
}

const restarted: RunningServer[] = [];
afterAll(async () => {
  for (const server of restarted) await server.stop();
});

describe('determinism of the running API', () => {
  const base = inject('baseUrl');
  const first = new Map<string, { etag: string | null; body: string }>();

  it.each(QUERIES)(`gives identical bytes and ETag to ${CONCURRENT} concurrent requests: %s`, async (query) => {
    const answers = await Promise.all(Array.from({ length: CONCURRENT }, (_, k) => answer(base, query, k)));
    for (const a of answers) expect(a.status).toBe(200);
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(new Set(answers.map((a) => a.etag)).size).toBe(1);
    expect(answers[0].etag).toMatch(/^"[^"]+"$/);
    first.set(query, answers[0]);
  });

  it('gives the same bytes and ETags after the server restarts, twice', async () => {
    for (let round = 0; round < 2; round++) {
      const server = await startServer();
      restarted.push(server);
      for (const query of QUERIES) {
        const again = await answer(server.url, query, round);
        expect(again.status).toBe(200);
        expect(again.etag, query).toBe(first.get(query)!.etag);
        expect(again.body === first.get(query)!.body, `${query}: body changed across a restart`).toBe(true);
      }
      await server.stop();
    }
  });
});
