// GET /api/v1/openapi.json: the OpenAPI 3.1 document, generated from the routes' schemas.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Env } from '../env.ts';
import { defineQuery } from '../param-kit.ts';
import { strictQuery } from '../query.ts';
import { ROUTING_RESPONSES, STANDARD_RESPONSES } from './common.ts';

const noQuery = defineQuery({}).query;

/** The document changes with each deployment, so it is cached briefly, not forever. */
export const OPENAPI_CACHE_CONTROL = 'public, max-age=300';

const route = createRoute({
  method: 'get',
  path: '/openapi.json',
  operationId: 'getOpenApiDocument',
  tags: ['meta'],
  summary: 'This OpenAPI 3.1 document',
  middleware: [strictQuery(noQuery)] as const,
  request: { query: noQuery },
  responses: {
    200: {
      description: 'The OpenAPI 3.1 document of the API.',
      content: { 'application/json': { schema: z.looseObject({ openapi: z.string() }) } },
    },
    400: STANDARD_RESPONSES[400],
    429: STANDARD_RESPONSES[429],
    ...ROUTING_RESPONSES,
  },
});

/** `document` is called per request: the root app passes a closure over itself. */
export function openApiRoutes(document: () => { openapi: string }) {
  return new OpenAPIHono<{ Bindings: Env }>().openapi(route, (c) => {
    c.header('Cache-Control', OPENAPI_CACHE_CONTROL);
    return c.json(document(), 200);
  });
}
