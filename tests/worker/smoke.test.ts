import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
describe('smoke', () => {
  it('health', async () => {
    const res = await exports.default.fetch('http://x/api/v1/health');
    expect(res.status).toBe(200);
  });
});
