// The OpenAPI document without an HTTP request, for the site's build (API reference pages).
import app from './index.ts';
import { documentOf } from './openapi-doc.ts';

export function buildOpenApiDocument(): ReturnType<typeof documentOf> {
  return documentOf(app);
}
