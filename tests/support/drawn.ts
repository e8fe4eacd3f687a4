// Reading what a chart actually drew, and checking it against the numbers of an API response.
// A chart maps data to pixels through scales; for a linear (or log) scale every drawn coordinate
// is an affine function of the datum (or of its log). So "the figure shows this response" is
// tested as: an affine map exists that sends every value to its drawn coordinate, with residuals
// below a pixel tolerance, and the map is not degenerate (a flat line would fit anything).
import type { Page, Response } from 'playwright-core';

/** Largest distance, in SVG user units, between a drawn coordinate and the fitted scale. */
export const PIXEL_TOLERANCE = 0.02;

export type Point = [number, number];

/** The vertices of an SVG path made of M/L commands (what Plot's linear line and area curves emit). */
export function pathPoints(d: string): Point[] {
  const points: Point[] = [];
  for (const m of d.matchAll(/[ML]\s*(-?[\d.]+(?:e-?\d+)?)[ ,](-?[\d.]+(?:e-?\d+)?)/gi)) {
    points.push([Number(m[1]), Number(m[2])]);
  }
  return points;
}

export interface AffineFit {
  scale: number;
  offset: number;
  /** Largest |drawn − (scale·value + offset)|. */
  residual: number;
}

/** Least-squares affine fit drawn ≈ scale·value + offset. */
export function fitAffine(values: number[], drawn: number[]): AffineFit {
  if (values.length !== drawn.length) throw new Error(`fitAffine: ${values.length} values, ${drawn.length} coordinates`);
  const n = values.length;
  const mv = values.reduce((a, b) => a + b, 0) / n;
  const md = drawn.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let k = 0; k < n; k++) {
    sxy += (values[k] - mv) * (drawn[k] - md);
    sxx += (values[k] - mv) ** 2;
  }
  const scale = sxx === 0 ? 0 : sxy / sxx;
  const offset = md - scale * mv;
  let residual = 0;
  for (let k = 0; k < n; k++) residual = Math.max(residual, Math.abs(drawn[k] - (scale * values[k] + offset)));
  return { scale, offset, residual };
}

/** Asserts the drawn coordinates are an affine, non-degenerate image of the values. */
export function assertDrawn(what: string, values: number[], drawn: number[], tolerance = PIXEL_TOLERANCE): AffineFit {
  const fit = fitAffine(values, drawn);
  const spread = Math.max(...values) - Math.min(...values);
  if (spread > 0 && Math.abs(fit.scale * spread) < 1) {
    throw new Error(`${what}: the drawing does not vary with the data (scale ${fit.scale})`);
  }
  if (!(fit.residual <= tolerance)) {
    throw new Error(`${what}: drawn coordinates are not the data (worst residual ${fit.residual} > ${tolerance} px)`);
  }
  return fit;
}

/** Number parsed from a table cell in either locale ("-1,234.5", "−0.12", "1.2e-5", "—" → null). */
export function parseCell(text: string): number | null {
  const t = text.trim().replace(/\u2212/g, '-').replace(/[,\s\u00a0\u202f]/g, '');
  if (t === '' || t === '—' || t === '–') return null;
  const value = Number(t);
  return Number.isFinite(value) ? value : null;
}

/** True when a formatted number (as shown, `digits` significant digits) equals the value. */
export function showsValue(shown: number | null, value: number | null, digits = 4): boolean {
  if (value === null || !Number.isFinite(value)) return shown === null;
  if (shown === null) return false;
  if (value === 0) return shown === 0;
  const magnitude = 10 ** (Math.floor(Math.log10(Math.abs(value))) - digits + 1);
  return Math.abs(shown - value) <= magnitude / 2 + Math.abs(value) * 1e-12;
}

/** Every API exchange a page made, in order, with its body (parsed lazily). */
export interface ApiExchange {
  url: URL;
  status: number;
  response: Response;
  /** JSON body; for an event stream, the `result` event's data. */
  json(): Promise<unknown>;
}

export interface ApiLog {
  all: ApiExchange[];
  /** Exchanges after the first `n`. */
  since(n: number): ApiExchange[];
}

export function recordApi(page: Page): ApiLog {
  const all: ApiExchange[] = [];
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (!url.pathname.startsWith('/api/')) return;
    let body: Promise<unknown> | undefined;
    all.push({
      url,
      status: response.status(),
      response,
      json: () => (body ??= response.text().then((text) => parseBody(text, response.headers()['content-type'] ?? ''))),
    });
  });
  return { all, since: (n) => all.slice(n) };
}

function parseBody(text: string, contentType: string): unknown {
  if (!contentType.includes('text/event-stream')) return JSON.parse(text);
  return sseEvents(text).find((e) => e.event === 'result')?.data;
}

export interface SseEvent {
  event: string;
  data: unknown;
}

export function sseEvents(text: string): SseEvent[] {
  return text
    .split(/\n\n/)
    .filter((frame) => /^data:/m.test(frame))
    .map((frame) => ({
      event: /^event: ?(.*)$/m.exec(frame)?.[1] ?? 'message',
      data: JSON.parse(
        frame
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).replace(/^ /, ''))
          .join('\n'),
      ),
    }));
}
