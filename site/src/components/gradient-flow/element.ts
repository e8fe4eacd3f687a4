// <gf-gradient-flow>: the live side of GradientFlow.astro.
import type { GradientsResponse } from '../../../../worker/src/schemas.ts';
import { FittedWidgetElement } from '../../lib/fitted-widget.ts';
import type { Request, State } from '../../lib/widget.ts';
import { gradientFlowChart, gradientFlowTable, toQuery } from './chart.ts';
import type { GradientFlowStrings } from './strings.ts';

class GradientFlowElement extends FittedWidgetElement<[GradientsResponse]> {
  protected requests(state: State): Request[] {
    return [{ endpoint: 'gradients', query: toQuery(state) }];
  }

  protected validate(state: State): string | null {
    return state.cells ? null : this.t('needCell');
  }

  protected render([body]: [GradientsResponse]): void {
    const strings = this.i18n as GradientFlowStrings;
    this.figure().replaceChildren(gradientFlowChart(body, strings, this.locale, undefined, this.chartWidth()));
    this.table().innerHTML = gradientFlowTable(body, strings, this.locale);
  }
}

customElements.define('gf-gradient-flow', GradientFlowElement);
