// <gf-forget-gate>: the live side of ForgetGate.astro.
import { FittedWidgetElement } from '../../lib/fitted-widget.ts';
import type { Request, State } from '../../lib/widget.ts';
import { forgetGateChart, forgetGateReadout, forgetGateTable, gradientsQuery, jacobianQuery, type ForgetGateData } from './chart.ts';
import type { ForgetGateStrings } from './strings.ts';

class ForgetGateElement extends FittedWidgetElement<ForgetGateData> {
  protected requests(state: State): Request[] {
    return [
      { endpoint: 'gradients', query: gradientsQuery(state) },
      { endpoint: 'jacobian', query: jacobianQuery(state) },
    ];
  }

  protected render(data: ForgetGateData): void {
    const strings = this.i18n as ForgetGateStrings;
    this.figure().innerHTML = forgetGateReadout(data, strings, this.locale);
    this.figure().append(forgetGateChart(data, strings, this.locale, undefined, this.chartWidth()));
    this.table().innerHTML = forgetGateTable(data, strings, this.locale);
  }
}

customElements.define('gf-forget-gate', ForgetGateElement);
