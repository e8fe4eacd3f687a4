// After the build, the prerendered widget figures get what lib/plot-aria.ts does in the browser:
// a mark's <g aria-label="…"> becomes <g data-mark="…"> (an existing data-mark wins).
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';

const G_WITH_LABEL = /<g\b([^>]*?)\saria-label="([^"]*)"([^>]*)>/g;

export function quietMarksInHtml(html: string): string {
  return html.replace(G_WITH_LABEL, (_all, before: string, label: string, after: string) => {
    const rest = `${before}${after}`;
    return /\sdata-mark=/.test(rest) ? `<g${rest}>` : `<g${before} data-mark="${label}"${after}>`;
  });
}

export default function plotAria(): AstroIntegration {
  return {
    name: 'gradflow:plot-aria',
    hooks: {
      'astro:build:done': ({ dir }) => {
        const root = fileURLToPath(dir);
        for (const file of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
          if (!file.endsWith('.html')) continue;
          const path = join(root, file);
          const html = readFileSync(path, 'utf8');
          const quiet = quietMarksInHtml(html);
          if (quiet !== html) writeFileSync(path, quiet);
        }
      },
    },
  };
}
