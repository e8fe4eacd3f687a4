// Runs once in Node before the workerd tests: what Node computes is handed to workerd by
// `provide`, so a test there can require the same bytes (cross-runtime.test.ts) and see that the
// served OpenAPI document is the one validated here (openapi.test.ts; the validator reads its
// meta-schemas from disk, which workerd cannot).
import { Validator } from '@seriousme/openapi-schema-validator';
import type { TestProject } from 'vitest/node';
import { buildOpenApiDocument } from '../../worker/src/openapi.ts';
import { coreFingerprint } from './fingerprint.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    nodeCoreFingerprint: Record<string, string>;
    openApiValidation: { version: string; valid: boolean; errors: string; document: string };
  }
}

export default async function setup(project: TestProject): Promise<void> {
  project.provide('nodeCoreFingerprint', await coreFingerprint());
  const document = buildOpenApiDocument();
  const validator = new Validator();
  const result = await validator.validate(JSON.parse(JSON.stringify(document)) as Record<string, unknown>);
  project.provide('openApiValidation', {
    version: validator.version,
    valid: result.valid,
    errors: JSON.stringify(result.errors ?? null),
    document: JSON.stringify(document),
  });
}
