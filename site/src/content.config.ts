import { defineCollection } from 'astro:content';
import { z } from 'astro/zod';
import { docsLoader, i18nLoader } from '@astrojs/starlight/loaders';
import { docsSchema, i18nSchema } from '@astrojs/starlight/schema';

// UI strings of the site's own components (widgets), next to Starlight's, in
// src/content/i18n/{zh-CN,en}.json. Components read them with Astro.locals.t('gradflow.…').
// Declaring a key here makes it required in both files, so neither language can miss one;
// add a widget's keys to this object when you add the widget.
const gradflowStrings = z.object({
  'gradflow.widget.loading': z.string(),
  'gradflow.widget.error': z.string(),
  'gradflow.widget.retry': z.string(),
  'gradflow.widget.data': z.string(),
  'gradflow.widget.copyCurl': z.string(),
  'gradflow.widget.copied': z.string(),
  'gradflow.widget.tableAlternative': z.string(),
  'gradflow.widget.buildTimeNote': z.string(),
});

export const collections = {
  docs: defineCollection({ loader: docsLoader(), schema: docsSchema() }),
  i18n: defineCollection({ loader: i18nLoader(), schema: i18nSchema({ extend: gradflowStrings }) }),
};
