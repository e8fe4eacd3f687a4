// vitest globalSetup for the e2e project: one real `wrangler dev` (site + API) for the run.
// GRADFLOW_E2E_URL points the suite at a server that is already running (while developing
// tests); it must serve GRADFLOW_ASSETS_DIR (or site/dist).
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ROOT, startServer, type RunningServer } from './server.ts';

let server: RunningServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  const running = process.env.GRADFLOW_E2E_URL;
  if (running) {
    project.provide('baseUrl', running.replace(/\/$/, ''));
    project.provide('assetsDir', process.env.GRADFLOW_ASSETS_DIR ?? join(ROOT, 'site/dist'));
    return;
  }
  server = await startServer();
  project.provide('baseUrl', server.url);
  project.provide('assetsDir', server.assetsDir);
}

export async function teardown(): Promise<void> {
  await server?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    assetsDir: string;
  }
}
