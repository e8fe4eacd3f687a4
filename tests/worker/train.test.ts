// GET /api/v1/train inside workerd: the JSON answer against the core, its limits and budget, and
// the Server-Sent Events answer: framing, a last `result` equal to the JSON, a disconnect that
// stops the training, and a slow reader that holds the producer back (live run and cached replay).
import { describe, expect, it } from 'vitest';
import { trainToEnd } from '../../worker/src/core/train.ts';
import type { TrainConfig } from '../../worker/src/core/types.ts';
import { trainCost } from '../../worker/src/limits.ts';
import { trainingRuns } from '../../worker/src/routes/train.ts';
import type { TrainProgressEvent, TrainResponse } from '../../worker/src/schemas.ts';
import { budget, get, invalid, json, jsonOf, problem } from './helpers.ts';

/** A run of a fraction of a second; each seed is another query (and another cache entry). */
const small = (seed: number) => `cell=lstm&seq_len=6&hidden_size=4&steps=7&batch_size=3&seed=${seed}&lr=0.02&clip=0.5`;
const SMALL = small(5);
const SMALL_CONFIG: TrainConfig = {
  cell: 'lstm',
  task: 'adding',
  T: 6,
  H: 4,
  seed: 5,
  init: 'pytorch',
  gain: 1,
  forgetBias: 0,
  nonlinearity: 'tanh',
  steps: 7,
  batchSize: 3,
  lr: 0.02,
  optimizer: 'adam',
  clip: 0.5,
};

interface SseEvent {
  event: string;
  data: string;
}

/** Parses an event stream as the HTML standard does (fields per line, events split by a blank line). */
function parseEvents(text: string): SseEvent[] {
  const events: SseEvent[] = [];
  for (const block of text.split('\n\n')) {
    if (block.trim() === '') continue;
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      const colon = line.indexOf(':');
      const field = line.slice(0, colon);
      const value = line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      if (field === 'data') data.push(value);
    }
    events.push({ event, data: data.join('\n') });
  }
  return events;
}

const STREAM = { headers: { Accept: 'text/event-stream' } };

/** The steps a warning "<field> is null at step = 3, 5..9: …" names. */
function stepsOf(warning: string): Set<number> {
  const list = /= ([\d., ]+):/.exec(warning)?.[1] ?? '';
  const steps = new Set<number>();
  for (const part of list.split(', ')) {
    const [from, to = from] = part.split('..').map(Number);
    for (let s = from; s <= to; s++) steps.add(s);
  }
  return steps;
}

/** Reads an event stream one event at a time, asking the body for more only when needed. */
class EventReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  #buffer = '';
  /** Everything read so far, to compare with a whole body. */
  text = '';

  constructor(body: ReadableStream<Uint8Array>) {
    this.#reader = body.getReader();
  }

  /** The next complete event, or null when the stream has ended. */
  async next(): Promise<SseEvent | null> {
    for (;;) {
      const end = this.#buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = this.#buffer.slice(0, end + 2);
        this.#buffer = this.#buffer.slice(end + 2);
        return parseEvents(block)[0];
      }
      const { done, value } = await this.#reader.read();
      if (done) return null;
      const chunk = this.#decoder.decode(value, { stream: true });
      this.#buffer += chunk;
      this.text += chunk;
    }
  }

  async rest(): Promise<SseEvent[]> {
    const events: SseEvent[] = [];
    for (let e = await this.next(); e !== null; e = await this.next()) events.push(e);
    return events;
  }
}

/** Gives the worker many turns of the event loop (timers and I/O) while the test reads nothing. */
async function stopReading(): Promise<void> {
  for (let k = 0; k < 100; k++) await new Promise((resolve) => setTimeout(resolve, 2));
}

/**
 * How many progress reports the producer may be ahead of a reader that has stopped. The body is
 * pull-driven (highWaterMark 0), so only workerd's pump asks for more: it holds one chunk it
 * could not hand over yet (1 ahead, as measured), plus one of slack. A producer that ignores
 * backpressure is the whole run (50 reports) ahead; hono's streamSSE (a TransformStream between
 * writer and body) was 3 ahead.
 */
const MAX_REPORTS_AHEAD = 2;

describe('/api/v1/train as JSON', () => {
  it('returns the core training run exactly, with the canonical config', async () => {
    const body = await json<TrainResponse>(`/api/v1/train?${SMALL}`);
    const core = trainToEnd(SMALL_CONFIG);
    expect(JSON.stringify(body.result.loss)).toBe(jsonOf(core.loss));
    expect(JSON.stringify(body.result.grad_norm)).toBe(jsonOf(core.gradNorm));
    expect(body.result.clipped).toEqual(Array.from(core.clipped, (c) => c === 1));
    expect(body.result.test_error).toBe(core.testError);
    expect(body.result.test_accuracy).toBe(core.testAccuracy);
    expect(body.result.baseline_error).toBe(core.baselineError);
    expect(body.result.baseline).toBe(core.baseline);
    expect(body.config).toEqual({
      cell: 'lstm',
      task: 'adding',
      seq_len: 6,
      hidden_size: 4,
      seed: 5,
      init: 'pytorch',
      gain: 1,
      forget_bias: 0,
      nonlinearity: 'tanh',
      steps: 7,
      batch_size: 3,
      lr: 0.02,
      optimizer: 'adam',
      clip: 0.5,
    });
    expect(body.warnings).toEqual([]);
  });

  it('echoes clip as null when it is left out', async () => {
    const body = await json<TrainResponse>('/api/v1/train?steps=2&batch_size=1&seq_len=3&hidden_size=2');
    expect(body.config.clip).toBeNull();
    expect(body.result.clipped).toEqual([false, false]);
  });

  it('turns an exploding run into nulls with warnings', async () => {
    const body = await json<TrainResponse>('/api/v1/train?cell=rnn&nonlinearity=relu&gain=8&steps=30&batch_size=2&seq_len=30&hidden_size=16&optimizer=sgd&lr=10');
    const nulls = body.result.loss.filter((v) => v === null).length;
    expect(nulls).toBeGreaterThan(0);
    expect(body.warnings).toContainEqual(expect.stringMatching(/^result\.loss is null at step = /));
  });

  it('holds its limits', async () => {
    const ok = [
      'seq_len=2&steps=1&batch_size=1',
      'cell=rnn&seq_len=1000&steps=1&batch_size=1&hidden_size=2',
      'batch_size=256&steps=1&seq_len=2&hidden_size=2',
      'lr=10&steps=1&batch_size=1&seq_len=3',
      'clip=1000&steps=1&batch_size=1&seq_len=3',
      'clip=1e-9&steps=1&batch_size=1&seq_len=3',
    ];
    for (const query of ok) await json(`/api/v1/train?${query}`);
    // 10000 steps pass the schema; at any size BUDGET_TRAIN_MACS binds first (422, not 400).
    const most = await problem('/api/v1/train?cell=rnn&steps=10000&batch_size=1&seq_len=2&hidden_size=1', 422);
    expect(most.budget_var).toBe('BUDGET_TRAIN_MACS');
    const bad: [string, string][] = [
      ['seq_len=1', 'seq_len'],
      ['seq_len=1001', 'seq_len'],
      ['steps=0', 'steps'],
      ['steps=10001', 'steps'],
      ['batch_size=0', 'batch_size'],
      ['batch_size=257', 'batch_size'],
      ['lr=0', 'lr'],
      ['lr=10.5', 'lr'],
      ['clip=0', 'clip'],
      ['clip=-1', 'clip'],
      ['clip=1001', 'clip'],
      ['hidden_size=65', 'hidden_size'],
    ];
    for (const [query, param] of bad) await invalid(`/api/v1/train?${query}`, [param]);
  });

  it('answers 422 over BUDGET_TRAIN_MACS, with and without the event stream', async () => {
    const limit = budget('BUDGET_TRAIN_MACS');
    let steps = 1;
    const at = (s: number) => trainCost({ ...SMALL_CONFIG, H: 64, T: 100, batchSize: 64, steps: s });
    while (steps < 10000 && at(steps + 1) <= limit) steps++;
    expect(steps).toBeLessThan(10000);
    const query = `hidden_size=64&seq_len=100&batch_size=64&cell=lstm`;
    const over = await problem(`/api/v1/train?${query}&steps=${steps + 1}`, 422);
    expect(over.budget).toBe(limit);
    expect(over.budget_var).toBe('BUDGET_TRAIN_MACS');
    await problem(`/api/v1/train?${query}&steps=${steps + 1}`, 422, STREAM);
  });
});

describe('/api/v1/train as Server-Sent Events', () => {
  it('streams progress events and ends with a result equal to the JSON body', async () => {
    const query = small(6);
    const res = await get(`/api/v1/train?${query}`, STREAM);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('Vary')).toContain('Accept');
    const text = await res.text();
    expect(text.endsWith('\n\n')).toBe(true);
    const events = parseEvents(text);
    const progress = events.filter((e) => e.event === 'progress').map((e) => JSON.parse(e.data) as TrainProgressEvent);
    expect(events.at(-1)?.event).toBe('result');
    expect(events.filter((e) => e.event === 'result')).toHaveLength(1);
    expect(progress.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    for (const p of progress) expect(Object.keys(p)).toEqual(['step', 'steps', 'loss', 'grad_norm']);

    const plain = await get(`/api/v1/train?${query}`);
    expect(events.at(-1)?.data).toBe(await plain.text());
    const result = JSON.parse(events.at(-1)!.data) as TrainResponse;
    expect(progress.map((p) => p.loss)).toEqual(result.result.loss);
    expect(progress.map((p) => p.grad_norm)).toEqual(result.result.grad_norm);
  });

  it('explains the null loss and grad_norm of progress events in the result event\'s warnings', async () => {
    const query = 'cell=rnn&nonlinearity=relu&gain=8&steps=30&batch_size=2&seq_len=30&hidden_size=16&optimizer=sgd&lr=10&seed=7';
    const events = parseEvents(await (await get(`/api/v1/train?${query}`, STREAM)).text());
    const progress = events.filter((e) => e.event === 'progress').map((e) => JSON.parse(e.data) as TrainProgressEvent);
    const result = JSON.parse(events.at(-1)!.data) as TrainResponse;
    let nulls = 0;
    for (const p of progress) {
      for (const [field, value] of [['loss', p.loss], ['grad_norm', p.grad_norm]] as const) {
        if (value !== null) continue;
        nulls++;
        const named = result.warnings.filter((w) => w.startsWith(`result.${field} is null at step = `));
        expect(named.some((w) => stepsOf(w).has(p.step)), `step ${p.step} ${field}: ${JSON.stringify(result.warnings)}`).toBe(true);
      }
    }
    expect(nulls, 'the run should diverge').toBeGreaterThan(0);
  });

  it('streams a cached run exactly as a live one: the same progress events, then the result', async () => {
    // 120 steps report every ceil(120 / 50) = 3 steps: the replay must follow that schedule too.
    const query = `seq_len=3&hidden_size=2&batch_size=1&steps=120&seed=424242`;
    const live = await (await get(`/api/v1/train?${query}`, STREAM)).text();
    const replayed = await (await get(`/api/v1/train?${query}`, STREAM)).text();
    const events = parseEvents(live);
    const steps = events.filter((e) => e.event === 'progress').map((e) => (JSON.parse(e.data) as TrainProgressEvent).step);
    expect(steps).toEqual([...Array.from({ length: 40 }, (_, k) => 3 * (k + 1))]);
    expect(replayed).toBe(live);
    const plain = await (await get(`/api/v1/train?${query}`)).text();
    expect(events.at(-1)?.data).toBe(plain);
  });

  it('uses JSON unless the event stream is asked for', async () => {
    const refused = await get(`/api/v1/train?${SMALL}`, { headers: { Accept: 'text/event-stream;q=0, application/json' } });
    expect(refused.headers.get('Content-Type')).toMatch(/^application\/json/);
    const listed = await get(`/api/v1/train?${small(11)}`, { headers: { Accept: 'application/json;q=0.5, text/event-stream' } });
    expect(listed.headers.get('Content-Type')).toMatch(/^text\/event-stream/);
    await listed.text();
  });

  it('stops training when the client disconnects', async () => {
    const steps = 3000; // near the most steps the budget allows at this size; 60 steps per report
    const runsBefore = { ...trainingRuns };
    const res = await get(`/api/v1/train?cell=rnn&seq_len=2&hidden_size=1&batch_size=1&steps=${steps}&seed=99`, STREAM);
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('event: progress');
    await reader.cancel();
    // Let the worker's loop take a few turns and notice the closed stream.
    for (let k = 0; k < 200 && trainingRuns.stopped === runsBefore.stopped; k++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(trainingRuns.stopped).toBe(runsBefore.stopped + 1);
    expect(trainingRuns.finished).toBe(runsBefore.finished);
    const stoppedAt = trainingRuns.lastStep;
    expect(stoppedAt).toBeLessThan(steps);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(trainingRuns.lastStep).toBe(stoppedAt);
  });

  it('holds a live run back while the reader is slow, then finishes it exactly', async () => {
    // 1000 steps report every 20: 50 reports, far more than a held-back producer may make.
    const cfg: TrainConfig = { ...SMALL_CONFIG, steps: 1000, batchSize: 1, seed: 77 };
    const query = 'cell=lstm&seq_len=6&hidden_size=4&steps=1000&batch_size=1&seed=77&lr=0.02&clip=0.5';
    const every = 20;
    const runsBefore = { ...trainingRuns };
    const res = await get(`/api/v1/train?${query}`, STREAM);
    expect(res.status).toBe(200);
    const events = new EventReader(res.body!);
    const first = await events.next();
    expect(first?.event).toBe('progress');
    expect((JSON.parse(first!.data) as TrainProgressEvent).step).toBe(every);
    await stopReading();
    expect(trainingRuns.started).toBe(runsBefore.started + 1);
    expect(trainingRuns.finished).toBe(runsBefore.finished);
    expect(trainingRuns.lastStep).toBeGreaterThanOrEqual(every);
    expect(trainingRuns.lastStep).toBeLessThanOrEqual(every * (1 + MAX_REPORTS_AHEAD));

    const rest = await events.rest();
    expect(trainingRuns.finished).toBe(runsBefore.finished + 1);
    const all = [first!, ...rest];
    const progress = all.filter((e) => e.event === 'progress').map((e) => JSON.parse(e.data) as TrainProgressEvent);
    expect(progress.map((p) => p.step)).toEqual(Array.from({ length: 50 }, (_, k) => every * (k + 1)));
    expect(all.at(-1)?.event).toBe('result');
    const result = JSON.parse(all.at(-1)!.data) as TrainResponse;
    const core = trainToEnd(cfg);
    expect(JSON.stringify(result.result.loss)).toBe(jsonOf(core.loss));
    expect(JSON.stringify(result.result.grad_norm)).toBe(jsonOf(core.gradNorm));
    expect(result.result.test_error).toBe(core.testError);
    expect(all.at(-1)!.data).toBe(await (await get(`/api/v1/train?${query}`)).text());
  });

  it('holds a cached replay back while the reader is slow, then replays it exactly', async () => {
    const query = 'seq_len=3&hidden_size=2&batch_size=1&steps=500&seed=31337';
    const every = 10;
    const live = await (await get(`/api/v1/train?${query}`, STREAM)).text();
    const runsBefore = { ...trainingRuns };
    const res = await get(`/api/v1/train?${query}`, STREAM);
    const events = new EventReader(res.body!);
    const first = await events.next();
    expect((JSON.parse(first!.data) as TrainProgressEvent).step).toBe(every);
    await stopReading();
    expect(trainingRuns.started).toBe(runsBefore.started); // a replay, not a run
    expect(trainingRuns.replays).toBe(runsBefore.replays + 1);
    expect(trainingRuns.replayStep).toBeGreaterThanOrEqual(every);
    expect(trainingRuns.replayStep).toBeLessThanOrEqual(every * (1 + MAX_REPORTS_AHEAD));
    await events.rest();
    expect(events.text).toBe(live);
    expect(trainingRuns.replayStep).toBe(500);
  });
});
