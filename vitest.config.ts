import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

// Two layers, two runtimes: the numeric core in Node, the worker inside workerd.
// e2e runs the built site + API in a real `wrangler dev` (tests/support/server.ts).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'core',
          environment: 'node',
          include: ['tests/core/**/*.test.ts'],
          testTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'deploy',
          environment: 'node',
          include: ['tests/deploy/**/*.test.ts'],
          testTimeout: 240_000,
          hookTimeout: 240_000,
        },
      },
      {
        test: {
          name: 'site',
          environment: 'node',
          include: ['tests/site/**/*.test.ts'],
          testTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/support/global-server.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              // The budgets come from wrangler.toml [vars] as deployed; only the rate limit is
              // lowered, so a test reaches it in a few requests. Requests without
              // CF-Connecting-IP are not limited, so the other tests never meet it.
              ratelimits: {
                RATE_LIMITER: { namespace_id: '1001', simple: { limit: 5, period: 60 } },
              },
            },
          }),
        ],
        test: {
          name: 'worker',
          include: ['tests/worker/**/*.test.ts'],
          // Runs in Node: computes the core's fingerprint and validates the OpenAPI document
          // there, and provides both to the tests inside workerd.
          globalSetup: ['tests/worker/global-setup.ts'],
          testTimeout: 120_000,
        },
      },
    ],
  },
});
