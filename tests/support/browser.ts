// Browser side of the e2e suite: Debian's Chromium through playwright-core, the list of the
// site's pages, and the watchers every browser test shares (console errors, failed requests,
// widget renders).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.GRADFLOW_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Throws a plain message when Chromium is missing. Never a skip: in CI (`CI=true`) the suite
 * must fail, and locally the reader is told how to get the browser.
 */
export function requireChromium(): void {
  if (existsSync(CHROMIUM_PATH)) return;
  const how = 'Install it with `sudo apt-get install chromium fonts-noto-cjk` (Debian/Ubuntu), or point GRADFLOW_CHROMIUM at a Chromium binary.';
  if (process.env.CI === 'true') {
    throw new Error(`CI: the browser suite needs Chromium at ${CHROMIUM_PATH}, and it is not there. .ci/run installs it. ${how}`);
  }
  throw new Error(`The browser tests need Chromium at ${CHROMIUM_PATH}, which was not found. ${how}`);
}

export async function launchBrowser(): Promise<Browser> {
  requireChromium();
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export type Lang = 'zh-CN' | 'en';
export type Theme = 'light' | 'dark';

export interface SitePage {
  /** URL path with a trailing slash, e.g. "/en/tutorial/03-vanishing-gradient/". */
  path: string;
  lang: Lang;
  /** The same page without the locale prefix, e.g. "/tutorial/03-vanishing-gradient/". */
  slug: string;
  /** Size of the page's HTML in bytes. */
  bytes: number;
}

/** Every page of the build (each index.html; the 404 page is not a page of the tutorial). */
export function sitePages(assetsDir: string): SitePage[] {
  const pages: SitePage[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) {
        if (name !== '_astro' && name !== 'pagefind') walk(full);
      } else if (name === 'index.html') {
        const rel = relative(assetsDir, dir).split(sep).filter(Boolean);
        const path = `/${rel.map((p) => `${p}/`).join('')}`;
        const lang: Lang = rel[0] === 'en' ? 'en' : 'zh-CN';
        const slug = lang === 'en' ? path.slice(3) : path;
        pages.push({ path, lang, slug, bytes: statSync(full).size });
      }
    }
  };
  walk(assetsDir);
  return pages.sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * Bytes a page pulls in, read from the build alone (deterministic): its HTML plus every local
 * script and stylesheet it references, followed through the scripts' static and dynamic imports
 * (a widget's chart code is a chunk its script imports, fetched when the widget comes into view).
 * Each file counts once. Fonts and images are not counted.
 */
export function pageWeight(assetsDir: string, page: SitePage): number {
  const html = readFileSync(join(assetsDir, page.path, 'index.html'), 'utf8');
  const seen = new Set<string>();
  const queue = Array.from(html.matchAll(/["'](\/[^"'\s]+\.(?:js|css))["']/g), (m) => m[1]);
  let total = page.bytes;
  while (queue.length) {
    const ref = queue.shift()!;
    if (seen.has(ref)) continue;
    seen.add(ref);
    const file = join(assetsDir, ref);
    if (!existsSync(file)) continue;
    total += statSync(file).size;
    if (!ref.endsWith('.js')) continue;
    const dir = ref.slice(0, ref.lastIndexOf('/') + 1);
    for (const m of readFileSync(file, 'utf8').matchAll(/["'](\.{1,2}\/[^"'\s]+\.(?:js|css)|\/[^"'\s]+\.(?:js|css))["']/g)) {
      queue.push(m[1].startsWith('/') ? m[1] : new URL(m[1], `http://x${dir}`).pathname);
    }
  }
  return total;
}

/**
 * THE heaviest tutorial page: the one page that the Lighthouse test (tests/e2e/lighthouse.test.ts)
 * and the bench's Lighthouse section (bench/run.ts, bench/sizes.ts) both profile. Among the
 * Chinese tutorial pages (the default locale; each English twin carries the same widgets), the
 * largest pageWeight — HTML plus all its JavaScript and CSS as the build holds them — with ties
 * broken by path, so the same build always gives the same page.
 */
export function heaviestTutorialPage(assetsDir: string): { page: SitePage; bytes: number } {
  const ranked = sitePages(assetsDir)
    .filter((p) => p.lang === 'zh-CN' && p.slug.startsWith('/tutorial/'))
    .map((page) => ({ page, bytes: pageWeight(assetsDir, page) }))
    .sort((a, b) => b.bytes - a.bytes || a.page.path.localeCompare(b.page.path));
  if (!ranked.length) throw new Error(`no tutorial pages in ${assetsDir}`);
  return ranked[0];
}

/** What went wrong on a page: console errors, uncaught exceptions, failed or 4xx/5xx requests. */
export interface Problems {
  readonly list: string[];
  clear(): void;
}

export function watchProblems(page: Page, ignore: (text: string) => boolean = () => false): Problems {
  // A request cut off because the page navigated away (through the language switcher, or the next
  // test's page.goto while the last page still loads a script) is not a failure of the page; every
  // other failed request is. Whether it was cut off is only known later: page.url() changes when
  // the new document commits, and the old page may still start requests after the navigation
  // began. So an aborted request stays a candidate, and counts only while the page is still on
  // the document that made it and no main-frame navigation has started since.
  const found: { text: string; aborted?: { url: string; navigation: number } }[] = [];
  const add = (text: string, aborted?: { url: string; navigation: number }) => {
    if (!ignore(text)) found.push({ text, aborted });
  };
  page.on('console', (msg) => {
    if (msg.type() === 'error') add(`console error: ${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (err) => add(`uncaught: ${err.message}`));
  const started = new WeakMap<object, { url: string; navigation: number }>();
  let navigations = 0;
  page.on('request', (req) => {
    if (req.isNavigationRequest() && req.frame() === page.mainFrame()) navigations += 1;
    started.set(req, { url: page.url(), navigation: navigations });
  });
  page.on('requestfailed', (req) => {
    const error = req.failure()?.errorText ?? '';
    const from = started.get(req);
    add(`request failed: ${req.url()} (${error}) on ${from?.url}`, error.includes('ERR_ABORTED') ? from : undefined);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) add(`HTTP ${res.status()}: ${res.url()}`);
  });
  const cutOff = (a: { url: string; navigation: number }) => a.url !== page.url() || a.navigation < navigations;
  return {
    get list() {
      return found.filter((p) => !(p.aborted && cutOff(p.aborted))).map((p) => p.text);
    },
    clear: () => void found.splice(0),
  };
}

/** A context whose pages open in the given Starlight theme (localStorage + prefers-color-scheme). */
export async function newContext(
  browser: Browser,
  theme: Theme = 'light',
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: { width: 1100, height: 900 },
    colorScheme: theme,
    reducedMotion: 'reduce',
    ...options,
  });
  await context.addInitScript((t) => {
    try {
      localStorage.setItem('starlight-theme', t);
    } catch { /* opaque origins (about:blank) have no storage */ }
    // Counts successful widget renders, so tests can wait for "the figure was redrawn".
    (window as unknown as { __gfRenders: Record<string, number> }).__gfRenders = {};
    document.addEventListener('gf-rendered', (event) => {
      const tag = (event.target as Element).localName;
      const renders = (window as unknown as { __gfRenders: Record<string, number> }).__gfRenders;
      renders[tag] = (renders[tag] ?? 0) + 1;
    });
  }, theme);
  return context;
}

/** Number of successful renders of a widget since the page loaded. */
export function renders(page: Page, tag: string): Promise<number> {
  return page.evaluate((t) => (window as unknown as { __gfRenders: Record<string, number> }).__gfRenders[t] ?? 0, tag);
}

export async function waitForRender(page: Page, tag: string, after: number, timeout = 60_000): Promise<void> {
  await page.waitForFunction(
    ([t, n]) => ((window as unknown as { __gfRenders: Record<string, number> }).__gfRenders[t as string] ?? 0) > (n as number),
    [tag, after] as const,
    { timeout },
  );
}

/** The gf-* custom elements in the build, each with the pages (paths) carrying it. */
export function widgetsInBuild(assetsDir: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const page of sitePages(assetsDir)) {
    const html = readFileSync(join(assetsDir, page.path, 'index.html'), 'utf8');
    for (const tag of new Set(Array.from(html.matchAll(/<(gf-[a-z0-9-]+)[\s>]/g), (m) => m[1]))) {
      found.set(tag, [...(found.get(tag) ?? []), page.path]);
    }
  }
  return found;
}

/** True when the text contains Han characters (Chinese). */
export function hasHan(text: string): boolean {
  return /\p{Script=Han}/u.test(text);
}
