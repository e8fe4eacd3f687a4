// The GitHub workflow cannot run here, so its structure is checked: the test job runs .ci/run in a
// Debian container (where .ci/run's apt-get gets Debian's Chromium), both deploy jobs wait for it,
// use the project's pinned wrangler, and run only for their ref: staging for main, production for
// a v* tag. Job conditions are evaluated for sample events by a small evaluator of the expression
// subset they use. GRADFLOW_WORKFLOW points the checks at another file (e.g. a broken copy).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { experimental_readRawConfig } from 'wrangler';
import { parse } from 'yaml';
import { ROOT } from '../support/server.ts';

const WORKFLOW = resolve(process.env.GRADFLOW_WORKFLOW ?? join(ROOT, '.github/workflows/ci.yml'));

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  'runs-on'?: string;
  container?: string | { image: string };
  needs?: string | string[];
  if?: string;
  env?: Record<string, unknown>;
  steps: Step[];
}
interface Workflow {
  on: { push?: { branches?: string[]; tags?: string[] }; pull_request?: unknown };
  jobs: Record<string, Job>;
}

const workflow = parse(readFileSync(WORKFLOW, 'utf8')) as Workflow;
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };

// Debian releases the official node images are built on (node:<version>-<codename>[-slim]).
const DEBIAN_CODENAMES = ['bullseye', 'bookworm', 'trixie', 'forky'];

function image(job: Job): string | undefined {
  return typeof job.container === 'string' ? job.container : job.container?.image;
}

function isDebian(name: string | undefined): boolean {
  const m = /^(node|debian):(.+)$/.exec(name ?? '');
  if (!m) return false;
  return DEBIAN_CODENAMES.some((codename) => m[2].split('-').includes(codename));
}

// ---- A tiny evaluator for the `if:` expressions: ==, !=, &&, ||, !, (), 'strings',
// startsWith(a, b), and github.event_name / github.ref. Anything else is an error.
type GithubContext = { event_name: string; ref: string };

function evaluate(expression: string, github: GithubContext): boolean {
  const tokens = expression.replace(/^\s*\$\{\{([\s\S]*)\}\}\s*$/, '$1').match(/'(?:[^']|'')*'|==|!=|&&|\|\||[!(),]|[A-Za-z_][\w.-]*|\S/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const take = (expected?: string) => {
    const token = tokens[i++];
    if (expected !== undefined && token !== expected) throw new Error(`expected ${expected} in ${expression}`);
    return token;
  };
  const primary = (): unknown => {
    const token = take();
    if (token === '(') {
      const value = or();
      take(')');
      return value;
    }
    if (token === '!') return !truthy(primary());
    if (token?.startsWith("'")) return token.slice(1, -1).replaceAll("''", "'");
    if (token === 'startsWith') {
      take('(');
      const a = String(or());
      take(',');
      const b = String(or());
      take(')');
      return a.toLowerCase().startsWith(b.toLowerCase());
    }
    if (token === 'github.event_name') return github.event_name;
    if (token === 'github.ref') return github.ref;
    throw new Error(`unsupported token ${token} in ${expression}`);
  };
  const comparison = (): unknown => {
    const left = primary();
    if (peek() === '==' || peek() === '!=') {
      const op = take();
      const right = primary();
      // GitHub compares strings ignoring case.
      const equal = typeof left === 'string' && typeof right === 'string' ? left.toLowerCase() === right.toLowerCase() : left === right;
      return op === '==' ? equal : !equal;
    }
    return left;
  };
  const chain = (next: () => unknown, op: string, combine: (a: boolean, b: boolean) => boolean) => (): unknown => {
    let value = next();
    while (peek() === op) {
      take();
      const right = next();
      value = combine(truthy(value), truthy(right));
    }
    return value;
  };
  const and = chain(comparison, '&&', (a, b) => a && b);
  const or = chain(and, '||', (a, b) => a || b);
  const truthy = (v: unknown) => v !== '' && v !== false && v !== null && v !== undefined;
  const result = or();
  if (i !== tokens.length) throw new Error(`trailing tokens in ${expression}`);
  return truthy(result);
}

/** GitHub's filter patterns: `*` matches within a path segment, `**` across segments. */
function matches(pattern: string, name: string): boolean {
  const source = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*\*|\*/g, (star) => (star === '**' ? '.*' : '[^/]*'));
  return new RegExp(`^${source}$`).test(name);
}

/** Whether a push of `ref` starts the workflow at all. */
function pushTriggers(ref: string): boolean {
  const push = workflow.on.push;
  if (!push) return false;
  if (ref.startsWith('refs/heads/')) return (push.branches ?? []).some((p) => matches(p, ref.slice('refs/heads/'.length)));
  if (ref.startsWith('refs/tags/')) return (push.tags ?? []).some((p) => matches(p, ref.slice('refs/tags/'.length)));
  return false;
}

/** Whether the job runs for this event (the workflow is started and the job's `if` holds). */
function runs(jobName: string, github: GithubContext): boolean {
  const job = workflow.jobs[jobName];
  const started = github.event_name === 'push' ? pushTriggers(github.ref) : github.event_name === 'pull_request' && 'pull_request' in workflow.on;
  return started && (job.if === undefined || evaluate(job.if, github));
}

// Tests on every push of a branch, every pull request and every v* tag; no run for other tags.
const EVENTS: { label: string; github: GithubContext; test: boolean; staging: boolean; production: boolean }[] = [
  { label: 'push to main', github: { event_name: 'push', ref: 'refs/heads/main' }, test: true, staging: true, production: false },
  { label: 'push to a feature branch', github: { event_name: 'push', ref: 'refs/heads/feature/x' }, test: true, staging: false, production: false },
  { label: 'push of tag v0.2.0', github: { event_name: 'push', ref: 'refs/tags/v0.2.0' }, test: true, staging: false, production: true },
  { label: 'push of tag release-1', github: { event_name: 'push', ref: 'refs/tags/release-1' }, test: false, staging: false, production: false },
  { label: 'pull request', github: { event_name: 'pull_request', ref: 'refs/pull/7/merge' }, test: true, staging: false, production: false },
];

const DEPLOYS = [
  { job: 'deploy-staging', env: 'staging' },
  { job: 'deploy-production', env: 'production' },
] as const;

describe(`${WORKFLOW}: the test job`, () => {
  const test = workflow.jobs.test;

  it('runs in a Debian-based container', () => {
    expect(test, 'no job named test').toBeDefined();
    expect(image(test), `container image ${image(test)}`).toSatisfy(isDebian);
  });

  it('runs `bash .ci/run` (as root in the container, no sudo)', () => {
    const runs = test.steps.map((s) => s.run?.trim()).filter(Boolean);
    expect(runs).toContain('bash .ci/run');
    for (const run of runs) expect(run).not.toMatch(/\bsudo\b/);
    expect(test.steps.some((s) => s.uses?.startsWith('actions/checkout@'))).toBe(true);
  });

  it('keeps the screenshots as artifacts, also when a test failed', () => {
    const upload = test.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(upload, 'no actions/upload-artifact step').toBeDefined();
    expect(test.steps.indexOf(upload!)).toBeGreaterThan(test.steps.findIndex((s) => s.run?.trim() === 'bash .ci/run'));
    expect((upload as Step & { if?: string }).if).toBe('always()');
    // where tests/e2e writes them (artifacts/screenshots, gitignored)
    expect(String(upload!.with?.path)).toMatch(/^artifacts\/screenshots\/?$/);
  });

  it.each(EVENTS)('on a $label: runs exactly when it should', (event) => {
    expect(runs('test', event.github)).toBe(event.test);
  });
});

describe.each(DEPLOYS)(`${WORKFLOW}: $job`, ({ job: name, env }) => {
  const job = workflow.jobs[name];
  const wrangler = () => job.steps.find((s) => s.uses?.startsWith('cloudflare/wrangler-action@'));

  it('needs the test job', () => {
    expect(job, `no job named ${name}`).toBeDefined();
    expect([job.needs].flat()).toContain('test');
  });

  it("deploys with the official wrangler action and package.json's wrangler version", () => {
    const step = wrangler();
    expect(step, 'no cloudflare/wrangler-action step').toBeDefined();
    expect(pkg.devDependencies.wrangler).toMatch(/^\d+\.\d+\.\d+$/);
    expect(String(step!.with?.wranglerVersion)).toBe(pkg.devDependencies.wrangler);
    expect(step!.with?.apiToken).toBe('${{ secrets.CLOUDFLARE_API_TOKEN }}');
    expect(step!.with?.accountId).toBe('${{ secrets.CLOUDFLARE_ACCOUNT_ID }}');
  });

  it(`runs \`deploy --env ${env}\`, an environment wrangler.toml declares, after building the site`, () => {
    expect(String(wrangler()!.with?.command).trim()).toBe(`deploy --env ${env}`);
    const { rawConfig } = experimental_readRawConfig({ config: join(ROOT, 'wrangler.toml') }) as { rawConfig: { env?: object } };
    expect(Object.keys(rawConfig.env ?? {})).toContain(env);
    const runs = job.steps.map((s) => s.run?.trim());
    expect(runs.indexOf('npm run build'), 'npm run build').toBeGreaterThan(runs.indexOf('npm ci --no-audit --no-fund'));
    expect(runs.indexOf('npm ci --no-audit --no-fund'), 'npm ci').toBeGreaterThanOrEqual(0);
  });

  it('sends no wrangler metrics', () => {
    expect(String(job.env?.WRANGLER_SEND_METRICS)).toBe('false');
  });

  it.each(EVENTS)('on a $label: runs exactly when it should', (event) => {
    expect(runs(name, event.github)).toBe(event[env]);
  });
});
