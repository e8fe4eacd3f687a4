// GET /api/v1/openapi.json: the OpenAPI 3.1 document, generated from the routes' schemas.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { TypedResponse } from 'hono';
import type { Env } from '../env.ts';
import { etagOfBytes, JSON_TYPE, matchesIfNoneMatch } from '../http.ts';
import { defineQuery } from '../param-kit.ts';
import { strictQuery } from '../query.ts';
import { ROUTING_RESPONSES, STANDARD_RESPONSES } from './common.ts';

const noQuery = defineQuery({}).query;

/**
 * The document can change on a deployment without a model_version change, so it is cached
 * briefly; within those 5 minutes a given ETag (model_version + SHA-256 of the bytes) never
 * changes its body, hence immutable.
 */
export const OPENAPI_CACHE_CONTROL = 'public, max-age=300, immutable';

const ETAG = {
  description: 'Strong validator from model_version and the SHA-256 of the document bytes.',
  schema: { type: 'string' as const },
};

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
      headers: {
        ETag: ETAG,
        'Cache-Control': { description: OPENAPI_CACHE_CONTROL, schema: { type: 'string' as const } },
      },
      content: { 'application/json': { schema: z.looseObject({ openapi: z.string() }) } },
    },
    304: { ...STANDARD_RESPONSES[304], headers: { ETag: ETAG } },
    400: STANDARD_RESPONSES[400],
    429: STANDARD_RESPONSES[429],
    ...ROUTING_RESPONSES,
  },
});

/**
 * `document` is a closure over the root app (which is not built yet when this runs). The document
 * is a pure function of the routes, so it is generated, serialised and hashed once per isolate,
 * on the first request, not on every request (a 304 included).
 */
export function openApiRoutes(document: () => { openapi: string }) {
  let served: Promise<{ text: string; etag: string }> | undefined;
  const serve = async () => {
    const text = JSON.stringify(document());
    return { text, etag: await etagOfBytes(new TextEncoder().encode(text)) };
  };
  return new OpenAPIHono<{ Bindings: Env }>().openapi(route, async (c) => {
    served ??= serve();
    const { text, etag } = await served;
    const headers = { ETag: etag, 'Cache-Control': OPENAPI_CACHE_CONTROL };
    // The typed response is a promise to hc clients about the 200 body; 304 has none by definition.
    type Typed = TypedResponse<{ openapi: string }, 200, 'json'>;
    if (matchesIfNoneMatch(c.req.header('If-None-Match'), etag)) {
      return new Response(null, { status: 304, headers }) as unknown as Typed;
    }
    return new Response(text, { status: 200, headers: { ...headers, 'Content-Type': JSON_TYPE } }) as unknown as Typed;
  });
}
