// starlight-openapi knows nothing of locales: the reference is generated twice (once under
// /reference/openapi/, once under /en/reference/openapi/) and its route middleware puts BOTH
// generated sidebar groups on every page. This middleware runs before it in the chain, lets it
// finish, then drops the group that belongs to the other locale and recomputes prev/next from
// what is left, so a Chinese page never links into the English reference and vice versa.
import { defineRouteMiddleware, type StarlightRouteData } from '@astrojs/starlight/route-data';

type Entry = StarlightRouteData['sidebar'][number];
type Link = Extract<Entry, { type: 'link' }>;

/** Locale prefixes other than the root's (astro.config.mjs `locales`, minus root). */
const PREFIXED_LOCALES = ['en'];

function localeOfHref(href: string): string | undefined {
  const first = href.split('/').filter(Boolean)[0];
  return first !== undefined && PREFIXED_LOCALES.includes(first) ? first : undefined;
}

function links(entries: readonly Entry[]): Link[] {
  return entries.flatMap((e) => (e.type === 'group' ? links(e.entries) : [e]));
}

/** Removes every group whose links all lead to another locale than `locale`. */
export function keepLocale(entries: readonly Entry[], locale: string | undefined): Entry[] {
  return entries.flatMap((entry): Entry[] => {
    if (entry.type === 'link') return [entry];
    const own = links(entry.entries);
    if (own.length > 0 && own.every((l) => localeOfHref(l.href) !== locale)) return [];
    return [{ ...entry, entries: keepLocale(entry.entries, locale) }];
  });
}

export const onRequest = defineRouteMiddleware(async (context, next) => {
  await next();
  const route = context.locals.starlightRoute;
  route.sidebar = keepLocale(route.sidebar, route.locale);
  const flat = links(route.sidebar);
  const at = flat.findIndex((l) => l.isCurrent);
  if (at === -1) return;
  const { prev, next: nextConfig } = route.entry.data;
  // Pages of this site set no custom prev/next labels; `false` still switches a link off.
  route.pagination = {
    prev: prev === false ? undefined : flat[at - 1],
    next: nextConfig === false ? undefined : flat[at + 1],
  };
});
