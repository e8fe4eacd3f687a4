// Middleware in front of every /api route: CORS for any origin, and the per-IP rate limit.
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { Env } from './env.ts';
import { ApiError } from './problem.ts';

export const ALLOWED_METHODS = ['GET', 'HEAD', 'OPTIONS'] as const;
export const ALLOW_HEADER = ALLOWED_METHODS.join(', ');

/** Any origin, no credentials, read-only methods; the validators and timings are readable. */
export const apiCors = cors({
  origin: '*',
  allowMethods: [...ALLOWED_METHODS],
  allowHeaders: ['Accept', 'If-None-Match', 'Cache-Control', 'Last-Event-ID'],
  exposeHeaders: ['ETag', 'Server-Timing', 'Retry-After', 'Allow'],
  maxAge: 86400,
  credentials: false,
});

/**
 * Headers on every API answer, errors included. The API serves JSON, never a document, so its
 * CSP forbids everything; Timing-Allow-Origin lets cross-origin pages read Server-Timing through
 * the Resource Timing API too. (The site's pages get theirs from site/dist/_headers.)
 */
export const API_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'Timing-Allow-Origin': '*',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
};

export const apiResponseHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  for (const [name, value] of Object.entries(API_RESPONSE_HEADERS)) c.res.headers.set(name, value);
};

const DEFAULT_RATE_LIMIT_PERIOD = 60;

/**
 * Per-client-IP limit through the Workers rate-limiting binding. Cloudflare always sets
 * CF-Connecting-IP at the edge; a request without it (a local test calling the worker directly)
 * has no client to count and is not limited.
 */
export const rateLimit: MiddlewareHandler<{ Bindings: Env }> = async (c, next) => {
  const ip = c.req.header('CF-Connecting-IP');
  if (c.req.method === 'OPTIONS' || c.env?.RATE_LIMIT_ENABLED !== 'true' || !ip || !c.env.RATE_LIMITER) {
    return next();
  }
  const { success } = await c.env.RATE_LIMITER.limit({ key: ip });
  if (!success) {
    const period = Number(c.env.RATE_LIMIT_PERIOD) || DEFAULT_RATE_LIMIT_PERIOD;
    throw new ApiError('rate-limited', `Too many requests from this address; retry after ${period} seconds.`, {
      headers: { 'Retry-After': String(period) },
    });
  }
  return next();
};
