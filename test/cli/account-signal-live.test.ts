/**
 * Ctrl-C in a real process during `recommend --all-roles` against the emulator: report jobs that never end on their
 * own (completeJobs ends the ones running at that moment), SIGINT once a folder is written: exit 130, index.md and
 * summary.json name the interrupted roles, every folder on disk is whole, no temporary folder is left.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/index.js';
import { OUTPUT_MARKER } from '../../src/output/ownership.js';
import { filesBelow, treeOf, type SummaryFile } from './account-live-harness.js';

const ROOT = join(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'leastpriv-account-signal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** the child's environment: the keys in it, as a user's shell has them, and no profile */
function shellCredentials(): NodeJS.ProcessEnv {
  const { AWS_PROFILE: _profile, ...env } = process.env;
  return { ...env, AWS_ACCESS_KEY_ID: 'AKIDDEMO', AWS_SECRET_ACCESS_KEY: 'not-checked' };
}

const until = async (done: () => boolean): Promise<void> => {
  while (!done()) await new Promise((r) => setTimeout(r, 10));
};

describe('SIGINT during recommend --all-roles against the emulator', () => {
  it('exits 130 with whole folders, the roles in flight and not started listed as interrupted', async () => {
    const count = 30;
    const emulator = await startEmulator({
      fixture: {
        accountId: '444455556666',
        now: '2026-11-01T12:00:00Z',
        generate: {
          roles: [{ count, name: 'app-{i}', pad: 2, inlinePolicies: [{ name: 'work', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:CreateBucket', 'ec2:DescribeInstances'], Resource: '*' }] } }], usage: [{ service: 's3', action: 'CreateBucket', time: '2026-10-20T08:00:00Z' }] }],
        },
      },
      // a job ends only through completeJobs: which roles finish is the test's choice, not a race with a timer
      faults: { jobCompletionMs: 3_600_000 },
    });
    const out = join(dir, 'out');
    const child = spawn(
      process.execPath,
      ['--import', join(ROOT, 'test/support/ts-register.mjs'), join(ROOT, 'src/cli/main.ts'), 'recommend', '--all-roles', '--concurrency', '2', '--endpoint-url', emulator.endpoint, '--region', 'us-east-1', '--out', out],
      { stdio: ['ignore', 'pipe', 'pipe'], env: shellCredentials() },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const jobs = (): number => emulator.stats().calls['GenerateServiceLastAccessedDetails'] ?? 0;
      await until(() => jobs() >= 2);
      emulator.completeJobs();
      const folders = (): string[] => (existsSync(join(out, 'role')) ? readdirSync(join(out, 'role')).filter((f) => !f.startsWith('.')) : []);
      // both completed jobs written (waiting for one only races the other's last poll); every other job never ends
      await until(() => folders().length >= 2);
      child.kill('SIGINT');
      expect(await exited).toBe(130);
    } finally {
      child.kill('SIGKILL');
      await emulator.stop();
    }
    expect(stderr).toContain('leastpriv: interrupted: finishing what is being written');
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as SummaryFile;
    expect(summary.interrupted).toBe(true);
    const done = summary.subjects.filter((s) => s.status === 'recommended').map((s) => s.name);
    const interrupted = summary.subjects.filter((s) => s.status === 'interrupted').map((s) => s.name);
    // the two completed jobs are written; the jobs started after them never end, so nothing else is
    expect(done.length).toBe(2);
    expect(done.length + interrupted.length).toBe(count);
    const index = readFileSync(join(out, 'index.md'), 'utf8');
    expect(index).toContain('**Interrupted** (Ctrl-C)');
    expect(index).toContain(`${count} subjects: 2 with reductions, 0 unchanged, 0 failed, 0 skipped, ${count - 2} interrupted;`);
    for (const name of interrupted) expect(index).toContain(`| \`role/${name}\` |  |  |  | interrupted |  |`);
    // every folder on disk is whole (its marker lists exactly its files) and is one the summary lists as recommended
    const onDisk = readdirSync(join(out, 'role')).filter((f) => !f.startsWith('.'));
    expect(onDisk.sort()).toEqual([...done].sort());
    for (const name of onDisk) {
      const files = filesBelow(out, `role/${name}`);
      const marker = JSON.parse(files.get(OUTPUT_MARKER) ?? '{}') as { files?: string[] };
      expect([...(marker.files ?? [])].sort()).toEqual([...files.keys()].filter((f) => f !== OUTPUT_MARKER).sort());
    }
    expect([...treeOf(out).keys()].filter((f) => f.split('/').some((part) => part.startsWith('.leastpriv-tmp')))).toEqual([]);
    expect(readdirSync(out, { recursive: true }).filter((f) => String(f).includes('.leastpriv-tmp'))).toEqual([]);
  }, 60_000);
});
