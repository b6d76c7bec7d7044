/**
 * Ctrl-C in a real process: `recommend --snapshot-dir` replaying many snapshots gets SIGINT once a few folders are
 * written; it finishes the folder in hand, writes index.md and summary.json of what finished, and exits 130.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OUTPUT_MARKER } from '../../src/output/ownership.js';
import { snapshotJson } from '../../src/snapshot/describe.js';
import { key, principalSnapshot } from '../batch/fake-collector.js';

const ROOT = join(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'leastpriv-batch-signal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SIGINT during recommend --snapshot-dir', () => {
  it('exits 130 with whole folders, the rest interrupted in summary.json', async () => {
    const snaps = join(dir, 'snaps');
    const out = join(dir, 'out');
    mkdirSync(join(snaps, 'role'), { recursive: true });
    const count = 400;
    for (let i = 0; i < count; i++) {
      const name = `role-${String(i).padStart(3, '0')}`;
      writeFileSync(join(snaps, 'role', `${name}.json`), snapshotJson(principalSnapshot(key('role', name), 2)));
    }
    const child = spawn(process.execPath, ['--import', join(ROOT, 'test/support/ts-register.mjs'), join(ROOT, 'src/cli/main.ts'), 'recommend', '--snapshot-dir', snaps, '--out', out], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // signal once a few folders are in place (polling the output, not a timer: it is the state that matters)
    while (!(existsSync(join(out, 'role')) && readdirSync(join(out, 'role')).length >= 3)) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toContain('leastpriv: interrupted: finishing what is being written');
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.interrupted).toBe(true);
    const done = summary.subjects.filter((s: { status: string }) => s.status === 'recommended');
    expect(summary.totals.interrupted).toBeGreaterThan(0);
    expect(done.length + summary.totals.interrupted).toBe(count);
    // every folder on disk is whole, and is one the summary lists as recommended
    const folders = readdirSync(join(out, 'role')).filter((f) => !f.startsWith('.'));
    expect(folders.sort()).toEqual(done.map((s: { name: string }) => s.name).sort());
    for (const f of folders) {
      const marker = JSON.parse(readFileSync(join(out, 'role', f, OUTPUT_MARKER), 'utf8')) as { files: string[] };
      for (const file of marker.files) expect(existsSync(join(out, 'role', f, file))).toBe(true);
    }
    expect(readdirSync(join(out, 'role')).filter((f) => f.startsWith('.leastpriv-'))).toEqual([]);
  }, 60_000);
});
