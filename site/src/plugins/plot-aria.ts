// After the build, two accessibility fixes on every page's HTML:
// - the prerendered widget figures get what lib/plot-aria.ts does in the browser: a mark's
//   <g aria-label="…"> becomes <g data-mark="…"> (an existing data-mark wins);
// - every code block (<pre>, Expressive Code's included) is focusable, so one that scrolls
//   sideways can be scrolled from the keyboard (axe: scrollable-region-focusable).
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

const PRE_WITHOUT_TABINDEX = /<pre\b(?![^>]*\btabindex=)/g;

export function focusableCodeBlocks(html: string): string {
  return html.replace(PRE_WITHOUT_TABINDEX, '<pre tabindex="0"');
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
          const quiet = focusableCodeBlocks(quietMarksInHtml(html));
          if (quiet !== html) writeFileSync(path, quiet);
        }
      },
    },
  };
}
