// The numeric core is pure TypeScript over Float64Arrays, shared by the worker, the site's build
// and the tests: it may import only its own modules, and it may not touch anything a host
// provides (Workers, Node, the DOM, Hono, Astro, the clock, I/O). The core is compiled with the
// workers types, so a stray `fetch` or `Date.now()` would still type-check; this test is the guard.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const coreDir = new URL('../../worker/src/core/', import.meta.url);
const files = readdirSync(coreDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));

/** The file without comments and string literals, so prose that names a global does not count. */
function code(file: string): string {
  return readFileSync(new URL(file, coreDir), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '')
    .replace(/`(?:\\.|[^`\\])*`|'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"/g, "''");
}

/** Host globals and APIs the core must not use. */
const HOST = /\b(fetch|crypto|console|Date|globalThis|window|document|navigator|process|require|performance|setTimeout|setInterval|queueMicrotask|caches|Request|Response|Headers|URL|TextEncoder|TextDecoder|WebAssembly|eval|Function|import\.meta)\b/;

describe('worker/src/core is self-contained', () => {
  it('finds the core files', () => {
    expect(files).toEqual(expect.arrayContaining(['math.ts', 'lstm-fused.ts', 'train.ts']));
  });

  it('imports only sibling core modules', () => {
    for (const file of files) {
      const text = readFileSync(new URL(file, coreDir), 'utf8');
      const specifiers = [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s+['"]([^'"]+)['"]/gm), ...text.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);
      for (const s of specifiers) expect(s, `${file} imports ${s}`).toMatch(/^\.\/[\w-]+\.ts$/);
    }
  });

  it('uses no host global', () => {
    for (const file of files) expect(code(file).match(HOST)?.[0], file).toBeUndefined();
  });
});
