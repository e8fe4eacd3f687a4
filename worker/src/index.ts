// Only handlers may be exported here: workerd treats every named export of the main module as an
// entrypoint and refuses to start on a plain constant.
// The worker: the public API under /api/v1 (one sub-app per endpoint), everything else from the
// static assets (the site). Errors of every kind leave through onError/notFound as problem+json.
import { OpenAPIHono } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import type { Env } from './env.ts';
import { ALLOW_HEADER, apiCors, rateLimit, apiResponseHeaders } from './middleware.ts';
import { documentOf } from './openapi-doc.ts';
import { ApiError, invalidQuery, problemResponse } from './problem.ts';
import { issueErrors } from './query.ts';
import { GRADIENTS_PATH, gradients } from './routes/gradients.ts';
import { JACOBIAN_PATH, jacobian } from './routes/jacobian.ts';
import { openApiRoutes } from './routes/openapi.ts';
import { PARAMS_PATH, params } from './routes/params.ts';
import { TRACE_PATH, trace } from './routes/trace.ts';
import { TRAIN_PATH, train } from './routes/train.ts';

export type { Env } from './env.ts';

const OPENAPI_PATH = '/api/v1/openapi.json';

/** Every path the API answers; any other method on one of them is 405, any other /api path 404. */
const API_PATHS: ReadonlySet<string> = new Set([
  GRADIENTS_PATH,
  JACOBIAN_PATH,
  TRACE_PATH,
  TRAIN_PATH,
  PARAMS_PATH,
  OPENAPI_PATH,
]);

// Middleware first (registration order is run order), then the endpoints, chained so that
// AppType carries every route's schema for hc<AppType>.
const root = new OpenAPIHono<{ Bindings: Env }>({
  // Reached only if the strict parser let something through that the schema then refused.
  defaultHook: (result, c) => {
    if (!result.success) throw invalidQuery(issueErrors(result.error.issues, c.req.query()));
  },
});
root.use('/api/*', apiResponseHeaders);
root.use('/api/*', apiCors);
root.use('/api/*', rateLimit);

const app = root
  .route('/api/v1', gradients)
  .route('/api/v1', jacobian)
  .route('/api/v1', trace)
  .route('/api/v1', train)
  .route('/api/v1', params)
  .route('/api/v1', openApiRoutes(() => documentOf(root)));

function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/');
}

app.notFound((c) => {
  const path = c.req.path;
  if (!isApiPath(path)) {
    // In production the assets layer answers these before the worker runs; this serves tests
    // and `wrangler dev` setups that route everything through the worker.
    if (c.env?.ASSETS) return c.env.ASSETS.fetch(c.req.raw);
  }
  if (API_PATHS.has(path)) {
    return problemResponse(
      new ApiError('method-not-allowed', `${c.req.method} is not allowed on ${path}; use GET.`, {
        headers: { Allow: ALLOW_HEADER },
      }),
    );
  }
  return problemResponse(
    new ApiError('not-found', `There is no endpoint at ${path}. The API is described at ${OPENAPI_PATH}.`),
  );
});

app.onError((err, c) => {
  if (err instanceof ApiError) return problemResponse(err);
  if (err instanceof HTTPException && err.status < 500) {
    return problemResponse(new ApiError('invalid-query', err.message || 'The request is invalid.'));
  }
  console.error('unhandled error', c.req.method, c.req.path, err);
  return problemResponse(new ApiError('internal', 'The server failed to answer this request.'));
});

export type AppType = typeof app;
export default app;
