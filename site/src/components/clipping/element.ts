// <gf-clipping>: the live side of Clipping.astro. Two /train requests per state (the same seed
// without and with clipping), fetched together and drawn together.
import type { TrainResponse } from '../../../../worker/src/schemas.ts';
import { WidgetElement, type Request, type State } from '../../lib/widget.ts';
import { clippingChart, clippingTable, toQueries } from './chart.ts';
import type { ClippingStrings } from './strings.ts';

class ClippingElement extends WidgetElement<[TrainResponse, TrainResponse]> {
  protected requests(state: State): Request[] {
    return toQueries(state).map((query) => ({ endpoint: 'train', query }));
  }

  protected override async refresh(): Promise<void> {
    // The activation only exists for the RNN; the select stays in the URL state but is inert.
    const activation = this.querySelector<HTMLSelectElement>('select[name=nonlinearity]');
    if (activation) activation.disabled = this.state.cell !== 'rnn';
    return super.refresh();
  }

  protected render(bodies: [TrainResponse, TrainResponse]): void {
    const strings = this.i18n as ClippingStrings;
    this.figure().replaceChildren(clippingChart(bodies, strings, this.locale));
    this.table().innerHTML = clippingTable(bodies, strings, this.locale);
  }
}

customElements.define('gf-clipping', ClippingElement);
