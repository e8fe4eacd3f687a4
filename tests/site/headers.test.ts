// The CSP in dist/_headers must allow exactly the inline scripts the pages contain: a script
// added without its hash would be blocked in the browser, a stale hash would widen the policy.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/server.ts';

// The same override as tests/support/server.ts, so a parallel build elsewhere can be checked.
const DIST = process.env.GRADFLOW_ASSETS_DIR ?? join(ROOT, 'site/dist');

function header(name: string): string {
  const file = readFileSync(join(DIST, '_headers'), 'utf8');
  const line = file.split('\n').find((l) => l.trim().toLowerCase().startsWith(`${name.toLowerCase()}:`));
  expect(line, `_headers has no ${name}`).toBeDefined();
  return line!.slice(line!.indexOf(':') + 1).trim();
}

function inlineScripts(): string[] {
  const bodies: string[] = [];
  for (const file of readdirSync(DIST, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.html')) continue;
    const html = readFileSync(join(DIST, file), 'utf8');
    // Independent of the plugin's own regex: split on tags by hand.
    for (const chunk of html.split('<script').slice(1)) {
      const openEnd = chunk.indexOf('>');
      if (/\bsrc\s*=/.test(chunk.slice(0, openEnd))) continue;
      const body = chunk.slice(openEnd + 1, chunk.indexOf('</script>'));
      if (body.trim()) bodies.push(body);
    }
  }
  return bodies;
}

describe('security headers of the static site', () => {
  it('are generated into site/dist/_headers for every path', () => {
    expect(existsSync(join(DIST, '_headers')), 'run npm run build first').toBe(true);
    expect(readFileSync(join(DIST, '_headers'), 'utf8')).toMatch(/^\/\*$/m);
  });

  it('hash every inline script and nothing else', () => {
    const csp = header('Content-Security-Policy');
    const scriptSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src'))!;
    const listed = new Set(scriptSrc.split(/\s+/).filter((t) => t.startsWith("'sha256-")));
    const needed = new Set(inlineScripts().map((b) => `'sha256-${createHash('sha256').update(b).digest('base64')}'`));
    expect(needed.size).toBeGreaterThan(0);
    expect([...needed].filter((h) => !listed.has(h))).toEqual([]);
    expect([...listed].filter((h) => !needed.has(h))).toEqual([]);
  });

  it('allow no third-party origin and no unsafe script source', () => {
    const csp = header('Content-Security-Policy');
    expect(csp).not.toMatch(/https?:\/\//);
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).toMatch(/object-src 'none'/);
    expect(header('X-Content-Type-Options')).toBe('nosniff');
    expect(header('Referrer-Policy')).toBe('strict-origin-when-cross-origin');
    expect(header('Strict-Transport-Security')).toMatch(/max-age=\d{7,}/);
  });
});
