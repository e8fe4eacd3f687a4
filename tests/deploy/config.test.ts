// wrangler.toml's environments as wrangler itself reads them (its own parser and env resolution):
// the budgets the site is built with are reachable in every deployed environment, and each
// environment's Retry-After var matches its rate limiter's period.
// GRADFLOW_WRANGLER_CONFIG points the checks at another file (e.g. a deliberately broken copy).
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { experimental_readRawConfig, unstable_readConfig } from 'wrangler';
import { ROOT } from '../support/server.ts';

const CONFIG = resolve(process.env.GRADFLOW_WRANGLER_CONFIG ?? join(ROOT, 'wrangler.toml'));
const BUDGET_VARS = ['BUDGET_MACS', 'BUDGET_TRAIN_MACS'] as const;

/** The environments the file declares ([env.<name>]); the workflow and npm scripts deploy these. */
function environmentNames(): string[] {
  const { rawConfig } = experimental_readRawConfig({ config: CONFIG }) as { rawConfig: { env?: Record<string, unknown> } };
  return Object.keys(rawConfig.env ?? {});
}

interface RateLimit {
  name: string;
  simple: { limit: number; period: number };
}

function read(env: string | undefined) {
  const config = unstable_readConfig({ config: CONFIG, env }, { hideWarnings: true });
  return { vars: config.vars as Record<string, unknown>, ratelimits: config.ratelimits as RateLimit[] };
}

function budget(vars: Record<string, unknown>, name: string): number {
  const value = Number(vars[name]);
  expect(Number.isSafeInteger(value) && value > 0, `${name} = ${String(vars[name])} is not a positive integer`).toBe(true);
  return value;
}

const ENVIRONMENTS = environmentNames();

describe(`wrangler.toml (${CONFIG})`, () => {
  it('declares the staging and production environments', () => {
    expect(ENVIRONMENTS).toEqual(expect.arrayContaining(['staging', 'production']));
  });
});

// site/src/lib/build-api.ts computes the pages' build-time figures with the top-level [vars]; a
// figure whose request is over an environment's budget would be refused by that environment's API.
describe.each(ENVIRONMENTS)('[env.%s] budgets', (env) => {
  it.each(BUDGET_VARS)('%s is at least the top-level value the site is built with', (name) => {
    const topLevel = budget(read(undefined).vars, name);
    expect(budget(read(env).vars, name)).toBeGreaterThanOrEqual(topLevel);
  });
});

describe.each([{ label: 'top level', env: undefined }, ...ENVIRONMENTS.map((env) => ({ label: `[env.${env}]`, env }))])(
  '$label rate limit',
  ({ env }) => {
    it("sets RATE_LIMIT_PERIOD (sent as Retry-After) to its rate limiter's period", () => {
      const { vars, ratelimits } = read(env);
      const limiter = ratelimits.find((r) => r.name === 'RATE_LIMITER');
      expect(limiter, 'no RATE_LIMITER binding').toBeDefined();
      expect(vars.RATE_LIMIT_PERIOD, 'RATE_LIMIT_PERIOD is not set').toBeDefined();
      expect(Number(vars.RATE_LIMIT_PERIOD)).toBe(limiter!.simple.period);
    });
  },
);

// The worker answers /api itself in every environment: a bare `/api` is not matched by "/api/*",
// and the assets layer would answer it with the site's HTML 404 instead of a problem+json 404.
describe.each([{ label: 'top level', env: undefined }, ...ENVIRONMENTS.map((env) => ({ label: `[env.${env}]`, env }))])(
  '$label assets',
  ({ env }) => {
    it('runs the worker first for /api and everything under it', () => {
      const config = unstable_readConfig({ config: CONFIG, env }, { hideWarnings: true });
      expect(config.assets?.run_worker_first).toEqual(expect.arrayContaining(['/api', '/api/*']));
    });
  },
);
