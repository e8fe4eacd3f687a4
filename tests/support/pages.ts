// Every page the site is meant to have, derived from what the build is made of (never from its
// output, which would test the build against itself): the Starlight content entries in
// site/src/content/docs, the OpenAPI reference pages starlight-openapi generates from the worker's
// own OpenAPI document, and the one bilingual 404 page (site/src/pages/404.astro).
// Shared by tests/site/build.test.ts and tests/deploy/dry-run.test.ts.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOpenApiDocument } from '../../worker/src/openapi.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const DOCS = join(ROOT, 'site/src/content/docs');

/** The site's locales: URL prefix, <html lang>, and the language key of the Pagefind index. */
export const LOCALES = [
  { prefix: '', lang: 'zh-CN', pagefind: 'zh-cn' },
  { prefix: 'en/', lang: 'en', pagefind: 'en' },
] as const;
export type Lang = (typeof LOCALES)[number]['lang'];

// site/astro.config.mjs: starlightOpenAPI's `base` for the root locale (the English copy is the
// same under en/).
const OPENAPI_BASE = 'reference/openapi';
// The HTTP methods starlight-openapi makes pages for (its libs/operation.ts).
const OPENAPI_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function frontmatter(file: string): string {
  return /^---\n([\s\S]*?)\n---/.exec(readFileSync(file, 'utf8'))?.[1] ?? '';
}

/**
 * Slugs of the content pages of the root locale ('' is the home page): one per .md/.mdx file
 * outside en/. A page that sets its own `slug:` would be at another URL, so that is refused here.
 */
function contentEntries(): { slug: string; indexed: boolean }[] {
  return readdirSync(DOCS, { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.mdx?$/.test(file) && !file.startsWith('en/'))
    .map((file) => {
      const meta = frontmatter(join(DOCS, file));
      if (/^slug:/m.test(meta)) throw new Error(`${file} sets its own slug: extend tests/support/pages.ts`);
      // Starlight leaves a page out of the search index when its frontmatter says `pagefind: false`.
      return { slug: file.replace(/\.mdx?$/, '').replace(/(^|\/)index$/, ''), indexed: !/^pagefind:\s*false\s*$/m.test(meta) };
    })
    .sort((a, b) => a.slug.localeCompare(b.slug));
}

/**
 * github-slugger's result for the identifiers this document uses (letters, digits, '-', '_').
 * Anything else (spaces, punctuation, non-ASCII) is refused rather than guessed.
 */
function slugOf(name: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new Error(`OpenAPI name ${JSON.stringify(name)}: extend slugOf in tests/support/pages.ts`);
  return name.toLowerCase();
}

/**
 * The pages starlight-openapi builds for the document (its libs/route.ts): the overview, one page
 * per operation (operationId, or the path when there is none), and one overview per tag that has
 * a description or external docs.
 */
function openApiSlugs(): string[] {
  const document = buildOpenApiDocument() as {
    paths?: Record<string, Record<string, { operationId?: string; tags?: string[] }>>;
    tags?: { name: string; description?: string; externalDocs?: unknown }[];
    webhooks?: Record<string, unknown>;
  };
  if (Object.keys(document.webhooks ?? {}).length > 0) throw new Error('the OpenAPI document has webhooks: add their pages to tests/support/pages.ts');
  const slugs = [OPENAPI_BASE];
  const tagsUsed = new Set<string>();
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    const operations = OPENAPI_METHODS.filter((method) => method in item).map((method) => ({ method, ...item[method] }));
    for (const { method, operationId, tags } of operations) {
      const id = operationId ?? path;
      const duplicate = operations.filter((other) => (other.operationId ?? path) === id).length > 1;
      slugs.push(`${OPENAPI_BASE}/operations/${slugOf(id)}${duplicate ? `/${method}` : ''}`);
      for (const tag of tags ?? ['Operations']) tagsUsed.add(tag);
    }
  }
  for (const tag of tagsUsed) {
    const declared = document.tags?.find((t) => t.name === tag);
    if (declared && (declared.description || declared.externalDocs !== undefined)) {
      slugs.push(`${OPENAPI_BASE}/operations/tags/${slugOf(tag)}`);
    }
  }
  return slugs.sort();
}

/** Content pages, by slug: each exists in every locale with its own translation. */
const CONTENT = contentEntries();
export const CONTENT_PAGES: readonly string[] = CONTENT.map((entry) => entry.slug);

/** Generated OpenAPI reference pages, by slug: each exists in every locale (English text). */
export const OPENAPI_PAGES: readonly string[] = openApiSlugs();

/** Every page that exists once per locale, by slug. */
export const PAGES: readonly string[] = [...CONTENT_PAGES, ...OPENAPI_PAGES];

/** The pages of each locale the search index must cover (every generated reference page is indexed). */
export const INDEXED_PAGES: readonly string[] = [...CONTENT.filter((entry) => entry.indexed).map((entry) => entry.slug), ...OPENAPI_PAGES];

/** Pages outside the locales: the one bilingual 404 page. Not in the search index. */
export const UNLOCALISED_PAGES: readonly string[] = ['404.html'];

/** Where a page of a locale is in the build, relative to site/dist. */
export function pageFile(prefix: string, slug: string): string {
  return join(prefix, slug, 'index.html');
}

/** Every HTML file the build must contain, relative to site/dist. */
export function expectedHtmlFiles(): string[] {
  return [...LOCALES.flatMap(({ prefix }) => PAGES.map((slug) => pageFile(prefix, slug))), ...UNLOCALISED_PAGES];
}
