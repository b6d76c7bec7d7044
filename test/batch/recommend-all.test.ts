/**
 * `recommend --all-*` with a fake collector: the folders (each exactly what a single `recommend --snapshot` writes),
 * index.md and summary.json, their order and determinism, failures isolated, resume, exit codes.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { OUTPUT_MARKER } from '../../src/output/ownership.js';
import { SUMMARY_SCHEMA } from '../../src/render/summary-schema.js';
import { snapshotJson } from '../../src/snapshot/describe.js';
import { ACCOUNT_A, ACCOUNT_B, fakeCollector, key, principalSnapshot, subject, type ScriptedAccount } from './fake-collector.js';
import { runBatchCli, treeOf } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'leastpriv-batch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => join(dir, `run-${++n}`);

const current: ScriptedAccount[] = [
  {
    account: ACCOUNT_A,
    subjects: [subject(key('role', 'small'), 1), subject(key('role', 'big'), 3), subject(key('user', 'alice'), 0), { key: key('role', 'gone'), error: 'GetRole: NoSuchEntity: the role was deleted after it was listed' }],
    skipped: [{ key: key('role', 'AWSServiceRoleForSupport'), reason: 'service-linked-role' }],
  },
];

describe('recommend --all-roles into --out', () => {
  it('writes one folder per subject, exactly what recommend --snapshot writes, plus index.md and summary.json', async () => {
    const out = fresh();
    const snaps = fresh();
    const fake = fakeCollector(current);
    const r = await runBatchCli(['recommend', '--all-roles', '--all-users', '--out', out, '--snapshot-dir', snaps], fake.collect);
    expect(r.code).toBe(1); // the deleted role failed
    expect(r.stdout).toBe(`wrote ${join(out, 'index.md')}: 5 subjects: 2 with reductions, 1 unchanged, 1 failed, 1 skipped; 7 → 3 actions\n`);
    const tree = treeOf(out);
    const folders = [...new Set([...tree.keys()].filter((f) => f.includes('/')).map((f) => f.split('/').slice(0, 2).join('/')))].sort();
    expect(folders).toEqual(['role/big', 'role/small', 'user/alice']);
    expect(fake.calls[0]?.selection).toMatchObject({ roles: true, users: true, groups: false, policies: false });
    expect(fake.calls[0]?.scope).toEqual({ kind: 'current' });
    // the same bytes as the single run from the kept snapshot
    for (const folder of folders) {
      const single = fresh();
      const one = await runBatchCli(['recommend', '--snapshot', join(snaps, `${folder}.json`), '--out', single]);
      expect(one.code).toBe(0);
      const name = folder.split('/')[1] as string;
      const mine = new Map([...tree].filter(([f]) => f.startsWith(`${folder}/`)).map(([f, t]) => [f.slice(folder.length + 1), t]));
      expect(mine).toEqual(new Map([...treeOf(single)].map(([f, t]) => [f.slice(name.length + 1), t])));
    }
  });

  it('without --snapshot-dir the folders are still those of the single run (the snapshot round-tripped through JSON)', async () => {
    const out = fresh();
    const r = await runBatchCli(['recommend', '--all-roles', '--out', out], fakeCollector(current).collect);
    expect(r.code).toBe(1);
    const file = join(dir, 'big.json');
    writeFileSync(file, snapshotJson(principalSnapshot(key('role', 'big'), 3)));
    const single = fresh();
    await runBatchCli(['recommend', '--snapshot', file, '--out', single]);
    const explanation = readFileSync(join(single, 'big', 'explanation.md'), 'utf8');
    expect(readFileSync(join(out, 'role', 'big', 'explanation.md'), 'utf8')).toBe(explanation);
    expect(readFileSync(join(out, 'role', 'big', 'recommendation.json'), 'utf8')).toBe(readFileSync(join(single, 'big', 'recommendation.json'), 'utf8'));
  });

  it('index.md: sorted by actions removed, failed and skipped rows after, totals; the same run gives the same bytes', async () => {
    const [a, b] = [fresh(), fresh()];
    await runBatchCli(['recommend', '--all-roles', '--out', a], fakeCollector(current).collect);
    // the collector's order changes nothing
    const reversed = [{ ...current[0], subjects: [...(current[0]?.subjects ?? [])].reverse() } as ScriptedAccount];
    await runBatchCli(['recommend', '--all-roles', '--out', b], fakeCollector(reversed).collect);
    const index = readFileSync(join(a, 'index.md'), 'utf8');
    expect(readFileSync(join(b, 'index.md'), 'utf8')).toBe(index);
    expect(readFileSync(join(b, 'summary.json'), 'utf8')).toBe(readFileSync(join(a, 'summary.json'), 'utf8'));
    const rows = index.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows.map((l) => /`([^`]+)`/.exec(l)?.[1])).toEqual(['role/big', 'role/small', 'user/alice', 'role/gone', 'role/AWSServiceRoleForSupport']);
    expect(rows[0]).toBe('| `role/big` | 4 → 1 (−3) | — | — | reductions-recommended | [role/big/](role/big/) |');
    expect(rows[3]).toBe('| `role/gone` |  |  |  | failed: GetRole: NoSuchEntity: the role was deleted after it was listed |  |');
    expect(rows[4]).toContain('skipped: a service-linked role: IAM refuses edits to its policies');
    expect(index).toContain('5 subjects: 2 with reductions, 1 unchanged, 1 failed, 1 skipped; 7 → 3 actions');
    expect(index).not.toMatch(/\d\d:\d\d/);
  });

  it('summary.json validates against its schema and lists every subject with its status', async () => {
    const out = fresh();
    await runBatchCli(['recommend', '--all-roles', '--out', out], fakeCollector(current).collect);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const validate = new Ajv({ strict: false }).compile(SUMMARY_SCHEMA);
    expect(validate(summary), JSON.stringify(validate.errors)).toBe(true);
    expect(summary.subjects.map((s: { name: string; status: string }) => `${s.name}:${s.status}`)).toEqual([
      'big:recommended', 'small:recommended', 'alice:recommended', 'gone:failed', 'AWSServiceRoleForSupport:skipped',
    ]);
    expect(summary.subjects[0]).toMatchObject({ folder: 'role/big/', outcome: 'reductions-recommended', actionsBefore: 4, actionsAfter: 1 });
    expect(summary.subjects[4]).toMatchObject({ reason: 'service-linked-role' });
    expect(summary.totals).toMatchObject({ subjects: 5, reduced: 2, unchanged: 1, failed: 1, skipped: 1, actionsBefore: 7, actionsAfter: 3 });
  });
});

describe('exit codes over the whole run', () => {
  const ok: ScriptedAccount[] = [{ account: ACCOUNT_A, subjects: [subject(key('role', 'a'), 0), subject(key('role', 'b'), 2)] }];
  const unchanged: ScriptedAccount[] = [{ account: ACCOUNT_A, subjects: [subject(key('role', 'a'), 0)] }];
  it.each([
    ['every subject recommended', ok, [], 0],
    ['reductions with --detailed-exitcode', ok, ['--detailed-exitcode'], 2],
    ['no reductions with --detailed-exitcode', unchanged, ['--detailed-exitcode'], 0],
    ['a failed subject wins over reductions', current, ['--detailed-exitcode'], 1],
  ] as const)('%s', async (_, accounts, extra, code) => {
    const r = await runBatchCli(['recommend', '--all-roles', '--out', fresh(), ...extra], fakeCollector(accounts).collect);
    expect(r.code).toBe(code);
  });
});

describe('several accounts (--accounts)', () => {
  const accounts: ScriptedAccount[] = [
    { account: ACCOUNT_A, subjects: [subject(key('role', 'app', ACCOUNT_A), 2)] },
    { account: ACCOUNT_B, accountError: `sts:AssumeRole into arn:aws:iam::${ACCOUNT_B}:role/audit: AccessDenied` },
  ];
  it('writes OUT/<account-id>/<kind>/<name>/; a failed account has its own line, and the run exits 1', async () => {
    const out = fresh();
    const fake = fakeCollector(accounts);
    const r = await runBatchCli(['recommend', '--all-roles', '--accounts', `${ACCOUNT_A},${ACCOUNT_B}`, '--assume-role-name', 'audit', '--out', out], fake.collect);
    expect(r.code).toBe(1);
    expect(fake.calls[0]).toMatchObject({ scope: { kind: 'list', ids: [ACCOUNT_A, ACCOUNT_B] }, assumeRoleName: 'audit' });
    expect(existsSync(join(out, ACCOUNT_A, 'role', 'app', OUTPUT_MARKER))).toBe(true);
    const index = readFileSync(join(out, 'index.md'), 'utf8');
    expect(index).toContain(`| ${ACCOUNT_A} | \`role/app\` | 3 → 1 (−2) |`);
    expect(index).toContain(`- \`${ACCOUNT_B}\`: failed: sts:AssumeRole into arn:aws:iam::${ACCOUNT_B}:role/audit: AccessDenied`);
    expect(index).toContain('1 account failed');
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.accounts).toEqual([
      { account: ACCOUNT_A, status: 'completed' },
      { account: ACCOUNT_B, status: 'failed', error: `sts:AssumeRole into arn:aws:iam::${ACCOUNT_B}:role/audit: AccessDenied` },
    ]);
    expect(summary.perAccount).toBe(true);
  });
});

describe('a subject that cannot be recommended or written fails alone', () => {
  it('a name "..", a foreign folder in the way, an invalid snapshot: each failed with its line, the others written', async () => {
    const out = fresh();
    mkdirSync(join(out, 'role', 'taken'), { recursive: true });
    writeFileSync(join(out, 'role', 'taken', 'notes.txt'), 'mine');
    const broken = { ...principalSnapshot(key('role', 'broken'), 1), schemaVersion: 9 } as unknown as ReturnType<typeof principalSnapshot>;
    const accounts: ScriptedAccount[] = [
      { account: ACCOUNT_A, subjects: [subject(key('role', '..'), 1), subject(key('role', 'taken'), 1), { key: key('role', 'broken'), snapshot: broken }, subject(key('role', 'fine'), 1)] },
    ];
    const r = await runBatchCli(['recommend', '--all-roles', '--out', out], fakeCollector(accounts).collect);
    expect(r.code).toBe(1);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const byName = Object.fromEntries(summary.subjects.map((s: { name: string }) => [s.name, s]));
    expect(byName['fine'].status).toBe('recommended');
    expect(byName['..'].error).toBe(`cannot write a folder named ".." under ${out}`);
    expect(byName['taken'].error).toMatch(/role\/taken holds notes\.txt: leastpriv replaces only what it wrote/);
    expect(byName['broken'].error).toMatch(/unsupported snapshot schema version 9/);
    expect(readFileSync(join(out, 'role', 'taken', 'notes.txt'), 'utf8')).toBe('mine');
    expect(existsSync(join(out, 'role', 'fine', 'explanation.md'))).toBe(true);
  });
});

describe('--resume', () => {
  it('a valid snapshot already there is not collected again and is still recommended; an invalid one is collected again', async () => {
    const snaps = fresh();
    const accounts: ScriptedAccount[] = [{ account: ACCOUNT_A, subjects: [subject(key('role', 'kept'), 2), subject(key('role', 'redo'), 1), subject(key('role', 'new'), 1)] }];
    mkdirSync(join(snaps, 'role'), { recursive: true });
    writeFileSync(join(snaps, 'role', 'kept.json'), snapshotJson(principalSnapshot(key('role', 'kept'), 2)));
    // ours (a leastpriv snapshot) but not valid: replaced by a fresh collection
    const invalid = { ...principalSnapshot(key('role', 'redo'), 1), report: { Kind: 'service-last-accessed' } };
    writeFileSync(join(snaps, 'role', 'redo.json'), JSON.stringify(invalid));
    const out = fresh();
    const fake = fakeCollector(accounts);
    const r = await runBatchCli(['recommend', '--all-roles', '--out', out, '--snapshot-dir', snaps, '--resume'], fake.collect);
    expect(r.code).toBe(0);
    expect(fake.collected.map((k) => k.name)).toEqual(['redo', 'new']);
    for (const name of ['kept', 'redo', 'new']) expect(existsSync(join(out, 'role', name, 'recommendation.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(snaps, 'role', 'redo.json'), 'utf8')).report.JobStatus).toBe('COMPLETED');
  });

  it('a snapshot whose policies differ from what the account lists now is collected again, never recommended from', async () => {
    const snaps = fresh();
    mkdirSync(join(snaps, 'role'), { recursive: true });
    // an earlier run's snapshot of the same role: its policy has changed since (what the listing says now)
    writeFileSync(join(snaps, 'role', 'edited.json'), snapshotJson(principalSnapshot(key('role', 'edited'), 1)));
    writeFileSync(join(snaps, 'role', 'same.json'), snapshotJson(principalSnapshot(key('role', 'same'), 2)));
    const fake = fakeCollector([{ account: ACCOUNT_A, subjects: [subject(key('role', 'edited'), 3), subject(key('role', 'same'), 2)] }]);
    const out = fresh();
    const r = await runBatchCli(['recommend', '--all-roles', '--out', out, '--snapshot-dir', snaps, '--resume'], fake.collect);
    expect(r.code).toBe(0);
    expect(fake.collected.map((k) => k.name)).toEqual(['edited']);
    expect(readFileSync(join(snaps, 'role', 'edited.json'), 'utf8')).toBe(snapshotJson(principalSnapshot(key('role', 'edited'), 3)));
    // the folder is the one a run without --resume writes from the role as it is now
    const plain = fresh();
    await runBatchCli(['recommend', '--all-roles', '--out', plain], fakeCollector([{ account: ACCOUNT_A, subjects: [subject(key('role', 'edited'), 3)] }]).collect);
    expect(treeOf(join(out, 'role', 'edited'))).toEqual(treeOf(join(plain, 'role', 'edited')));
  });

  it('a subject that fails now has its earlier snapshot set aside, so a replay of the folder cannot recommend from it', async () => {
    const snaps = fresh();
    mkdirSync(join(snaps, 'role'), { recursive: true });
    writeFileSync(join(snaps, 'role', 'flaky.json'), snapshotJson(principalSnapshot(key('role', 'flaky'), 2)));
    const fake = fakeCollector([{ account: ACCOUNT_A, subjects: [subject(key('role', 'fine'), 1), { key: key('role', 'flaky'), error: 'access denied: the caller lacks iam:GenerateServiceLastAccessedDetails' }] }]);
    const out = fresh();
    const r = await runBatchCli(['recommend', '--all-roles', '--out', out, '--snapshot-dir', snaps], fake.collect);
    expect(r.code).toBe(1);
    expect(existsSync(join(snaps, 'role', 'flaky.json'))).toBe(false);
    expect(readFileSync(join(snaps, 'role', 'flaky.json.stale'), 'utf8')).toBe(snapshotJson(principalSnapshot(key('role', 'flaky'), 2)));
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.subjects.find((x: { name: string }) => x.name === 'flaky').error).toBe(
      'access denied: the caller lacks iam:GenerateServiceLastAccessedDetails; the snapshot of an earlier run was set aside as role/flaky.json.stale',
    );
    const replay = fresh();
    expect((await runBatchCli(['recommend', '--snapshot-dir', snaps, '--out', replay])).code).toBe(0);
    expect(existsSync(join(replay, 'role', 'flaky'))).toBe(false);
  });

  it('a snapshot of another subject under the name is collected again', async () => {
    const snaps = fresh();
    mkdirSync(join(snaps, 'role'), { recursive: true });
    writeFileSync(join(snaps, 'role', 'app.json'), snapshotJson(principalSnapshot(key('role', 'other'), 1)));
    const fake = fakeCollector([{ account: ACCOUNT_A, subjects: [subject(key('role', 'app'), 1)] }]);
    await runBatchCli(['recommend', '--all-roles', '--out', fresh(), '--snapshot-dir', snaps, '--resume'], fake.collect);
    expect(fake.collected.map((k) => k.name)).toEqual(['app']);
  });
});

describe('index.md and summary.json replace only files leastpriv wrote', () => {
  it.each(['index.md', 'summary.json'])('a foreign %s: refused before any call, nothing written', async (file) => {
    const out = fresh();
    mkdirSync(out);
    writeFileSync(join(out, file), 'my notes\n');
    const fake = fakeCollector(current);
    const r = await runBatchCli(['recommend', '--all-roles', '--out', out], fake.collect);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`leastpriv: error: ${join(out, file)} exists and is not ${file === 'index.md' ? 'an index' : 'a summary'} leastpriv wrote: leastpriv replaces only what it wrote, so nothing was changed (move it away or choose another path)\n`);
    expect(fake.calls).toHaveLength(0);
    expect(readFileSync(join(out, file), 'utf8')).toBe('my notes\n');
  });

  it('its own from an earlier run: replaced', async () => {
    const out = fresh();
    await runBatchCli(['recommend', '--all-roles', '--out', out], fakeCollector(current).collect);
    const r = await runBatchCli(['recommend', '--all-roles', '--out', out], fakeCollector(current).collect);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain('error');
    expect(readFileSync(join(out, 'index.md'), 'utf8')).toContain('5 subjects');
  });
});
