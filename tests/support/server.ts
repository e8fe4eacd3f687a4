// Starts the real worker with its static assets (`wrangler dev`, local mode) on a free port for
// integration and browser tests, and stops it by process group: killing only the wrangler
// process would leave workerd running.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
const WRANGLER = join(ROOT, 'node_modules/.bin/wrangler');

export interface RunningServer {
  url: string;
  port: number;
  /** The built site being served. */
  assetsDir: string;
  stop(): Promise<void>;
  /** Everything wrangler printed so far (for failure messages). */
  output(): string;
}

export interface StartOptions {
  /** Serve another build of the site than site/dist (parallel builds must not share one). */
  assetsDir?: string;
  /** Extra `--var KEY:VALUE` overrides, e.g. a raised rate limit for load tests. */
  vars?: Record<string, string>;
  timeoutMs?: number;
}

/** A port the OS just handed out, so it is free (8787 is left to `npm start`). */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => done(port));
    });
  });
}

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const assetsDir = options.assetsDir ?? process.env.GRADFLOW_ASSETS_DIR ?? join(ROOT, 'site/dist');
  if (!existsSync(join(assetsDir, 'index.html'))) {
    throw new Error(`${assetsDir} has no built site: run \`npm run build\` before the integration tests.`);
  }
  const port = await freePort();
  const inspectorPort = await freePort();
  const persist = mkdtempSync(join(tmpdir(), 'gradflow-wrangler-'));
  const args = [
    'dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspectorPort),
    '--persist-to', persist, '--show-interactive-dev-session=false', '--log-level', 'warn',
  ];
  if (assetsDir !== join(ROOT, 'site/dist')) args.push('--assets', assetsDir);
  for (const [key, value] of Object.entries(options.vars ?? {})) args.push('--var', `${key}:${value}`);
  let log = '';
  const child: ChildProcess = spawn(WRANGLER, args, {
    cwd: ROOT,
    detached: true, // own process group (setsid), so stop() can signal wrangler and workerd at once
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PATH: `${join(ROOT, 'node_modules/.bin')}:${process.env.PATH ?? ''}`,
      WRANGLER_SEND_METRICS: 'false',
      CLOUDFLARE_CF_FETCH_ENABLED: 'false',
      CI: 'true',
    },
  });
  child.stdout?.on('data', (chunk) => (log += chunk));
  child.stderr?.on('data', (chunk) => (log += chunk));
  let exited = false;
  child.on('exit', () => (exited = true));

  const stop = async () => {
    if (!exited && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch { /* already gone */ }
      const deadline = Date.now() + 5000;
      while (!exited && Date.now() < deadline) await sleep(50);
      if (!exited) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch { /* already gone */ }
      }
    }
    rmSync(persist, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (exited) throw new Error(`wrangler dev exited before it was ready:\n${log}`);
    try {
      const res = await fetch(`${url}/api/v1/params`);
      await res.arrayBuffer();
      if (res.status < 500) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`wrangler dev did not answer on ${url} in time:\n${log}`);
    }
    await sleep(200);
  }
  return { url, port, assetsDir, stop, output: () => log };
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
