// <gf-memory-horizon>: the live side of MemoryHorizon.astro. Unlike the other widgets it does not
// fetch on every control change: training all runs takes seconds, so a change only updates the
// state, the URL and the data links (and stops a run in flight), and the Train button (or Retry)
// starts the runs, one streamed /train request after another.
import { quietMarks } from '../../lib/plot-aria.ts';
import type { TrainResponse } from '../../../../worker/src/schemas.ts';
import { streamTrain, type TrainProgressEvent } from '../../lib/api.ts';
import { WidgetElement, type Request, type State } from '../../lib/widget.ts';
import { fill } from '../clipping/format.ts';
import { CELLS, horizonChart, horizonTable, liveChart, runsOf, totalSteps, type HorizonCell, type LivePoint } from './chart.ts';
import type { MemoryHorizonStrings } from './strings.ts';

/** What load() answers for a state change that did not ask for training. */
const PENDING = 'pending' as const;
type Loaded = TrainResponse[] | typeof PENDING;

/** Longer than the base class's debounce, so a control changed just before Train is included. */
const TRAIN_DELAY_MS = 200;

class MemoryHorizonElement extends WidgetElement<Loaded> {
  /** Set by Train/Retry; the next refresh() trains instead of only marking the figure stale. */
  private armed = false;
  /** The mode of the refresh() in progress, read synchronously by the load() it starts. */
  private mode: 'train' | 'pending' = 'pending';
  private liveFrame = 0;
  /** Counts refresh() calls, so only the latest one writes the closing status. */
  private refreshes = 0;
  /** The last complete figure, put back when a state change stops a run half-way. */
  private completeFigure: Node[] = [];

  override connectedCallback(): void {
    // Before the base's own Retry listener (capture on an ancestor runs first): Retry trains.
    this.addEventListener('click', (event) => {
      if ((event.target as Element | null)?.closest('[data-retry]')) this.armed = true;
    }, { capture: true });
    super.connectedCallback();
    this.querySelector('[data-train]')?.addEventListener('click', () => this.requestTraining());
    this.setProgress(0, totalSteps(this.state));
  }

  protected requests(state: State): Request[] {
    return runsOf(state).map((run) => ({ endpoint: 'train', query: run.query, stream: true }));
  }

  private requestTraining(): void {
    this.armed = true;
    // A control changed a moment ago is still in the base's debounce; its refresh() takes the flag.
    setTimeout(() => {
      if (this.armed) void this.refresh();
    }, TRAIN_DELAY_MS);
  }

  protected override async refresh(): Promise<void> {
    const mode = this.armed ? 'train' : 'pending';
    this.armed = false;
    this.mode = mode;
    const mine = ++this.refreshes;
    await super.refresh();
    if (mine !== this.refreshes || this.dataset.state !== 'idle') return; // superseded, or failed
    this.setStatus('idle', this.t(mode === 'train' ? 'done' : 'pending'));
  }

  /** Trains the runs one after another; the base's signal stops the stream of a stale state. */
  protected override async load(requests: Request[], signal: AbortSignal): Promise<Loaded> {
    if (this.mode === 'pending') return PENDING;
    const strings = this.i18n as MemoryHorizonStrings;
    const steps = Number(requests[0].query.steps);
    const total = requests.length * steps;
    const bodies: TrainResponse[] = [];
    const final = this.final();
    if (final && !final.hasAttribute('data-partial')) this.completeFigure = Array.from(final.childNodes);
    final?.removeAttribute('data-stale');
    for (const [k, request] of requests.entries()) {
      const cell = request.query.cell as HorizonCell;
      const seqLen = Number(request.query.seq_len);
      const points: LivePoint[] = [];
      const where = { cell: cell.toUpperCase(), T: seqLen, run: k + 1, runs: requests.length };
      this.setStatus('loading', this.t('training', where));
      this.setProgress(k * steps, total, { run: k + 1, cell, seqLen });
      this.drawLive(points, { cell, seqLen, steps }, strings);
      const onProgress = (event: TrainProgressEvent): void => {
        if (signal.aborted) return;
        points.push({ step: event.step, loss: event.loss });
        this.setProgress(k * steps + event.step, total, { run: k + 1, cell, seqLen });
        this.drawLive(points, { cell, seqLen, steps }, strings);
      };
      bodies.push(await streamTrain(request.query, onProgress, signal));
      if (signal.aborted) throw new DOMException('stale state', 'AbortError');
      this.setProgress((k + 1) * steps, total, { run: k + 1, cell, seqLen });
      // The final chart fills in run by run.
      final?.replaceChildren(horizonChart(bodies, strings, this.locale));
      if (final) quietMarks(final);
      final?.setAttribute('data-partial', 'true');
    }
    return bodies;
  }

  protected render(data: Loaded, state: State): void {
    const live = this.querySelector<HTMLElement>('[data-live]');
    if (live) live.hidden = true;
    cancelAnimationFrame(this.liveFrame);
    const final = this.final();
    if (data === PENDING) {
      if (final?.hasAttribute('data-partial')) final.replaceChildren(...this.completeFigure);
      final?.removeAttribute('data-partial');
      final?.setAttribute('data-stale', 'true');
      this.setProgress(0, totalSteps(state));
      return;
    }
    const strings = this.i18n as MemoryHorizonStrings;
    final?.replaceChildren(horizonChart(data, strings, this.locale));
    final?.removeAttribute('data-stale');
    final?.removeAttribute('data-partial');
    this.table().innerHTML = horizonTable(data, strings, this.locale);
    const total = totalSteps(state);
    this.setProgress(total, total, { run: data.length, cell: CELLS[CELLS.length - 1], seqLen: data[data.length - 1]?.config.seq_len ?? 0 });
    this.progress()?.setAttribute('data-complete', 'true');
  }

  private final(): HTMLElement | null {
    return this.querySelector('[data-final]');
  }

  private progress(): HTMLProgressElement | null {
    return this.querySelector('progress[data-progress]');
  }

  /** Native value/max for the bar, aria-valuenow for assistive tech, data-* for tests. */
  private setProgress(k: number, n: number, run?: { run: number; cell: HorizonCell; seqLen: number }): void {
    const bar = this.progress();
    if (bar) {
      bar.max = n;
      bar.value = k;
      bar.setAttribute('aria-valuemin', '0');
      bar.setAttribute('aria-valuemax', String(n));
      bar.setAttribute('aria-valuenow', String(k));
      bar.dataset.step = String(k);
      bar.dataset.total = String(n);
      bar.dataset.run = String(run?.run ?? 0);
      bar.dataset.cell = run?.cell ?? '';
      bar.dataset.seqLen = String(run?.seqLen ?? '');
      bar.removeAttribute('data-complete');
    }
    const text = this.querySelector('[data-progress-text]');
    if (text) text.textContent = fill(this.t('progressText'), { k: this.formatNumber(k, 6), n: this.formatNumber(n, 6) });
  }

  /** Redraws the current run's loss curve at most once per frame. */
  private drawLive(points: LivePoint[], run: { cell: HorizonCell; seqLen: number; steps: number }, strings: MemoryHorizonStrings): void {
    const live = this.querySelector<HTMLElement>('[data-live]');
    if (!live) return;
    live.hidden = false;
    live.dataset.cell = run.cell;
    live.dataset.seqLen = String(run.seqLen);
    live.dataset.points = String(points.length);
    cancelAnimationFrame(this.liveFrame);
    this.liveFrame = requestAnimationFrame(() => {
      live.replaceChildren(liveChart(points, run, strings));
      quietMarks(live);
    });
  }
}

customElements.define('gf-memory-horizon', MemoryHorizonElement);
