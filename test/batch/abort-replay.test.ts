/**
 * Ctrl-C at the runner (an aborted signal): no half-written folder, the rest interrupted, index and summary written.
 * The offline replay of a snapshot folder (recommend --snapshot-dir), and collect --all-* into one.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runAccountBatch } from '../../src/batch/run-accounts.js';
import { replaySnapshotDir } from '../../src/batch/replay.js';
import type { BatchRecommendOptions } from '../../src/batch/types.js';
import { OUTPUT_MARKER } from '../../src/output/ownership.js';
import { snapshotJson } from '../../src/snapshot/describe.js';
import { catalog } from '../support/snapshots.js';
import { ACCOUNT_A, ACCOUNT_B, fakeCollector, key, principalSnapshot, subject, type ScriptedAccount } from './fake-collector.js';
import { runBatchCli, treeOf } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'leastpriv-batch-abort-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => join(dir, `run-${++n}`);
const recommend: BatchRecommendOptions = { catalog, toolVersion: 'test', render: {} };

/** every folder below `out` holding a marker holds exactly the files the marker lists */
function expectWholeFolders(out: string, folders: readonly string[]): void {
  for (const folder of folders) {
    const marker = JSON.parse(readFileSync(join(out, folder, OUTPUT_MARKER), 'utf8')) as { files: string[] };
    expect([...treeOf(join(out, folder)).keys()].filter((f) => f !== OUTPUT_MARKER).sort()).toEqual(marker.files);
  }
}

describe('an aborted run (Ctrl-C)', () => {
  const names = ['a', 'b', 'c', 'd', 'e'];
  const accounts: ScriptedAccount[] = [{ account: ACCOUNT_A, subjects: names.map((name) => subject(key('role', name), 2)) }];

  it('finishes the folder being written, lists the rest as interrupted, writes the index and summary', async () => {
    const out = fresh();
    const controller = new AbortController();
    const fake = fakeCollector(accounts, { afterEach: (k) => k.name === 'b' && controller.abort() });
    const run = await runAccountBatch({
      collect: fake.collect,
      collection: { selection: { roles: true, users: false, groups: false, policies: false } },
      target: { kind: 'recommend', out, options: recommend },
      signal: controller.signal,
      toolVersion: 'test',
    });
    expect(run.interrupted).toBe(true);
    expect(run.subjects.map((s) => `${s.key.name}:${s.status}`)).toEqual(['a:recommended', 'b:recommended', 'c:interrupted', 'd:interrupted', 'e:interrupted']);
    expect(readdirSync(join(out, 'role')).sort()).toEqual(['a', 'b']);
    expectWholeFolders(out, ['role/a', 'role/b']);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ interrupted: true, totals: { subjects: 5, interrupted: 3 }, accounts: [{ account: ACCOUNT_A, status: 'interrupted' }] });
    expect(readFileSync(join(out, 'index.md'), 'utf8')).toContain('**Interrupted**');
  });

  it('a listed account the collector never reached is interrupted too', async () => {
    const controller = new AbortController();
    const two: ScriptedAccount[] = [...accounts, { account: ACCOUNT_B, subjects: [subject(key('role', 'x', ACCOUNT_B), 1)] }];
    const fake = fakeCollector(two, { afterEach: (k) => k.name === 'e' && controller.abort() });
    const run = await runAccountBatch({
      collect: fake.collect,
      collection: { selection: { roles: true, users: false, groups: false, policies: false }, scope: { kind: 'list', ids: [ACCOUNT_A, ACCOUNT_B] }, assumeRoleName: 'audit' },
      target: { kind: 'recommend', out: fresh(), options: recommend },
      signal: controller.signal,
      toolVersion: 'test',
    });
    expect(run.accounts).toEqual([{ account: ACCOUNT_A, status: 'completed' }, { account: ACCOUNT_B, status: 'interrupted' }]);
  });
});

describe('recommend --snapshot-dir DIR --out OUT (offline)', () => {
  /** a folder as collect --all-* writes it for --accounts */
  function snapshotDir(): string {
    const d = fresh();
    for (const [account, name, unused] of [[ACCOUNT_A, 'app', 2], [ACCOUNT_A, 'web', 0], [ACCOUNT_B, 'app', 3]] as const) {
      mkdirSync(join(d, account, 'role'), { recursive: true });
      writeFileSync(join(d, account, 'role', `${name}.json`), snapshotJson(principalSnapshot(key('role', name, account), unused)));
    }
    return d;
  }

  it('mirrors DIR into OUT, each folder the bytes of recommend --snapshot of its file, never calling a collector', async () => {
    const snaps = snapshotDir();
    const out = fresh();
    const r = await runBatchCli(['recommend', '--snapshot-dir', snaps, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`wrote ${join(out, 'index.md')}: 3 subjects: 2 with reductions, 1 unchanged, 0 failed, 0 skipped; 8 → 3 actions\n`);
    for (const [account, name] of [[ACCOUNT_A, 'app'], [ACCOUNT_A, 'web'], [ACCOUNT_B, 'app']] as const) {
      const single = fresh();
      await runBatchCli(['recommend', '--snapshot', join(snaps, account, 'role', `${name}.json`), '--out', single]);
      expect(treeOf(join(out, account, 'role', name))).toEqual(treeOf(join(single, name)));
    }
    const index = readFileSync(join(out, 'index.md'), 'utf8');
    expect(index).toContain('| account | subject |');
    expect(index.split('\n').filter((l) => l.startsWith('| 4') || l.startsWith('| 1')).map((l) => l.split(' | ').slice(0, 2).join(' '))).toEqual([
      `| ${ACCOUNT_B} \`role/app\``, `| ${ACCOUNT_A} \`role/app\``, `| ${ACCOUNT_A} \`role/web\``,
    ]);
  });

  it('a snapshot that does not read is a failed row; the others are written', async () => {
    const snaps = snapshotDir();
    writeFileSync(join(snaps, ACCOUNT_A, 'role', 'web.json'), '{ oops');
    const out = fresh();
    const r = await runBatchCli(['recommend', '--snapshot-dir', snaps, '--out', out]);
    expect(r.code).toBe(1);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.subjects.find((s: { name: string }) => s.name === 'web')).toMatchObject({ status: 'failed', error: expect.stringMatching(/web\.json: invalid JSON at line 1/) });
    expect(existsSync(join(out, ACCOUNT_B, 'role', 'app', 'explanation.md'))).toBe(true);
  });

  it.each([
    ['another role of the same account', () => principalSnapshot(key('role', 'app', ACCOUNT_A), 1), `role/web of account ${ACCOUNT_A}`],
    ['the same role name in another account', () => principalSnapshot(key('role', 'web', ACCOUNT_B), 1), `role/web of account ${ACCOUNT_A}`],
  ])('a snapshot in the place of another subject (%s) is a failed row, no folder', async (_, misplaced, here) => {
    const snaps = snapshotDir();
    writeFileSync(join(snaps, ACCOUNT_A, 'role', 'web.json'), snapshotJson(misplaced()));
    const out = fresh();
    const r = await runBatchCli(['recommend', '--snapshot-dir', snaps, '--out', out]);
    expect(r.code).toBe(1);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.subjects.find((s: { account: string; name: string }) => s.account === ACCOUNT_A && s.name === 'web')).toMatchObject({
      status: 'failed',
      error: expect.stringContaining(`not ${here} as its place in the folder says`),
    });
    expect(existsSync(join(out, ACCOUNT_A, 'role', 'web'))).toBe(false);
    expect(existsSync(join(out, ACCOUNT_A, 'role', 'app', 'explanation.md'))).toBe(true);
  });

  it.each([
    ['a .json file outside the layout', (d: string) => writeFileSync(join(d, 'stray.json'), '{}'), /--snapshot-dir .*: stray\.json is not in the layout collect --all-\* writes/],
    ['an empty folder', (d: string) => rmSync(join(d, ACCOUNT_A), { recursive: true }) ?? rmSync(join(d, ACCOUNT_B), { recursive: true }), /holds no snapshots/],
  ])('%s: one line, nothing written', async (_, change, message) => {
    const snaps = snapshotDir();
    change(snaps);
    const out = fresh();
    const r = await runBatchCli(['recommend', '--snapshot-dir', snaps, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd()).toMatch(message);
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(existsSync(join(out, 'index.md'))).toBe(false);
  });

  it('an aborted replay interrupts the rest', async () => {
    const controller = new AbortController();
    controller.abort();
    const run = await replaySnapshotDir({ snapshotDir: snapshotDir(), out: fresh(), recommend, signal: controller.signal });
    expect(run.subjects.every((s) => s.status === 'interrupted')).toBe(true);
    expect(run.interrupted).toBe(true);
  });
});

describe('collect --all-* --snapshot-dir DIR', () => {
  it('writes DIR/<kind>/<name>.json per subject, the snapshot recommend --snapshot-dir replays', async () => {
    const snaps = fresh();
    const accounts: ScriptedAccount[] = [
      { account: ACCOUNT_A, subjects: [subject(key('role', 'app'), 2), subject(key('user', 'bob'), 1), { key: key('role', 'denied'), error: 'GenerateServiceLastAccessedDetails: AccessDenied' }] },
    ];
    const r = await runBatchCli(['collect', '--all-roles', '--all-users', '--snapshot-dir', snaps, '--quiet'], fakeCollector(accounts).collect);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`collected into ${snaps}: 3 subjects: 2 collected, 1 failed, 0 skipped\n`);
    expect(r.stderr).toBe('');
    expect([...treeOf(snaps).keys()]).toEqual(['role/app.json', 'user/bob.json']);
    expect(readFileSync(join(snaps, 'role', 'app.json'), 'utf8')).toBe(snapshotJson(principalSnapshot(key('role', 'app'), 2)));
    const replay = await runBatchCli(['recommend', '--snapshot-dir', snaps, '--out', fresh()]);
    expect(replay.code).toBe(0);
  });

  it('--resume collects only what is missing', async () => {
    const snaps = fresh();
    const accounts: ScriptedAccount[] = [{ account: ACCOUNT_A, subjects: [subject(key('role', 'a'), 1), subject(key('role', 'b'), 1)] }];
    await runBatchCli(['collect', '--all-roles', '--snapshot-dir', snaps], fakeCollector(accounts.map((a) => ({ ...a, subjects: a.subjects?.slice(0, 1) }))).collect);
    const fake = fakeCollector(accounts);
    const r = await runBatchCli(['collect', '--all-roles', '--snapshot-dir', snaps, '--resume'], fake.collect);
    expect(r.code).toBe(0);
    expect(fake.collected.map((k) => k.name)).toEqual(['b']);
  });
});
