// Bindings and [vars] of the worker (wrangler.toml). Vars arrive as strings.
export interface Env {
  ASSETS: Fetcher;
  RATE_LIMITER: RateLimit;
  /** Multiply-adds one /gradients, /jacobian or /trace request may cost. */
  BUDGET_MACS: string;
  /** Multiply-adds one /train request may cost. */
  BUDGET_TRAIN_MACS: string;
  /** "true" to limit requests per client IP through RATE_LIMITER. */
  RATE_LIMIT_ENABLED: string;
  /** Seconds of the RATE_LIMITER period, sent as Retry-After (default 60). */
  RATE_LIMIT_PERIOD?: string;
}
