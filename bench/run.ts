// `npm run bench`: every figure of the performance report in one run.
//   --json          one JSON object per measurement (compare runs between commits; use
//                   `npm run --silent bench -- --json` so npm adds no header lines)
//   --only=a,b      sections: machine, calibration, core, largest, api, load, sizes, lighthouse
//   --quick         fewer samples (a smoke run)
//   --help          this list; any other argument is an error (exit 2)
// Sections api, sizes, lighthouse and load start a real `wrangler dev` (and Chromium) and need a
// built site (`npm run build`). Lighthouse is left out of --quick runs.
import { cpus, loadavg } from 'node:os';
import { benchApi } from './api.ts';
import { calibrate } from './calibrate.ts';
import { benchCore, benchDefaultGradients, SIZES } from './core.ts';
import { benchLargest } from './largest.ts';
import { benchLoad } from './load.ts';
import { benchLighthouse, benchSizes, heaviestPagePath } from './sizes.ts';
import { fmt, report } from './stats.ts';
import { startServer } from '../tests/support/server.ts';
import { CELL_KINDS, GATE_BLOCKS } from '../worker/src/core/types.ts';

const ALL = ['machine', 'calibration', 'core', 'largest', 'api', 'load', 'sizes', 'lighthouse'] as const;
const args = process.argv.slice(2);
const USAGE = `usage: npm run bench [-- --json] [--only=${ALL.join(',')}] [--quick]`;
if (args.includes('--help') || args.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}
const badFlags = args.filter((a) => a !== '--json' && a !== '--quick' && !a.startsWith('--only='));
if (badFlags.length > 0) {
  console.error(`unknown argument(s) ${badFlags.join(' ')}\n${USAGE}`);
  process.exit(2);
}
const json = args.includes('--json');
const quick = args.includes('--quick');
const onlyArg = args.find((a) => a.startsWith('--only='));
const sections = new Set(onlyArg ? onlyArg.slice('--only='.length).split(',') : ALL);
const unknown = [...sections].filter((s) => !(ALL as readonly string[]).includes(s));
if (unknown.length > 0) throw new Error(`unknown section(s) ${unknown.join(', ')}; known: ${ALL.join(', ')}`);

function machine() {
  const record = {
    kind: 'machine',
    cpu: cpus()[0]?.model ?? 'unknown',
    nproc: cpus().length,
    loadavg: loadavg(),
    node: process.version,
    date: new Date().toISOString(),
  };
  report(
    json,
    record,
    `machine: ${record.nproc} × ${record.cpu}, load average ${record.loadavg.map((l) => l.toFixed(2)).join(' ')}, Node ${record.node}, ${record.date}`,
  );
}

if (sections.has('machine')) machine();
if (sections.has('calibration')) {
  const shapes = new Set<string>();
  for (const [, H, D] of SIZES) for (const cell of CELL_KINDS) shapes.add(`${GATE_BLOCKS[cell] * H}x${H + D}`);
  for (const shape of shapes) {
    const [R, K] = shape.split('x').map(Number);
    const c = calibrate(R, K, quick ? 100 : 400);
    const rates = Object.entries(c.rates).map(([name, rate]) => `${name} ${fmt(rate / 1e9)}`).join(', ');
    report(
      json,
      { kind: 'calibration', R, K, rates: c.rates, best: c.best, best_variant: c.bestVariant, naive: c.naive },
      `calibration ${R}×${K}: ${rates} GMAC/s (best ${c.bestVariant}, ${fmt(c.best / c.naive)}× naive)`,
    );
  }
}
if (sections.has('core')) {
  benchDefaultGradients({ json, budgetMs: 0 });
  for (const [T, H, D] of SIZES) {
    for (const cell of CELL_KINDS) benchCore(cell, T, H, D, { json, budgetMs: quick ? 150 : 1200 });
  }
}
if (sections.has('largest')) await benchLargest({ json, quick });
const needsServer = ['api', 'sizes', 'lighthouse'].some((s) => sections.has(s));
const server = needsServer ? await startServer({ vars: { RATE_LIMIT_ENABLED: 'false' } }) : undefined;
try {
  if (sections.has('api')) await benchApi({ json, quick, server });
  let pages = { home: '/', heaviest: heaviestPagePath() };
  if (sections.has('sizes')) pages = await benchSizes({ json, server });
  if (sections.has('lighthouse') && !quick) await benchLighthouse({ json, server, paths: [pages.home, pages.heaviest] });
} finally {
  await server?.stop();
}
if (sections.has('load')) {
  const problems = await benchLoad({ json, quick });
  if (problems.length > 0) process.exitCode = 1;
}
if (sections.has('machine') && sections.size > 1) machine();
