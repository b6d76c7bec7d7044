/**
 * `npm test` needs only Node and npm; the moto_server conformance test runs apart (`npm run test:conformance`), and
 * that script fails loudly, in one line, where moto_server is missing rather than skipping.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import defaultConfig, { CONFORMANCE_TEST } from '../../vitest.config.js';
import conformanceConfig from '../../vitest.conformance.config.js';
import pkg from '../../package.json' with { type: 'json' };

const ROOT = join(import.meta.dirname, '../..');

describe('the conformance test runs only on request', () => {
  it('the default run excludes it, the conformance run includes only it, and the file is where both say', () => {
    expect(existsSync(join(ROOT, CONFORMANCE_TEST))).toBe(true);
    expect(defaultConfig.test?.exclude).toContain(CONFORMANCE_TEST);
    expect(conformanceConfig.test?.include).toEqual([CONFORMANCE_TEST]);
    expect(pkg.scripts['test:conformance']).toBe('node scripts/conformance.mjs');
  });

  it('without moto_server on PATH the script exits 1 with one line saying what to install', () => {
    const emptyPath = mkdtempSync(join(tmpdir(), 'no-moto-'));
    const run = spawnSync(process.execPath, ['scripts/conformance.mjs'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, PATH: emptyPath } });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^test:conformance: moto_server cannot run \(not found on PATH\): pip install 'moto\[server\]' \(checked against moto \d+\.\d+\.\d+\)\n$/);
  });
});
