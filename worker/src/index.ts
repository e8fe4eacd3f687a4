import { Hono } from 'hono';

export interface Env {
  ASSETS: Fetcher;
  RATE_LIMITER: RateLimit;
  BUDGET_MACS: string;
  BUDGET_TRAIN_MACS: string;
  RATE_LIMIT_ENABLED: string;
}

const app = new Hono<{ Bindings: Env }>();
app.get('/api/v1/health', (c) => c.json({ ok: true }));

export default app;
