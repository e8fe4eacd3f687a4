// Base of every widget's custom element. A widget is server-rendered by its .astro component
// (controls, the build-time figure, its table alternative, the data link) and this class makes
// it live: control changes → URL state → one API request at a time → redraw.
//
// Markup contract (inside the element):
//   [data-controls]   form with native inputs/selects; each `name` is a widget state key
//   [data-figure]     the chart (build-time SVG at first)
//   [data-table]      accessible text/table alternative of the chart
//   [data-status]     aria-live status line; [data-retry] its retry button
//   a[data-link]      the exact API request; [data-curl] the copyable curl line; [data-copy] button
// Attributes: data-widget (id, prefixes its URL keys), data-defaults (JSON state), data-i18n (JSON
// strings in the page's language), data-lang.
import { quietMarks } from './plot-aria.ts';
import { ApiError, LatestOnly, curlLine, fetchJson, requestPath, type Endpoint, type Query } from './api.ts';

export type State = Record<string, string>;
export interface Request {
  endpoint: Endpoint;
  query: Query;
  stream?: boolean;
}

const DEBOUNCE_MS = 150;

/** The API's seed: a whole number from 0 to 2³² − 1, written in plain digits. */
export function validSeed(seed: string | undefined): boolean {
  return seed !== undefined && /^\d{1,10}$/.test(seed) && Number(seed) <= 4294967295;
}

export abstract class WidgetElement<Data = unknown> extends HTMLElement {
  protected state: State = {};
  protected defaults: State = {};
  protected i18n: Record<string, string> = {};
  protected locale = 'zh-CN';
  private readonly latest = new LatestOnly();
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** The API request(s) that produce this state's figure. */
  protected abstract requests(state: State): Request[];
  /** Draw the figure and its table from the responses (same order as requests()). */
  protected abstract render(data: Data, state: State): void;

  /** A reason the state cannot be requested (shown instead of requesting), or null. */
  protected validate(_state: State): string | null {
    return null;
  }

  /** Fetch everything for a state. Override for streaming or dependent requests. */
  protected async load(requests: Request[], signal: AbortSignal): Promise<Data> {
    return (await Promise.all(requests.map((r) => fetchJson(r.endpoint, r.query, signal)))) as Data;
  }

  connectedCallback(): void {
    this.locale = this.dataset.lang ?? document.documentElement.lang ?? 'zh-CN';
    this.defaults = JSON.parse(this.dataset.defaults ?? '{}') as State;
    this.i18n = JSON.parse(this.dataset.i18n ?? '{}') as Record<string, string>;
    this.state = { ...this.defaults, ...this.stateFromUrl() };
    this.syncControls();
    this.controls()?.addEventListener('input', () => this.schedule());
    this.controls()?.addEventListener('change', () => this.schedule());
    this.controls()?.addEventListener('submit', (event) => event.preventDefault());
    this.querySelector('[data-retry]')?.addEventListener('click', () => void this.refresh());
    this.querySelector('[data-copy]')?.addEventListener('click', () => void this.copyCurl());
    this.updateDataLinks();
    // The build-time figure already shows the defaults: ask the API only for a different state.
    if (!this.isDefault()) void this.refresh();
  }

  disconnectedCallback(): void {
    this.latest.abort();
    clearTimeout(this.timer);
  }

  protected t(key: string, vars: Record<string, string | number> = {}): string {
    let text = this.i18n[key] ?? key;
    for (const [name, value] of Object.entries(vars)) text = text.replaceAll(`{${name}}`, String(value));
    return text;
  }

  protected formatNumber(value: number | null | undefined, digits = 3): string {
    if (value === null || value === undefined || !Number.isFinite(value)) return '—';
    return new Intl.NumberFormat(this.locale, { maximumSignificantDigits: digits }).format(value);
  }

  protected figure(): HTMLElement {
    return this.querySelector('[data-figure]') as HTMLElement;
  }

  protected table(): HTMLElement {
    return this.querySelector('[data-table]') as HTMLElement;
  }

  private controls(): HTMLFormElement | null {
    return this.querySelector('[data-controls]');
  }

  private stateFromUrl(): State {
    const prefix = `${this.dataset.widget}.`;
    const found: State = {};
    for (const [key, value] of new URLSearchParams(location.search)) {
      if (key.startsWith(prefix) && key.slice(prefix.length) in this.defaults) {
        found[key.slice(prefix.length)] = value;
      }
    }
    return found;
  }

  private isDefault(): boolean {
    return Object.keys(this.defaults).every((key) => this.state[key] === this.defaults[key]);
  }

  /** Puts the state into the controls (after a URL restore) and their <output>s. */
  private syncControls(): void {
    const form = this.controls();
    if (!form) return;
    for (const element of Array.from(form.elements)) {
      const input = element as HTMLInputElement | HTMLSelectElement;
      if (!input.name || !(input.name in this.state)) continue;
      if (input instanceof HTMLInputElement && input.type === 'checkbox') {
        const values = this.state[input.name].split(',');
        input.checked = values.includes(input.value);
      } else {
        input.value = this.state[input.name];
      }
    }
    this.updateOutputs();
  }

  private readControls(): State {
    const form = this.controls();
    const next: State = { ...this.state };
    if (!form) return next;
    const checkboxGroups = new Map<string, string[]>();
    for (const element of Array.from(form.elements)) {
      const input = element as HTMLInputElement | HTMLSelectElement;
      if (!input.name || !(input.name in this.defaults)) continue;
      if (input instanceof HTMLInputElement && input.type === 'checkbox') {
        const group = checkboxGroups.get(input.name) ?? [];
        if (input.checked) group.push(input.value);
        checkboxGroups.set(input.name, group);
      } else {
        next[input.name] = input.value;
      }
    }
    for (const [name, values] of checkboxGroups) next[name] = values.join(',');
    return next;
  }

  private updateOutputs(): void {
    for (const output of Array.from(this.querySelectorAll<HTMLOutputElement>('output[data-for]'))) {
      const value = this.state[output.dataset.for ?? ''];
      if (value !== undefined) output.value = this.formatNumber(Number(value), 4);
    }
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const next = this.readControls();
      if (JSON.stringify(next) === JSON.stringify(this.state)) return;
      this.state = next;
      this.updateOutputs();
      this.writeUrl();
      void this.refresh();
    }, DEBOUNCE_MS);
  }

  private writeUrl(): void {
    const url = new URL(location.href);
    const prefix = `${this.dataset.widget}.`;
    for (const key of Object.keys(this.defaults)) {
      if (this.state[key] === this.defaults[key]) url.searchParams.delete(prefix + key);
      else url.searchParams.set(prefix + key, this.state[key]);
    }
    history.replaceState(history.state, '', url);
  }

  private updateDataLinks(): void {
    const requests = this.requests(this.state);
    const links = Array.from(this.querySelectorAll<HTMLAnchorElement>('a[data-link]'));
    const curls = Array.from(this.querySelectorAll<HTMLElement>('[data-curl]'));
    requests.forEach((request, k) => {
      const path = requestPath(request.endpoint, request.query);
      const absolute = new URL(path, location.origin).href;
      if (links[k]) {
        links[k].href = path;
        links[k].textContent = path;
      }
      if (curls[k]) curls[k].textContent = curlLine(absolute, request.stream);
    });
  }

  private async copyCurl(): Promise<void> {
    const text = Array.from(this.querySelectorAll('[data-curl]')).map((el) => el.textContent).join('\n');
    try {
      await navigator.clipboard.writeText(text);
      this.setStatus('idle', this.t('copied'));
    } catch {
      this.setStatus('idle', this.t('copyFailed'));
    }
  }

  /**
   * idle/loading; error: the API failed, Retry may help; invalid: the controls describe a state
   * the API would refuse (no request is sent), so only changing a control helps: no Retry.
   */
  protected setStatus(kind: 'idle' | 'loading' | 'error' | 'invalid', message = ''): void {
    const status = this.querySelector<HTMLElement>('[data-status]');
    const retry = this.querySelector<HTMLButtonElement>('[data-retry]');
    this.toggleAttribute('aria-busy', kind === 'loading');
    this.dataset.state = kind;
    if (status) status.textContent = message;
    if (retry) retry.hidden = kind !== 'error';
  }

  protected describeError(err: unknown): string {
    if (err instanceof ApiError) {
      switch (err.kind) {
        case 'network': return this.t('errorNetwork');
        case 'rate-limit': return this.t('errorRateLimit', { seconds: err.retryAfter ?? 60 });
        case 'budget': return this.t('errorBudget');
        case 'bad-request': return `${this.t('errorBadRequest')} ${err.problem?.errors?.map((e) => `${e.param}: ${e.message}`).join('; ') ?? err.message}`;
        case 'malformed': return this.t('errorMalformed');
        default: return `${this.t('errorServer')} (${err.status ?? '?'})`;
      }
    }
    return this.t('errorServer');
  }

  /** Requests the current state's data and paints it; only the latest request paints. */
  protected async refresh(): Promise<void> {
    const state = this.state;
    const invalid = 'seed' in this.defaults && !validSeed(state.seed) ? this.t('badSeed') : this.validate(state);
    if (invalid) {
      // A request in flight is for an older state: it must not paint over this message.
      this.latest.abort();
      this.setStatus('invalid', invalid);
      return;
    }
    const requests = this.requests(state);
    this.updateDataLinks();
    this.setStatus('loading', this.t('loading'));
    try {
      const data = await this.latest.run((signal) => this.load(requests, signal));
      if (data === undefined) return; // superseded by a newer request
      this.render(data, state);
      quietMarks(this);
      this.setStatus('idle', '');
      this.dispatchEvent(new CustomEvent('gf-rendered', { bubbles: true }));
    } catch (err) {
      this.setStatus('error', this.describeError(err));
    }
  }
}
