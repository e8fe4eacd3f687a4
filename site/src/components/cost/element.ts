// <gf-cost>: the live side of Cost.astro.
import type { ParamsResponse } from '../../../../worker/src/schemas.ts';
import { FittedWidgetElement } from '../../lib/fitted-widget.ts';
import type { Request, State } from '../../lib/widget.ts';
import { costChart, costFormulas, costTable, toQuery } from './chart.ts';
import type { CostStrings } from './strings.ts';

class CostElement extends FittedWidgetElement<[ParamsResponse]> {
  protected requests(state: State): Request[] {
    return [{ endpoint: 'params', query: toQuery(state) }];
  }

  protected render([body]: [ParamsResponse]): void {
    const strings = this.i18n as CostStrings;
    this.figure().innerHTML = costFormulas(body, strings, this.locale);
    this.figure().append(costChart(body, strings, this.locale, undefined, this.chartWidth()));
    this.table().innerHTML = costTable(body, strings, this.locale);
  }
}

customElements.define('gf-cost', CostElement);
