// The site is typed from the worker's schemas: every response shape the API sends is a type
// exported by worker/src/schemas.ts, and no file under site/src may declare a type or interface
// of the same name by hand (a hand-written copy drifts: the site once typed the /train progress
// event's loss as number where the schema says number | null). Re-exports are fine.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/server.ts';

const schemaTypes = [...readFileSync(join(ROOT, 'worker/src/schemas.ts'), 'utf8').matchAll(/^export type (\w+)/gm)].map(
  (m) => m[1],
);

function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|astro)$/.test(f))
    .map((f) => join(dir, f));
}

describe('site types come from the worker schemas', () => {
  it('the schemas export the response types (the list this test checks against)', () => {
    for (const name of ['GradientsResponse', 'TrainResponse', 'TrainProgressEvent', 'Problem', 'ParamsResponse']) {
      expect(schemaTypes).toContain(name);
    }
  });

  it('no site file declares a type or interface named like one of them', () => {
    const found: string[] = [];
    for (const file of sources(join(ROOT, 'site/src'))) {
      const text = readFileSync(file, 'utf8');
      for (const name of schemaTypes) {
        const declared = new RegExp(`\\b(interface\\s+${name}\\b|type\\s+${name}\\s*(<[^>]*>)?\\s*=)`);
        if (declared.test(text)) found.push(`${file.slice(ROOT.length + 1)}: ${name}`);
      }
    }
    expect(found).toEqual([]);
  });
});
