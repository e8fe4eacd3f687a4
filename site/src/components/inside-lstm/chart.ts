// The inside-the-LSTM figure: our own SVG diagram of one cell at time step t (live gate values),
// heatmaps of i, f, g, o and c over time × units (Observable Plot), and the table alternative.
// Pure functions of the /trace response returning HTML strings, so the build (server-side
// document) and the browser produce the same markup.
// T = steps, H = hidden units; every matrix below is [T][H], row k is time step t = k + 1.
import * as Plot from '@observablehq/plot';
import type { TraceResponse } from '../../../../worker/src/schemas.ts';
import { escapeHtml, formatNumber, sampleIndices, tableHtml } from '../../lib/table.ts';
import type { InsideLstmStrings } from './strings.ts';

/** Default request state (URL strings). The view state (t, unit) is kept apart: see VIEW_DEFAULTS. */
export const DEFAULTS = {
  seq_len: '40',
  hidden_size: '8',
  forget_bias: '0',
  seed: '42',
};

/** Default view state: which time step and unit the diagram shows. Never part of a request. */
export const VIEW_DEFAULTS = { t: '20', unit: 'mean' };

export const SEQ_LEN = { min: 10, max: 100, step: 5 };
export const HIDDEN_SIZES = ['4', '8', '16'];
export const FORGET_BIAS = { min: -3, max: 5, step: 0.5 };

export function toQuery(state: Record<string, string>) {
  return {
    cell: 'lstm',
    seq_len: state.seq_len,
    hidden_size: state.hidden_size,
    forget_bias: state.forget_bias,
    seed: state.seed,
  };
}

export type GateKey = 'i' | 'f' | 'g' | 'o';
export type SeriesKey = GateKey | 'c' | 'h';
export const HEATMAP_KEYS = ['i', 'f', 'g', 'o', 'c'] as const;
const TABLE_KEYS: readonly SeriesKey[] = ['i', 'f', 'g', 'o', 'c', 'h'];

/** [T][H]; null where the API could not represent a value (it lists why in `warnings`). */
type Matrix = (number | null)[][];

/** What the figure needs from a trace (embedded in the page, so a scrub never needs the API). */
export interface LstmTrace {
  T: number;
  H: number;
  series: Record<SeriesKey, Matrix>;
}

export function lstmTrace(body: TraceResponse): LstmTrace {
  const { gates, c, h } = body.result;
  if (!gates.i || !gates.f || !gates.g || !gates.o || !c) throw new Error('trace response is not an lstm trace');
  return {
    T: body.config.seq_len,
    H: body.config.hidden_size,
    series: { i: gates.i, f: gates.f, g: gates.g, o: gates.o, c, h },
  };
}

/** View state after clamping to the trace: t in 1..T, unit 'mean' or 0..H-1. */
export interface View {
  t: number;
  unit: number | 'mean';
}

export function clampView(trace: LstmTrace, raw: Record<string, string>): View {
  const t = Math.min(trace.T, Math.max(1, Math.round(Number(raw.t)) || 1));
  const j = Number(raw.unit);
  const unit = raw.unit !== 'mean' && Number.isInteger(j) && j >= 0 && j < trace.H ? j : 'mean';
  return { t, unit };
}

function mean(values: (number | null)[]): number | null {
  let sum = 0;
  let n = 0;
  for (const v of values) {
    if (v === null) continue;
    sum += v;
    n++;
  }
  return n ? sum / n : null;
}

/** Value of a series at step t (1-based) for one unit or the mean; 0 at t = 0 (h₀ = c₀ = 0). */
function valueAt(trace: LstmTrace, key: SeriesKey, t: number, unit: View['unit']): number | null {
  if (t < 1) return 0;
  const row = trace.series[key][t - 1];
  return unit === 'mean' ? mean(row) : row[unit];
}

function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
}

// Colour scales shared by the heatmaps, their legends and the bars of the diagram.
const SIGMOID_COLOR = { type: 'sequential', scheme: 'viridis', domain: [0, 1] } as const;
const CANDIDATE_COLOR = { type: 'diverging', scheme: 'puor', domain: [-1, 1] } as const;

/** c is not bounded by 1 (it can grow linearly while f stays open): a symmetric domain from the data. */
function cellColor(trace: LstmTrace) {
  let m = 0;
  for (const row of trace.series.c) for (const v of row) if (v !== null) m = Math.max(m, Math.abs(v));
  const bound = m > 0 ? m : 1;
  return { type: 'diverging', scheme: 'rdbu', domain: [-bound, bound] } as const;
}

function colorOf(key: (typeof HEATMAP_KEYS)[number], trace: LstmTrace) {
  if (key === 'g') return CANDIDATE_COLOR;
  if (key === 'c') return cellColor(trace);
  return SIGMOID_COLOR;
}

// ---------------------------------------------------------------------------------------------
// The cell diagram. viewBox 400 × 330: small enough that 12–17 px text stays legible when the
// figure shrinks to a phone's ~300 px content width. Colours: currentColor and Starlight variables.

const W = 400;
const HEIGHT = 330;
const LINE_Y = 56; // cell-state path
const BUS_Y = 262; // [xₜ, hₜ₋₁] feeding the gates
const BOX = { w: 72, h: 80, top: 146 };
const GATE_X: Record<GateKey, number> = { f: 84, i: 162, g: 240, o: 318 };
const MUL_F = { x: 84, y: LINE_Y };
const ADD = { x: 201, y: LINE_Y };
const MUL_IG = { x: 201, y: 108 };
const TANH = { x: 376, y: 108 };
const MUL_O = { x: 376, y: BOX.top + BOX.h / 2 };
const NODE_R = 11;

function line(points: [number, number][], cls = 'gf-lstm-wire', arrow = true): string {
  const d = points.map(([x, y], k) => `${k ? 'L' : 'M'}${x},${y}`).join(' ');
  const marker = cls === 'gf-lstm-carousel' ? 'gf-lstm-arrow-carousel' : 'gf-lstm-arrow';
  return `<path class="${cls}" d="${d}"${arrow ? ` marker-end="url(#${marker})"` : ''}/>`;
}

function mulNode({ x, y }: { x: number; y: number }): string {
  return `<g class="gf-lstm-node"><circle cx="${x}" cy="${y}" r="${NODE_R}"/><circle class="gf-lstm-dot" cx="${x}" cy="${y}" r="2.6"/></g>`;
}

function addNode({ x, y }: { x: number; y: number }): string {
  const a = NODE_R - 4;
  return `<g class="gf-lstm-node"><circle cx="${x}" cy="${y}" r="${NODE_R}"/><path d="M${x - a},${y} H${x + a} M${x},${y - a} V${y + a}"/></g>`;
}

/** A labelled value: `name = value`, the value carried as data-value for tests and tools. */
function valueText(x: number, y: number, anchor: 'start' | 'end', name: string, key: string, value: number | null, lang: string): string {
  return (
    `<text class="gf-lstm-label" x="${x}" y="${y}" text-anchor="${anchor}">` +
    `<tspan class="gf-lstm-sym">${name}</tspan> = ` +
    `<tspan data-series="${key}" data-value="${value}">${escapeHtml(formatNumber(lang, value))}</tspan></text>`
  );
}

function gateBox(key: GateKey, value: number | null, s: InsideLstmStrings, lang: string): string {
  const cx = GATE_X[key];
  const x = cx - BOX.w / 2;
  const names: Record<GateKey, string> = { f: s.forgetName, i: s.inputName, g: s.candidateName, o: s.outputName };
  const activation = key === 'g' ? 'tanh' : 'σ';
  // Bar under the value: σ gates fill from the left over (0, 1); the tanh candidate grows from
  // the middle over (−1, 1). Its colour is the heatmap's colour for the same value.
  const track = { x: x + 8, w: BOX.w - 16, y: BOX.top + 66, h: 6 };
  const color = value === null ? 'none' : (Plot.scale({ color: key === 'g' ? CANDIDATE_COLOR : SIGMOID_COLOR }).apply(value) as string);
  const clamped = Math.max(-1, Math.min(1, value ?? 0));
  const barX = key === 'g' ? track.x + (track.w / 2) * (1 + Math.min(0, clamped)) : track.x;
  const barW = key === 'g' ? (track.w / 2) * Math.abs(clamped) : track.w * Math.max(0, clamped);
  return (
    `<g class="gf-lstm-gate" data-gate="${key}">` +
    `<rect class="gf-lstm-box" x="${x}" y="${BOX.top}" width="${BOX.w}" height="${BOX.h}" rx="6"/>` +
    `<text class="gf-lstm-label" x="${cx}" y="${BOX.top + 19}" text-anchor="middle"><tspan class="gf-lstm-sym">${key}ₜ</tspan> <tspan class="gf-lstm-muted">${activation}</tspan></text>` +
    `<text class="gf-lstm-value" x="${cx}" y="${BOX.top + 43}" text-anchor="middle" data-gate="${key}" data-value="${value}">${escapeHtml(formatNumber(lang, value))}</text>` +
    `<text class="gf-lstm-role" x="${cx}" y="${BOX.top + 60}" text-anchor="middle">${escapeHtml(names[key])}</text>` +
    `<rect class="gf-lstm-track" x="${track.x}" y="${track.y}" width="${track.w}" height="${track.h}" rx="2"/>` +
    `<rect x="${barX.toFixed(2)}" y="${track.y}" width="${barW.toFixed(2)}" height="${track.h}" rx="2" fill="${color}"/>` +
    `</g>`
  );
}

function unitName(view: View, s: InsideLstmStrings): string {
  return view.unit === 'mean' ? s.unitMean : fill(s.unitOption, { j: view.unit });
}

function describeValues(trace: LstmTrace, view: View, lang: string): string {
  const v = (key: SeriesKey, t = view.t) => formatNumber(lang, valueAt(trace, key, t, view.unit));
  const sep = lang === 'en' ? ', ' : '，';
  return [
    `fₜ = ${v('f')}`, `iₜ = ${v('i')}`, `gₜ = ${v('g')}`, `oₜ = ${v('o')}`,
    `cₜ₋₁ = ${v('c', view.t - 1)}`, `cₜ = ${v('c')}`, `hₜ = ${v('h')}`,
  ].join(sep);
}

export function lstmDiagram(trace: LstmTrace, view: View, s: InsideLstmStrings, lang: string): string {
  const { t, unit } = view;
  const at = (key: SeriesKey, step = t) => valueAt(trace, key, step, unit);
  const label = fill(s.diagramLabel, { t, unit: unitName(view, s) });
  const description = fill(s.diagramDescription, { values: describeValues(trace, view, lang) });
  const gateTop = BOX.top;
  const gateBottom = BOX.top + BOX.h;
  const parts = [
    `<defs><marker id="gf-lstm-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="currentColor"/></marker>` +
      `<marker id="gf-lstm-arrow-carousel" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="gf-lstm-carousel-head"/></marker></defs>`,
    // The cell-state path across the top: only ⊙fₜ and ⊕ on the way, no weight matrix.
    line([[4, LINE_Y], [MUL_F.x - NODE_R, LINE_Y]], 'gf-lstm-carousel', false),
    line([[MUL_F.x + NODE_R, LINE_Y], [ADD.x - NODE_R - 1, LINE_Y]], 'gf-lstm-carousel'),
    line([[ADD.x + NODE_R, LINE_Y], [W - 4, LINE_Y]], 'gf-lstm-carousel'),
    `<text class="gf-lstm-role" x="${(ADD.x + TANH.x) / 2}" y="${LINE_Y - 8}" text-anchor="middle">${escapeHtml(s.cellState)}</text>`,
    valueText(4, LINE_Y - 22, 'start', 'cₜ₋₁', 'c-prev', at('c', t - 1), lang),
    valueText(W - 4, LINE_Y - 22, 'end', 'cₜ', 'c', at('c'), lang),
    mulNode(MUL_F),
    addNode(ADD),
    mulNode(MUL_IG),
    // Gates up into the path.
    line([[GATE_X.f, gateTop], [MUL_F.x, MUL_F.y + NODE_R + 1]]),
    line([[GATE_X.i, gateTop], [GATE_X.i, MUL_IG.y], [MUL_IG.x - NODE_R - 1, MUL_IG.y]]),
    line([[GATE_X.g, gateTop], [GATE_X.g, MUL_IG.y], [MUL_IG.x + NODE_R + 1, MUL_IG.y]]),
    line([[MUL_IG.x, MUL_IG.y - NODE_R], [ADD.x, ADD.y + NODE_R + 1]]),
    // Output: hₜ = oₜ ⊙ tanh(cₜ).
    line([[TANH.x, LINE_Y], [TANH.x, TANH.y - 12]]),
    `<g class="gf-lstm-node"><rect x="${TANH.x - 22}" y="${TANH.y - 11}" width="44" height="22" rx="11"/></g>`,
    `<text class="gf-lstm-label" x="${TANH.x}" y="${TANH.y + 5}" text-anchor="middle">tanh</text>`,
    line([[TANH.x, TANH.y + 11], [MUL_O.x, MUL_O.y - NODE_R - 1]]),
    line([[GATE_X.o + BOX.w / 2, MUL_O.y], [MUL_O.x - NODE_R - 1, MUL_O.y]]),
    mulNode(MUL_O),
    line([[MUL_O.x, MUL_O.y + NODE_R], [MUL_O.x, 302]]),
    valueText(W - 4, 322, 'end', 'hₜ', 'h', at('h'), lang),
    // Inputs: hₜ₋₁ from the left and xₜ from below join one bus into every gate.
    line([[4, BUS_Y], [GATE_X.o, BUS_Y]], 'gf-lstm-wire', false),
    line([[130, 308], [130, BUS_Y]], 'gf-lstm-wire', false),
    `<circle class="gf-lstm-join" cx="130" cy="${BUS_Y}" r="3.5"/>`,
    `<text class="gf-lstm-label" x="138" y="318"><tspan class="gf-lstm-sym">xₜ</tspan></text>`,
    valueText(4, BUS_Y + 22, 'start', 'hₜ₋₁', 'h-prev', at('h', t - 1), lang),
    ...(Object.keys(GATE_X) as GateKey[]).map((key) => line([[GATE_X[key], BUS_Y], [GATE_X[key], gateBottom + 1]])),
    ...(Object.keys(GATE_X) as GateKey[]).map((key) => gateBox(key, at(key), s, lang)),
  ];
  return (
    `<svg class="gf-lstm-svg" viewBox="0 0 ${W} ${HEIGHT}" role="img" aria-labelledby="gf-lstm-diagram-title gf-lstm-diagram-desc" data-t="${t}" data-unit="${unit}">` +
    `<title id="gf-lstm-diagram-title">${escapeHtml(label)}</title>` +
    `<desc id="gf-lstm-diagram-desc">${escapeHtml(description)}</desc>` +
    parts.join('') +
    `</svg>`
  );
}

// ---------------------------------------------------------------------------------------------
// Heatmaps: t across (band scale, 1..T), unit j down (0..H-1), one Plot per series.

const HEATMAP_MARGIN = { left: 36, right: 8 };
/**
 * Build-time width: the heatmaps' width in Starlight's content column on a desktop (measured in
 * Chromium: 598 px at a 1280 px wide window, 640 (the cap) from about 1400 px and at 1024), so
 * that with the element's 24 px slack a desktop shows the built heatmaps as they are. Redrawing
 * ~1800 cells on load took ~0.35 s of main thread (1.4 s under Lighthouse's 4× CPU throttle);
 * narrower columns (tablets, phones) are still redrawn to fit.
 */
export const HEATMAP_WIDTH = 620;

function everyNth(n: number, count: number, start: number): number[] {
  const step = Math.max(1, Math.ceil(n / count));
  const out: number[] = [];
  for (let v = start; v < start + n; v += step) out.push(v);
  return out;
}

function heatmapName(key: (typeof HEATMAP_KEYS)[number], s: InsideLstmStrings): string {
  return { i: s.gateI, f: s.gateF, g: s.gateG, o: s.gateO, c: s.gateC }[key];
}

/** Plot names each mark's <g> with aria-label; inside a role="img" that is an ARIA error, so
 * the name moves to data-mark (where tests and styles can still find it). */
function quietMarks(svg: Element): Element {
  svg.setAttribute('role', 'img');
  for (const g of Array.from(svg.querySelectorAll('g[aria-label]'))) {
    g.setAttribute('data-mark', g.getAttribute('aria-label') ?? '');
    g.removeAttribute('aria-label');
  }
  return svg;
}

function heatmap(
  trace: LstmTrace,
  key: (typeof HEATMAP_KEYS)[number],
  t: number,
  width: number,
  s: InsideLstmStrings,
  lang: string,
  document: Document,
): HTMLElement {
  const { T, H } = trace;
  const rows: { t: number; j: number; v: number }[] = [];
  trace.series[key].forEach((row, k) => row.forEach((v, j) => v !== null && rows.push({ t: k + 1, j, v })));
  const last = key === 'c';
  const marginBottom = last ? 34 : 20;
  const height = 16 + marginBottom + Math.max(48, Math.min(128, H * 8));
  const all = trace.series[key].flat();
  const frame = {
    document,
    width,
    height,
    marginLeft: HEATMAP_MARGIN.left,
    marginRight: HEATMAP_MARGIN.right,
    marginTop: 16,
    marginBottom,
  };
  const xDomain = Array.from({ length: T }, (_, k) => k + 1);
  const cells = Plot.plot({
    ...frame,
    ariaLabel: heatmapName(key, s),
    ariaDescription: fill(s.heatmapDescription, { name: heatmapName(key, s), T, Hm1: H - 1, mean: formatNumber(lang, mean(all)) }),
    x: {
      type: 'band',
      domain: xDomain,
      padding: 0,
      ticks: [1, ...everyNth(T, 8, 0).filter((v) => v > 1), T].filter((v, k, a) => a.indexOf(v) === k && v <= T),
      label: last ? s.xLabel : null,
      labelAnchor: 'right',
      labelArrow: 'none',
    },
    y: {
      type: 'band',
      domain: Array.from({ length: H }, (_, j) => j),
      padding: 0,
      ticks: everyNth(H, 4, 0),
      label: 'j',
      labelAnchor: 'top',
      labelArrow: 'none',
    },
    color: colorOf(key, trace),
    style: { fontSize: '11px' },
    marks: [Plot.cell(rows, { x: 't', y: 'j', fill: 'v', inset: 0 })],
  });
  // The scrubber's step lives in its own Plot (same frame and x scale) laid over the cells, so
  // that moving it repaints one line and not thousands of cells. A halo in the page background
  // under a currentColor line keeps it visible on every colour of the scheme in both themes.
  const rule = Plot.plot({
    ...frame,
    x: { type: 'band', domain: xDomain, padding: 0, axis: null },
    marks: [
      Plot.ruleX([t], { stroke: 'var(--sl-color-bg)', strokeWidth: 4, className: 'gf-lstm-rule' }),
      Plot.ruleX([t], { stroke: 'currentColor', strokeWidth: 1.5, className: 'gf-lstm-rule' }),
    ],
  });
  rule.setAttribute('aria-hidden', 'true');
  rule.setAttribute('class', `${rule.getAttribute('class') ?? ''} gf-lstm-rule-layer`);
  for (const g of Array.from(rule.querySelectorAll('g[aria-label]'))) g.removeAttribute('aria-label');
  const stack = document.createElement('div');
  stack.className = 'gf-lstm-stack';
  stack.append(quietMarks(cells), rule);
  const wrap = document.createElement('div');
  wrap.className = 'gf-lstm-heatmap';
  Object.assign(wrap.dataset, {
    heatmap: key,
    x0: String(HEATMAP_MARGIN.left),
    bandwidth: String((width - HEATMAP_MARGIN.left - HEATMAP_MARGIN.right) / T),
    t: String(t),
  });
  const title = document.createElement('p');
  title.className = 'gf-lstm-heatmap-title';
  title.textContent = heatmapName(key, s);
  wrap.append(title, stack);
  return wrap;
}

/**
 * A colour bar drawn as a Plot of thin rects (Plot.legend's continuous ramp needs a canvas,
 * which the build's document has not), with the same scale as the heatmaps it explains.
 */
function legend(color: { domain: readonly [number, number] }, label: string, document: Document): HTMLElement {
  const [lo, hi] = color.domain;
  const n = 64;
  const steps = Array.from({ length: n }, (_, k) => ({
    x1: lo + ((hi - lo) * k) / n,
    x2: lo + ((hi - lo) * (k + 1)) / n,
    v: lo + ((hi - lo) * (k + 0.5)) / n,
  }));
  const plot = Plot.plot({
    document,
    width: 240,
    height: 34,
    marginTop: 4,
    marginBottom: 18,
    marginLeft: 12,
    marginRight: 16,
    ariaLabel: label,
    x: { domain: [lo, hi], ticks: 5, tickSize: 4, label: null },
    color,
    style: { fontSize: '11px' },
    marks: [Plot.rect(steps, { x1: 'x1', x2: 'x2', fill: 'v' })],
  });
  const wrap = document.createElement('div');
  wrap.className = 'gf-lstm-legend';
  const text = document.createElement('p');
  text.textContent = label;
  wrap.append(text, quietMarks(plot));
  return wrap;
}

/**
 * Legends and the five heatmaps as DOM nodes (appended as they are in the browser: re-parsing
 * thousands of cells from a string would double the cost of every redraw).
 */
export function lstmHeatmaps(
  trace: LstmTrace,
  t: number,
  s: InsideLstmStrings,
  lang: string,
  width: number = HEATMAP_WIDTH,
  document: Document = globalThis.document,
): HTMLElement {
  const container = document.createElement('div');
  const legends = document.createElement('div');
  legends.className = 'gf-lstm-legends';
  legends.append(
    legend(SIGMOID_COLOR, s.sigmoidLegend, document),
    legend(CANDIDATE_COLOR, s.candidateLegend, document),
    legend(cellColor(trace), s.cellLegend, document),
  );
  container.append(legends, ...HEATMAP_KEYS.map((key) => heatmap(trace, key, t, width, s, lang, document)));
  return container;
}

/** Moves the current-t rules of already drawn heatmaps (a scrub redraws nothing else). */
export function moveHeatmapRules(container: ParentNode, t: number): void {
  for (const map of Array.from(container.querySelectorAll<HTMLElement>('[data-heatmap]'))) {
    const x = Number(map.dataset.x0) + (t - 1) * Number(map.dataset.bandwidth);
    map.dataset.t = String(t);
    for (const rule of Array.from(map.querySelectorAll('.gf-lstm-rule line'))) {
      rule.setAttribute('x1', String(x));
      rule.setAttribute('x2', String(x));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Text alternative.

export function summary(trace: LstmTrace, view: View, s: InsideLstmStrings, lang: string): string {
  return fill(s.summary, { t: view.t, values: describeValues(trace, { t: view.t, unit: 'mean' }, lang) });
}

const COLUMN: Record<SeriesKey, string> = { i: 'iₜ', f: 'fₜ', g: 'gₜ', o: 'oₜ', c: 'cₜ', h: 'hₜ' };

/** The part of the table alternative that follows the scrubber: every unit at the current t. */
export function lstmUnitsTable(trace: LstmTrace, view: View, s: InsideLstmStrings, lang: string): string {
  const units = tableHtml({
    caption: fill(s.unitsCaption, { t: view.t }),
    columns: ['j', ...TABLE_KEYS.map((k) => COLUMN[k])],
    rows: Array.from({ length: trace.H }, (_, j) => [j, ...TABLE_KEYS.map((key) => formatNumber(lang, trace.series[key][view.t - 1][j], 4))]),
  });
  return `<p>${escapeHtml(summary(trace, view, s, lang))}</p>${units}`;
}

/** The part that changes only with the data: the unit means per time step (≤ 100 rows). */
export function lstmMeansTable(trace: LstmTrace, s: InsideLstmStrings, lang: string): string {
  const indices = sampleIndices(trace.T);
  return tableHtml({
    caption: s.meansCaption + (indices.length < trace.T ? ` ${s.sampled}` : ''),
    columns: ['t', ...TABLE_KEYS.map((k) => COLUMN[k])],
    rows: indices.map((k) => [k + 1, ...TABLE_KEYS.map((key) => formatNumber(lang, mean(trace.series[key][k]), 4))]),
  });
}
