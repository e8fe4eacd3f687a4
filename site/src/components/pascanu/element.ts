// <gf-pascanu>: the live side of Pascanu.astro.
import type { JacobianResponse } from '../../../../worker/src/schemas.ts';
import { FittedWidgetElement } from '../../lib/fitted-widget.ts';
import type { Request, State } from '../../lib/widget.ts';
import { pascanuChart, pascanuReadout, pascanuTable, toQuery } from './chart.ts';
import type { PascanuStrings } from './strings.ts';

class PascanuElement extends FittedWidgetElement<[JacobianResponse]> {
  protected requests(state: State): Request[] {
    return [{ endpoint: 'jacobian', query: toQuery(state) }];
  }

  protected render([body]: [JacobianResponse]): void {
    const strings = this.i18n as PascanuStrings;
    this.figure().innerHTML = pascanuReadout(body, strings, this.locale);
    this.figure().append(pascanuChart(body, strings, this.locale, undefined, this.chartWidth()));
    this.table().innerHTML = pascanuTable(body, strings, this.locale);
  }
}

customElements.define('gf-pascanu', PascanuElement);
