// Without Chromium the browser suite must say so plainly: in CI (`CI=true`) it fails with a CI
// message, never a skip; locally it fails with how to install the browser. A child Node process
// imports the suite's launcher (tests/support/browser.ts) with GRADFLOW_CHROMIUM pointing nowhere.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/server.ts';

const LAUNCHER = pathToFileURL(join(ROOT, 'tests/support/browser.ts')).href;
const MISSING = '/nonexistent';
const INSTALL_HINT = 'Install it with `sudo apt-get install chromium fonts-noto-cjk` (Debian/Ubuntu), or point GRADFLOW_CHROMIUM at a Chromium binary.';

function launchWithout(ci: boolean): { status: number | null; stdout: string; stderr: string } {
  const script = [
    `const { launchBrowser } = await import(${JSON.stringify(LAUNCHER)});`,
    'try {',
    '  const browser = await launchBrowser();',
    "  await browser.close();",
    "  console.log('launched');",
    '} catch (err) {',
    "  console.error('LAUNCH FAILED: ' + err.message);",
    '  process.exit(3);',
    '}',
  ].join('\n');
  const env: NodeJS.ProcessEnv = { ...process.env, GRADFLOW_CHROMIUM: MISSING };
  delete env.CI;
  if (ci) env.CI = 'true';
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the browser suite without Chromium', () => {
  it('fails in CI with the CI message and the install hint', () => {
    const r = launchWithout(true);
    expect(r.stdout, r.stderr).not.toContain('launched');
    expect(r.status, r.stderr).toBe(3);
    expect(r.stderr).toContain(`LAUNCH FAILED: CI: the browser suite needs Chromium at ${MISSING}, and it is not there. .ci/run installs it. ${INSTALL_HINT}`);
  });

  it('fails locally with the install hint and no CI wording', () => {
    const r = launchWithout(false);
    expect(r.stdout, r.stderr).not.toContain('launched');
    expect(r.status, r.stderr).toBe(3);
    expect(r.stderr).toContain(`LAUNCH FAILED: The browser tests need Chromium at ${MISSING}, which was not found. ${INSTALL_HINT}`);
    expect(r.stderr).not.toContain('CI:');
  });
});
