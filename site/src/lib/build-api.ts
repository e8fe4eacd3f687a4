// Build-time access to the API: the site's default figures are computed by the very worker app
// that answers /api/v1 at run time (same core, same canonical JSON), called in-process.
import app from '../../../worker/src/index.ts';
import { requestPath, type Endpoint, type Query, type ResponseOf } from './api.ts';

// The budgets in wrangler.toml [vars] apply at build time too, so a default figure can never
// show a request the live API would refuse.
const wranglerToml = await import('../../../wrangler.toml?raw').then((m) => m.default as string);
function topLevelVar(name: string): string {
  const vars = wranglerToml.split(/^\[vars\]$/m)[1]?.split(/^\[/m)[0] ?? '';
  const match = new RegExp(`^${name}\\s*=\\s*"([^"]*)"`, 'm').exec(vars);
  if (!match) throw new Error(`wrangler.toml [vars] has no ${name}`);
  return match[1];
}

const buildEnv = {
  BUDGET_MACS: topLevelVar('BUDGET_MACS'),
  BUDGET_TRAIN_MACS: topLevelVar('BUDGET_TRAIN_MACS'),
  RATE_LIMIT_ENABLED: 'false',
  RATE_LIMITER: { limit: async () => ({ success: true }) },
};

export async function buildTimeResponse<E extends Endpoint>(endpoint: E, query: Query): Promise<ResponseOf[E]> {
  const path = requestPath(endpoint, query);
  const res = await app.request(path, {}, buildEnv);
  if (!res.ok) throw new Error(`build-time request ${path} failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as ResponseOf[E];
}
