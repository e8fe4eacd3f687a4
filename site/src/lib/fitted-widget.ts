// A widget whose chart is drawn at the width of its column. The build-time figure is drawn
// CHART_WIDTH wide and scaled by its viewBox; on a phone that shrinks its text below legibility,
// so there the figure is drawn again (same state, one cached API request) at the column's width.
import { CHART_WIDTH } from './chart-theme.ts';
import { WidgetElement } from './widget.ts';

const MIN_CHART_WIDTH = 300;
/** Scaled by less than this, the build-time figure's text stays readable. */
const READABLE_SCALE = 0.8;

export abstract class FittedWidgetElement<Data = unknown> extends WidgetElement<Data> {
  connectedCallback(): void {
    super.connectedCallback();
    const isDefault = Object.keys(this.defaults).every((key) => this.state[key] === this.defaults[key]);
    // A state other than the default is being fetched already, and will be drawn to fit.
    if (isDefault && this.figure().clientWidth < CHART_WIDTH * READABLE_SCALE) void this.refresh();
  }

  /** The width to draw the chart at: the column's, within [MIN_CHART_WIDTH, CHART_WIDTH]. */
  protected chartWidth(): number {
    return Math.min(CHART_WIDTH, Math.max(MIN_CHART_WIDTH, Math.floor(this.figure().clientWidth)));
  }
}
