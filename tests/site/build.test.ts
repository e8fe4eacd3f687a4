// Build-level checks of the static site in site/dist (run `npm run build` first).
// They read only the built HTML, CSS and Pagefind files, so they hold for what the worker
// actually serves, whatever produced it.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { CONTENT_PAGES, INDEXED_PAGES, LOCALES, PAGES, pageFile, type Lang } from '../support/pages.ts';

// SITE_DIST points the checks at another build (e.g. a deliberately broken copy).
const DIST = resolve(process.env.SITE_DIST ?? join(dirname(fileURLToPath(import.meta.url)), '../../site/dist'));

// The site's public origin, read from `SITE` in site/astro.config.mjs (importing the config would
// run it, and it writes the OpenAPI file of the build); canonical links are checked against it.
// SITE_CONFIG reads another copy of the config.
const SITE_ORIGIN = siteOrigin();

function siteOrigin(): string {
  const file = resolve(process.env.SITE_CONFIG ?? join(dirname(fileURLToPath(import.meta.url)), '../../site/astro.config.mjs'));
  const config = readFileSync(file, 'utf8');
  const match = /^export const SITE = '([^']+)';$/m.exec(config);
  if (!match) throw new Error("site/astro.config.mjs no longer has `export const SITE = '…';`: update tests/site/build.test.ts");
  return new URL(match[1]).origin;
}

type Slug = string;

/** Pages whose subject cannot be taught without equations: KaTeX must have rendered there. */
const MATH_PAGES: readonly Slug[] = [
  'tutorial/01-introduction',
  'tutorial/02-rnn',
  'tutorial/03-vanishing-gradient',
  'tutorial/04-lstm',
  'tutorial/05-limitations',
];

/**
 * Each section of the seed outline (shared/seeds/000_91046aa3662c0263.txt), the page that
 * teaches it, and terms that page must contain in each language (matched case-insensitively
 * in the rendered text, including the TeX source KaTeX keeps for screen readers).
 */
const SEED_SECTIONS: { seed: string; slug: Slug; terms: Record<Lang, string[]> }[] = [
  {
    seed: '引言',
    slug: 'tutorial/01-introduction',
    terms: {
      'zh-CN': ['循环神经网络', '隐藏状态', '梯度消失', 'LSTM', 'seed'],
      en: ['recurrent neural network', 'hidden state', 'vanishing', 'LSTM', 'seed'],
    },
  },
  {
    seed: '回顾：什么是RNN',
    slug: 'tutorial/02-rnn',
    terms: {
      'zh-CN': ['隐藏状态', '参数共享', '随时间反向传播', 'tanh', 'W_{hh}', 'y_t = w_y'],
      en: ['hidden state', 'parameter', 'backpropagation through time', 'tanh', 'W_{hh}', 'y_t = w_y'],
    },
  },
  {
    seed: '梯度消失问题',
    slug: 'tutorial/03-vanishing-gradient',
    terms: {
      'zh-CN': ['梯度消失', '雅可比', '\\sigma_{\\max}', 'Pascanu', 'Bengio', 'Hochreiter', '初始化'],
      en: ['vanishing', 'Jacobian', '\\sigma_{\\max}', 'Pascanu', 'Bengio', 'Hochreiter', 'initialisation'],
    },
  },
  {
    seed: 'LSTM 如何改善梯度消失问题？',
    slug: 'tutorial/04-lstm',
    terms: {
      'zh-CN': ['遗忘门', '输入门', '输出门', '细胞状态', '\\operatorname{diag}(f_t)'],
      en: ['forget gate', 'input gate', 'output gate', 'cell state', '\\operatorname{diag}(f_t)'],
    },
  },
  {
    seed: 'LSTM 的局限性',
    slug: 'tutorial/05-limitations',
    terms: {
      'zh-CN': ['梯度爆炸', '裁剪', '参数', '上下文'],
      en: ['exploding', 'clipping', 'parameters', 'context'],
    },
  },
  {
    seed: '结论',
    slug: 'tutorial/06-conclusion',
    terms: {
      'zh-CN': ['LSTM', 'Transformer'],
      en: ['LSTM', 'Transformer'],
    },
  },
];

/** Headings of the sections where links to other sites (citations) are allowed. */
const CITATION_HEADING_IDS = new Set(['参考文献', '延伸阅读', 'references', 'further-reading']);

/** A Chinese page has at least this many CJK characters of prose; an English page at most the other. */
const MIN_CJK_ZH = 100;
const MAX_CJK_EN = 20;
/** A generated reference page in zh-CN has at least this many CJK characters in its chrome. */
const MIN_CJK_CHROME = 10;

const CJK = /[\u3400-\u9fff]/g;

function requireDist(): void {
  if (!existsSync(join(DIST, 'index.html'))) {
    throw new Error(`site/dist is missing or incomplete (${DIST}/index.html not found): run \`npm run build\` first`);
  }
}

function pagePath(prefix: string, slug: string): string {
  return join(DIST, pageFile(prefix, slug));
}

const parsed = new Map<string, Document>();

/** Parsed once per file; callers must not modify the returned document (clone first). */
function load(file: string): Document {
  let doc = parsed.get(file);
  if (!doc) {
    doc = parseHTML(readFileSync(file, 'utf8')).document as unknown as Document;
    parsed.set(file, doc);
  }
  return doc;
}

/** Rendered prose of a page: the Markdown content, or the whole main element on splash pages. */
function content(doc: Document): Element {
  const el = doc.querySelector('.sl-markdown-content') ?? doc.querySelector('main');
  if (!el) throw new Error('page has no main content');
  return el;
}

function filesUnder(dir: string, ext: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((p) => join(dir, p))
    .filter((p) => p.endsWith(ext) && statSync(p).isFile());
}

function isExternal(url: string): boolean {
  return /^(https?:)?\/\//i.test(url.trim());
}

function sameOrigin(url: string): boolean {
  return new URL(url, SITE_ORIGIN).origin === SITE_ORIGIN;
}

/** The id of the nearest h2 before `el` inside the content block, or undefined. */
function sectionOf(el: Element, root: Element): string | undefined {
  let node: Element | null = el;
  while (node && node.parentElement !== root) node = node.parentElement;
  for (let sib = node?.previousElementSibling ?? null; sib; sib = sib.previousElementSibling) {
    const h2 = sib.tagName === 'H2' ? sib : sib.querySelector('h2');
    if (h2) return h2.id;
  }
  return undefined;
}

const URL_ATTRIBUTES = ['src', 'href', 'srcset', 'poster', 'action', 'data', 'formaction'];

function urlsOf(el: Element): string[] {
  const out: string[] = [];
  for (const attr of URL_ATTRIBUTES) {
    const value = el.getAttribute(attr);
    if (value === null) continue;
    if (attr === 'srcset') out.push(...value.split(',').map((part) => part.trim().split(/\s+/)[0]));
    else out.push(value);
  }
  return out;
}

describe('site/dist', () => {
  it('exists (run `npm run build` first)', () => {
    requireDist();
  });
});

describe.each(LOCALES)('pages in $lang', ({ prefix, lang }) => {
  describe.each(PAGES)('/%s', (slug) => {
    it('exists, declares its language, and is not a fallback from the other locale', () => {
      requireDist();
      const file = pagePath(prefix, slug);
      expect(existsSync(file), `${relative(DIST, file)} missing`).toBe(true);
      const doc = load(file);
      expect(doc.documentElement.getAttribute('lang')).toBe(lang);
      // The generated reference pages carry the locale's chrome (sidebar, search, pagination)
      // around the English text of the OpenAPI document.
      const translated = CONTENT_PAGES.includes(slug);
      const text = (translated ? content(doc) : doc.body).textContent ?? '';
      const cjk = (text.match(CJK) ?? []).length;
      if (lang === 'zh-CN' && !translated) expect(cjk, 'reference page without the Chinese chrome').toBeGreaterThanOrEqual(MIN_CJK_CHROME);
      else if (lang === 'zh-CN') expect(cjk, 'Chinese page with little Chinese text').toBeGreaterThanOrEqual(MIN_CJK_ZH);
      else expect(cjk, 'English page showing Chinese text (untranslated fallback?)').toBeLessThanOrEqual(MAX_CJK_EN);
    });

    it('has a language switcher that keeps the page', () => {
      requireDist();
      const doc = load(pagePath(prefix, slug));
      const options = [...doc.querySelectorAll('starlight-lang-select option')].map((o) => o.getAttribute('value'));
      for (const other of LOCALES) expect(options).toContain(`/${other.prefix}${slug}${slug ? '/' : ''}`);
    });

    it('has a canonical link on the site origin and the site favicon', () => {
      requireDist();
      const doc = load(pagePath(prefix, slug));
      const canonical = doc.querySelector('link[rel="canonical"]')?.getAttribute('href') ?? '';
      expect(canonical).toBe(`${SITE_ORIGIN}/${prefix}${slug}${slug ? '/' : ''}`);
      expect(doc.querySelector('link[rel="shortcut icon"], link[rel="icon"]')?.getAttribute('href')).toBe('/favicon.svg');
    });

    it('has no raw TeX left, and any display math is keyboard-scrollable', () => {
      requireDist();
      const doc = load(pagePath(prefix, slug));
      const root = content(doc).cloneNode(true) as Element;
      for (const el of root.querySelectorAll('.katex, code, pre, script, style')) el.remove();
      expect(root.textContent ?? '').not.toMatch(/\$/);
      for (const display of doc.querySelectorAll('.katex-display')) {
        expect(display.getAttribute('tabindex')).toBe('0');
        expect(display.getAttribute('role')).toBe('group');
        expect(display.getAttribute('aria-label')).toBeTruthy();
      }
      if (MATH_PAGES.includes(slug)) {
        expect(doc.querySelectorAll('.katex').length, 'no KaTeX output on a page that needs math').toBeGreaterThan(0);
      }
    });
  });
});

describe('seed outline coverage', () => {
  describe.each(SEED_SECTIONS)('$seed → $slug', ({ slug, terms }) => {
    it.each(LOCALES)('is taught in $lang', ({ prefix, lang }) => {
      requireDist();
      const file = pagePath(prefix, slug);
      expect(existsSync(file), `${relative(DIST, file)} missing`).toBe(true);
      const text = (content(load(file)).textContent ?? '').toLowerCase();
      const missing = terms[lang].filter((term) => !text.includes(term.toLowerCase()));
      expect(missing, `key terms missing from ${relative(DIST, file)}`).toEqual([]);
    });
  });
});

describe('assets and links', () => {
  it('serves our favicon', () => {
    requireDist();
    const svg = readFileSync(join(DIST, 'favicon.svg'), 'utf8');
    expect(svg).toMatch(/^<svg[\s>]/);
  });

  it('has a Pagefind index for both languages covering every page', () => {
    requireDist();
    const entry = JSON.parse(readFileSync(join(DIST, 'pagefind', 'pagefind-entry.json'), 'utf8')) as {
      languages: Record<string, { hash: string; page_count: number }>;
    };
    for (const { pagefind: key } of LOCALES) {
      const language = entry.languages[key];
      expect(language, `no Pagefind index for ${key}`).toBeDefined();
      expect(language.page_count).toBeGreaterThanOrEqual(INDEXED_PAGES.length);
      expect(existsSync(join(DIST, 'pagefind', `pagefind.${language.hash}.pf_meta`))).toBe(true);
    }
  });

  // Resources (scripts, styles, fonts, images, frames) must all come from the site itself:
  // no CDN, no font service, nothing a reader's browser fetches from a third party. The only
  // URLs to other sites allowed are <a> links inside a page's references or further-reading
  // section, because citing a paper by its DOI or arXiv page is the point of those lists and a
  // link is only followed when the reader chooses to.
  it('loads nothing from another origin and links out only from citation lists', () => {
    requireDist();
    const offenders: string[] = [];
    for (const file of filesUnder(DIST, '.html')) {
      const doc = load(file);
      const root = doc.querySelector('.sl-markdown-content');
      for (const el of doc.querySelectorAll('*')) {
        for (const url of urlsOf(el)) {
          if (!isExternal(url) || sameOrigin(url)) continue;
          const inCitations =
            el.tagName === 'A' && root !== null && root.contains(el) && CITATION_HEADING_IDS.has(sectionOf(el, root) ?? '');
          if (!inCitations) offenders.push(`${relative(DIST, file)}: <${el.tagName.toLowerCase()}> ${url}`);
        }
      }
    }
    for (const file of filesUnder(DIST, '.css')) {
      for (const m of readFileSync(file, 'utf8').matchAll(/(?:url\(\s*['"]?|@import\s+['"])((?:https?:)?\/\/[^'")\s]+)/gi)) {
        if (!sameOrigin(m[1])) offenders.push(`${relative(DIST, file)}: ${m[1]}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  // The links validator checks Markdown links at build time; this also covers links in
  // components and layouts. /api/* is answered by the worker, not by a file in site/dist.
  it('has no broken internal links between pages', () => {
    requireDist();
    const broken: string[] = [];
    for (const file of filesUnder(DIST, '.html')) {
      for (const a of load(file).querySelectorAll('a[href]')) {
        const href = a.getAttribute('href') ?? '';
        if (!href.startsWith('/') || href.startsWith('//') || href.startsWith('/api/')) continue;
        const path = decodeURIComponent(href.split(/[?#]/)[0]);
        const target = join(DIST, path);
        const ok = path.endsWith('/') ? existsSync(join(target, 'index.html')) : existsSync(target) || existsSync(join(target, 'index.html'));
        if (!ok) broken.push(`${relative(DIST, file)}: ${href}`);
      }
    }
    expect(broken).toEqual([]);
  });
});

describe('widgets in the built pages', () => {
  /** Every built page with its widgets (gf-* elements). */
  function widgets(): { page: string; el: Element }[] {
    requireDist();
    return filesUnder(DIST, '.html').flatMap((file) =>
      Array.from(load(file).querySelectorAll('[data-defaults]'))
        .filter((el) => el.localName.startsWith('gf-'))
        .map((el) => ({ page: relative(DIST, file), el })),
    );
  }

  it('every tutorial widget is on a page in both locales', () => {
    const tags = (english: boolean) =>
      [...new Set(widgets().filter((w) => w.page.startsWith('en/') === english).map((w) => w.el.localName))].sort();
    expect(tags(true).length).toBeGreaterThanOrEqual(7);
    expect(tags(true)).toEqual(tags(false));
  });

  // A state key without a control cannot be changed by a reader; a control without a key would
  // not reach the URL or the API. Either means a control went missing from the markup.
  it('has the build-time figure, a table alternative, and one control per state key', () => {
    for (const { page, el } of widgets()) {
      const where = `${el.localName} on ${page}`;
      const figure = el.querySelector('[data-figure]');
      expect(figure?.querySelector('svg'), `${where}: a build-time SVG figure`).toBeTruthy();
      expect(el.querySelector('[data-table] table'), `${where}: a table alternative`).toBeTruthy();
      const keys = Object.keys(JSON.parse(el.getAttribute('data-defaults') ?? '{}') as object).sort();
      const names = [...new Set(Array.from(el.querySelectorAll('[data-controls] [name]')).map((c) => c.getAttribute('name')!))].sort();
      expect(names, `${where}: controls`).toEqual(keys);
      for (const control of Array.from(el.querySelectorAll('[data-controls] [name]'))) {
        const name = control.getAttribute('name');
        const label = control.closest('label, fieldset');
        expect(label?.textContent?.trim().length ?? 0, `${where}: ${name} has a visible label`).toBeGreaterThan(0);
        if (control.localName === 'select') {
          expect(control.querySelectorAll('option').length, `${where}: ${name} has options`).toBeGreaterThan(1);
          expect(control.querySelector('option[selected]')?.getAttribute('value'), `${where}: ${name} selects its default`)
            .toBe((JSON.parse(el.getAttribute('data-defaults')!) as Record<string, string>)[name!]);
        }
      }
    }
  });
});
