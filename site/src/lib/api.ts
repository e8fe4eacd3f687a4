// The one API client of the site. Response shapes come from the worker's schemas (the single
// source of truth), never re-declared here. Used in the browser by the widgets.
import type {
  GradientsResponse,
  JacobianResponse,
  ParamsResponse,
  Problem,
  TraceResponse,
  TrainProgressEvent,
  TrainResponse,
} from '../../../worker/src/schemas.ts';

export type { Problem, TrainProgressEvent };

export interface ResponseOf {
  gradients: GradientsResponse;
  jacobian: JacobianResponse;
  trace: TraceResponse;
  train: TrainResponse;
  params: ParamsResponse;
}
export type Endpoint = keyof ResponseOf;
export type Query = Record<string, string | number | undefined | null>;

export const API_PATH = '/api/v1';

export type ApiErrorKind = 'network' | 'http' | 'rate-limit' | 'budget' | 'bad-request' | 'malformed';

export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    readonly status?: number,
    readonly problem?: Problem,
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Path + query of a request, parameters in the order given, empty ones left out. */
export function requestPath(endpoint: Endpoint, query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return `${API_PATH}/${endpoint}${search ? `?${search}` : ''}`;
}

/** A curl line a reader can paste into a terminal to get exactly the same bytes. */
export function curlLine(absoluteUrl: string, stream = false): string {
  const accept = stream ? " -H 'Accept: text/event-stream'" : '';
  return `curl -s${accept} '${absoluteUrl.replace(/'/g, "'\\''")}'`;
}

async function problemOf(res: Response): Promise<Problem | undefined> {
  try {
    const body = (await res.json()) as Problem;
    return typeof body?.status === 'number' ? body : undefined;
  } catch {
    return undefined;
  }
}

async function errorFor(res: Response): Promise<ApiError> {
  const problem = await problemOf(res);
  const detail = problem?.detail ?? problem?.title ?? res.statusText;
  const retryAfter = Number(res.headers.get('Retry-After')) || undefined;
  if (res.status === 429) return new ApiError('rate-limit', detail, 429, problem, retryAfter);
  if (res.status === 422) return new ApiError('budget', detail, 422, problem);
  if (res.status >= 400 && res.status < 500) return new ApiError('bad-request', detail, res.status, problem);
  return new ApiError('http', detail, res.status, problem);
}

/** Checks the parts of a body every widget relies on, so a truncated or foreign answer fails loudly. */
function assertBody(endpoint: Endpoint, body: unknown): void {
  const ok =
    typeof body === 'object' && body !== null &&
    typeof (body as { model_version?: unknown }).model_version === 'string' &&
    typeof (body as { config?: unknown }).config === 'object';
  if (!ok) throw new ApiError('malformed', `unexpected response from /${endpoint}`);
}

export async function fetchJson<E extends Endpoint>(
  endpoint: E,
  query: Query,
  signal?: AbortSignal,
): Promise<ResponseOf[E]> {
  let res: Response;
  try {
    res = await fetch(requestPath(endpoint, query), { signal, headers: { Accept: 'application/json' } });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError('network', (err as Error).message);
  }
  if (!res.ok) throw await errorFor(res);
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new ApiError('malformed', `response from /${endpoint} is not valid JSON`);
  }
  assertBody(endpoint, body);
  return body as ResponseOf[E];
}

/**
 * /train as Server-Sent Events: calls onProgress for each `progress` event (loss and grad_norm
 * are null where the run diverged; the result's warnings say so) and resolves with the final
 * `result` event, which carries the same JSON as the non-streaming answer.
 */
export async function streamTrain(
  query: Query,
  onProgress: (event: TrainProgressEvent) => void,
  signal?: AbortSignal,
): Promise<TrainResponse> {
  let res: Response;
  try {
    res = await fetch(requestPath('train', query), { signal, headers: { Accept: 'text/event-stream' } });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError('network', (err as Error).message);
  }
  if (!res.ok) throw await errorFor(res);
  if (!res.body) throw new ApiError('malformed', 'empty event stream');
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let boundary: number;
    while ((boundary = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      const event = /^event: ?(.*)$/m.exec(frame)?.[1] ?? 'message';
      const data = frame
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).replace(/^ /, ''))
        .join('\n');
      let parsed: unknown;
      try {
        parsed = JSON.parse(data);
      } catch {
        throw new ApiError('malformed', `bad ${event} event in the training stream`);
      }
      if (event === 'progress') onProgress(parsed as TrainProgressEvent);
      else if (event === 'result') {
        assertBody('train', parsed);
        return parsed as TrainResponse;
      } else if (event === 'error') {
        const problem = parsed as Problem;
        throw new ApiError('http', problem.detail ?? problem.title, problem.status, problem);
      }
    }
  }
  throw new ApiError('malformed', 'the training stream ended before its result');
}

/**
 * Only the latest request may paint: starting a new one aborts the previous one, and a response
 * that arrives after a newer request started is dropped (resolves to undefined).
 */
export class LatestOnly {
  private controller: AbortController | undefined;
  private generation = 0;

  async run<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T | undefined> {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    const mine = ++this.generation;
    try {
      const result = await work(controller.signal);
      return mine === this.generation ? result : undefined;
    } catch (err) {
      if (mine !== this.generation || (err as Error).name === 'AbortError') return undefined;
      throw err;
    }
  }

  abort(): void {
    this.controller?.abort();
    this.generation++;
  }
}
