// Every state a widget's controls can reach is a request the API answers within its default
// budgets (wrangler.toml [vars]): a reader moving every slider to its end gets a figure, not a
// 422. The controls' ranges are read from the built pages; each widget's requests come from the
// same query builders its element uses, tied to the element by the built data links.
import { parseHTML } from 'linkedom';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requestPath, type Endpoint, type Query } from '../../site/src/lib/api.ts';
import { buildTimeResponse } from '../../site/src/lib/build-api.ts';
import { toQueries as clippingQueries } from '../../site/src/components/clipping/chart.ts';
import { toQuery as costQuery } from '../../site/src/components/cost/chart.ts';
import { gradientsQuery, jacobianQuery } from '../../site/src/components/forget-gate/chart.ts';
import { toQuery as flowQuery } from '../../site/src/components/gradient-flow/chart.ts';
import { toQuery as insideQuery } from '../../site/src/components/inside-lstm/chart.ts';
import { runsOf } from '../../site/src/components/memory-horizon/chart.ts';
import { toQuery as pascanuQuery } from '../../site/src/components/pascanu/chart.ts';

const DIST = join(import.meta.dirname, '../../site/dist');

type State = Record<string, string>;
/** What each widget's element asks the API for a state (element.ts `requests`). */
const REQUESTS: Record<string, (s: State) => [Endpoint, Query][]> = {
  'gf-gradient-flow': (s) => [['gradients', flowQuery(s)]],
  'gf-pascanu': (s) => [['jacobian', pascanuQuery(s)]],
  'gf-forget-gate': (s) => [['gradients', gradientsQuery(s)], ['jacobian', jacobianQuery(s)]],
  'gf-inside-lstm': (s) => [['trace', insideQuery(s)]],
  'gf-clipping': (s) => clippingQueries(s).map((q): [Endpoint, Query] => ['train', q]),
  'gf-cost': (s) => [['params', costQuery(s)]],
  'gf-memory-horizon': (s) => runsOf(s).map((run): [Endpoint, Query] => ['train', run.query]),
};

/** Widgets of the Chinese tutorial pages (the English ones have the same controls). */
function builtWidgets(): Element[] {
  const pages = ['03-vanishing-gradient', '04-lstm', '05-limitations'];
  return pages.flatMap((p) => {
    const html = readFileSync(join(DIST, 'tutorial', p, 'index.html'), 'utf8');
    return Array.from(parseHTML(html).document.querySelectorAll('[data-defaults]')).filter((el) => el.localName.startsWith('gf-'));
  });
}

/**
 * The dearest state: every range at its maximum, every numeric select at its largest option,
 * every checkbox checked (cost grows with sizes, steps and cells; other choices leave it alone).
 */
function dearestState(el: Element): State {
  const state = { ...(JSON.parse(el.getAttribute('data-defaults')!) as State) };
  const boxes = new Map<string, string[]>();
  for (const c of Array.from(el.querySelectorAll('[data-controls] [name]'))) {
    const name = c.getAttribute('name')!;
    if (c.localName === 'select') {
      const values = Array.from(c.querySelectorAll('option')).map((o) => o.getAttribute('value')!);
      if (values.every((v) => Number.isFinite(Number(v)))) state[name] = values.reduce((a, b) => (Number(b) > Number(a) ? b : a));
    } else if (c.getAttribute('type') === 'range') {
      state[name] = c.getAttribute('max')!;
    } else if (c.getAttribute('type') === 'checkbox') {
      boxes.set(name, [...(boxes.get(name) ?? []), c.getAttribute('value')!]);
    }
  }
  for (const [name, values] of boxes) state[name] = values.join(',');
  return state;
}

describe('widget controls stay within the API budgets', () => {
  const widgets = builtWidgets();

  it('every widget on the tutorial pages is covered', () => {
    expect(widgets.map((el) => el.localName).sort()).toEqual(Object.keys(REQUESTS).sort());
  });

  for (const tag of Object.keys(REQUESTS)) {
    it(`${tag}: the defaults ask for exactly the data links, and the dearest state is answered`, async () => {
      const el = widgets.find((w) => w.localName === tag)!;
      const defaults = JSON.parse(el.getAttribute('data-defaults')!) as State;
      const links = Array.from(el.querySelectorAll('a[data-link]')).map((a) => a.getAttribute('href'));
      expect(REQUESTS[tag](defaults).map(([e, q]) => requestPath(e, q)), 'the test builds the widget\u2019s own requests').toEqual(links);

      const dearest = dearestState(el);
      for (const [endpoint, query] of REQUESTS[tag](dearest)) {
        // Throws with the status and problem body (422 names cost and budget) if refused.
        const body = await buildTimeResponse(endpoint, query);
        expect(body.config, requestPath(endpoint, query)).toBeDefined();
      }
    });
  }
});
