// <gf-inside-lstm>: the live side of InsideLstm.astro.
//
// Two kinds of state. The request state (seq_len, hidden_size, forget_bias, seed) is the base
// class's: in `defaults`, in the URL, and every change is a /trace request. The view state (the
// time step t and the unit j shown in the diagram) is kept out of `defaults` on purpose: the base
// class requests on every change of a `defaults` key, and a scrub must only redraw from the trace
// already loaded. So this class handles the scrubber's and the unit select's events itself (they
// sit outside the controls form the base listens to) and writes their `<widget>.t` / `.unit`
// URL keys with history.replaceState; the base keeps the other keys of the URL as they are.
import type { TraceResponse } from '../../../../worker/src/schemas.ts';
import { CHART_WIDTH } from '../../lib/chart-theme.ts';
import { WidgetElement, type Request, type State } from '../../lib/widget.ts';
import {
  VIEW_DEFAULTS,
  clampView,
  lstmDiagram,
  lstmHeatmaps,
  lstmMeansTable,
  lstmUnitsTable,
  lstmTrace,
  moveHeatmapRules,
  toQuery,
  type LstmTrace,
} from './chart.ts';
import type { InsideLstmStrings } from './strings.ts';

type ViewKey = keyof typeof VIEW_DEFAULTS;
const MIN_HEATMAP_WIDTH = 280;
/** Redraw the build-time heatmaps on load only if the real width differs by more than this (px). */
const WIDTH_SLACK = 24;

class InsideLstmElement extends WidgetElement<[TraceResponse]> {
  /** The trace the figure shows: the build-time default (embedded in the page) until a request. */
  private trace: LstmTrace | null = null;
  private view: Record<ViewKey, string> = { ...VIEW_DEFAULTS };
  private frame = 0;

  protected requests(state: State): Request[] {
    return [{ endpoint: 'trace', query: toQuery(state) }];
  }

  connectedCallback(): void {
    super.connectedCallback();
    this.view = { ...VIEW_DEFAULTS, ...this.viewFromUrl() };
    this.scrubber()?.addEventListener('input', () => this.onView('t', this.scrubber()!.value));
    this.unitSelect()?.addEventListener('change', () => this.onView('unit', this.unitSelect()!.value));
    const requestIsDefault = Object.keys(this.defaults).every((key) => this.state[key] === this.defaults[key]);
    if (!requestIsDefault) return; // the base is fetching; render() paints the view then
    const embedded = this.querySelector<HTMLElement>('[data-lstm]')?.dataset.trace;
    if (!embedded) return;
    this.trace = JSON.parse(embedded) as LstmTrace;
    const builtWidth = Number(this.heatmaps().dataset.width);
    const resized = Math.abs(this.heatmapWidth() - builtWidth) > WIDTH_SLACK;
    const viewIsDefault = this.view.t === VIEW_DEFAULTS.t && this.view.unit === VIEW_DEFAULTS.unit;
    // The build drew the default view at a typical width; redraw only what differs (no request).
    if (resized || !viewIsDefault) this.paint(this.trace);
  }

  protected render([body]: [TraceResponse]): void {
    this.trace = lstmTrace(body);
    this.paint(this.trace);
  }

  private paint(trace: LstmTrace): void {
    const strings = this.i18n as InsideLstmStrings;
    const view = clampView(trace, this.view);
    const scrubber = this.scrubber();
    if (scrubber) {
      scrubber.max = String(trace.T);
      scrubber.value = String(view.t);
    }
    this.fillUnitOptions(trace.H, view.unit);
    // Drawn at the width it is shown at, so axis text keeps its size on a phone.
    const width = this.heatmapWidth();
    this.heatmaps().replaceChildren(...lstmHeatmaps(trace, view.t, strings, this.locale, width).childNodes);
    this.heatmaps().dataset.width = String(width);
    this.tablePart('means').innerHTML = lstmMeansTable(trace, strings, this.locale);
    this.paintView(trace);
  }

  /** Everything that depends on t and j only: diagram, rules, table, outputs. */
  private paintView(trace: LstmTrace): void {
    const strings = this.i18n as InsideLstmStrings;
    const view = clampView(trace, this.view);
    this.diagram().innerHTML = lstmDiagram(trace, view, strings, this.locale);
    moveHeatmapRules(this.heatmaps(), view.t);
    this.tablePart('units').innerHTML = lstmUnitsTable(trace, view, strings, this.locale);
    const output = this.querySelector<HTMLOutputElement>('output[data-view-output="t"]');
    if (output) output.value = this.formatNumber(view.t, 4);
    this.dataset.t = String(view.t);
  }

  private onView(key: ViewKey, value: string): void {
    this.view = { ...this.view, [key]: value };
    this.writeViewUrl();
    // One redraw per frame however fast the scrubber moves.
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => {
      if (this.trace) this.paintView(this.trace);
    });
  }

  private viewFromUrl(): Partial<Record<ViewKey, string>> {
    const params = new URLSearchParams(location.search);
    const found: Partial<Record<ViewKey, string>> = {};
    for (const key of Object.keys(VIEW_DEFAULTS) as ViewKey[]) {
      const value = params.get(`${this.dataset.widget}.${key}`);
      if (value !== null) found[key] = value;
    }
    return found;
  }

  private writeViewUrl(): void {
    const url = new URL(location.href);
    for (const key of Object.keys(VIEW_DEFAULTS) as ViewKey[]) {
      const name = `${this.dataset.widget}.${key}`;
      if (this.view[key] === VIEW_DEFAULTS[key]) url.searchParams.delete(name);
      else url.searchParams.set(name, this.view[key]);
    }
    history.replaceState(history.state, '', url);
  }

  private fillUnitOptions(H: number, unit: number | 'mean'): void {
    const select = this.unitSelect();
    if (!select) return;
    const strings = this.i18n as InsideLstmStrings;
    const options = [new Option(strings.unitMean, 'mean')];
    for (let j = 0; j < H; j++) options.push(new Option(strings.unitOption.replace('{j}', String(j)), String(j)));
    select.replaceChildren(...options);
    select.value = String(unit);
  }

  private heatmapWidth(): number {
    const available = this.heatmaps().clientWidth;
    if (!available) return CHART_WIDTH;
    return Math.round(Math.max(MIN_HEATMAP_WIDTH, Math.min(CHART_WIDTH, available)));
  }

  private tablePart(part: 'units' | 'means'): HTMLElement {
    return this.table().querySelector(`[data-${part}-table]`) as HTMLElement;
  }

  private scrubber(): HTMLInputElement | null {
    return this.querySelector('input[data-view="t"]');
  }

  private unitSelect(): HTMLSelectElement | null {
    return this.querySelector('select[data-view="unit"]');
  }

  private diagram(): HTMLElement {
    return this.querySelector('[data-lstm-diagram]') as HTMLElement;
  }

  private heatmaps(): HTMLElement {
    return this.querySelector('[data-lstm-heatmaps]') as HTMLElement;
  }
}

customElements.define('gf-inside-lstm', InsideLstmElement);
