/**
 * Account-wide `recommend --all-*` through main(argv) against the emulator: each folder is what the single run of its
 * subject writes, runs are deterministic, 200 roles with a service-linked one, the name and path filters, one
 * subject's failure kept to itself.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorFixture, type RunningEmulator } from '../../emulator/index.js';
import { OUTPUT_MARKER } from '../../src/output/ownership.js';
import { demoArn } from '../collect/emulator-harness.js';
import { aws, allow, demoFixtureOnly, EVERY_KIND_FLAGS as EVERY, filesBelow, foldersOf, liveSuite, readSummary, treeOf } from './account-live-harness.js';

const { run, fresh, demo } = liveSuite('account-live');

describe('recommend --all-* on the demo account', () => {
  it('every folder is byte for byte the single run of its subject', async () => {
    const a = fresh('all');
    const r = await run('recommend', ...EVERY, ...aws(demo()), '--quiet', '--out', a);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = readSummary(a);
    // every kind is there, and every subject was recommended but the service-linked role, which is listed as skipped
    expect(new Set(summary.subjects.map((s) => s.kind))).toEqual(new Set(['role', 'user', 'group', 'policy']));
    expect(summary.subjects.filter((s) => s.status !== 'recommended').map((s) => [s.name, s.status])).toEqual([['AWSServiceRoleForECS', 'skipped']]);
    expect(summary.totals['subjects']).toBe(15);
    for (const s of summary.subjects.filter((x) => x.status === 'recommended')) {
      const b = fresh('one');
      const one = await run('recommend', `--${s.kind}-arn`, s.arn, ...aws(demo()), '--out', b);
      expect(one.code).toBe(0);
      const batch = filesBelow(a, s.folder?.slice(0, -1));
      expect(batch.has(OUTPUT_MARKER)).toBe(true);
      expect(batch, s.arn).toEqual(treeOf(join(b, s.name)));
    }
  }, 60_000);

  it('a second run writes the same index.md and summary.json; --detailed-exitcode says reductions with 2', async () => {
    const [a, b] = [fresh('first'), fresh('second')];
    expect((await run('recommend', ...EVERY, ...aws(demo()), '--quiet', '--out', a)).code).toBe(0);
    const again = await run('recommend', ...EVERY, ...aws(demo()), '--quiet', '--detailed-exitcode', '--out', b);
    expect(again.code).toBe(2);
    expect(again.stdout).toBe(`wrote ${join(b, 'index.md')}: 15 subjects: 12 with reductions, 2 unchanged, 0 failed, 1 skipped; 22,439 → 395 actions\n`);
    for (const file of ['index.md', 'summary.json']) expect(readFileSync(join(b, file), 'utf8')).toBe(readFileSync(join(a, file), 'utf8'));
    expect(treeOf(b)).toEqual(treeOf(a));
  }, 30_000);
});

/** 200 app roles and two ops roles, each allowed s3, ec2 and sqs and having used s3:CreateBucket only; a service-linked role */
function manyRoles(): EmulatorFixture {
  const role = { inlinePolicies: [{ name: 'work', document: allow('s3:CreateBucket', 's3:DeleteBucket', 'ec2:DescribeInstances', 'sqs:ListQueues') }] };
  return {
    accountId: '444455556666',
    now: '2026-11-01T12:00:00Z',
    roles: [
      { name: 'AWSServiceRoleForSupport', path: '/aws-service-role/support.amazonaws.com/' },
      { name: 'ops-a', path: '/ops/', ...role },
      { name: 'ops-b', path: '/ops/', ...role },
    ],
    usage: Object.fromEntries(['ops-a', 'ops-b'].map((n) => [`arn:aws:iam::444455556666:role/ops/${n}`, [{ service: 's3', action: 'CreateBucket', time: '2026-10-20T08:00:00Z' }]])),
    generate: {
      roles: [{ count: 200, name: 'app-{i}', pad: 3, path: '/apps/', ...role, usage: [{ service: 's3', action: 'CreateBucket', time: '2026-10-20T08:00:00Z' }] }],
    },
  };
}

describe('recommend --all-roles on 200 roles', () => {
  let many: RunningEmulator;
  beforeAll(async () => {
    many = await startEmulator({ fixture: manyRoles(), faults: { jobCompletionMs: 50 } });
  });
  afterAll(() => many.stop());

  it('writes all of them; the service-linked role is listed as skipped, never collected', async () => {
    const out = fresh('many');
    const r = await run('recommend', '--all-roles', ...aws(many), '--quiet', '--out', out);
    expect(r.code).toBe(0);
    const apps = Array.from({ length: 200 }, (_, i) => `role/app-${String(i).padStart(3, '0')}`);
    expect(foldersOf(out)).toEqual([...apps, 'role/ops-a', 'role/ops-b']);
    const summary = readSummary(out);
    expect(summary.totals).toMatchObject({ subjects: 203, reduced: 202, skipped: 1, failed: 0 });
    expect(summary.subjects.filter((s) => s.status === 'skipped')).toEqual([
      { account: '444455556666', kind: 'role', name: 'AWSServiceRoleForSupport', arn: 'arn:aws:iam::444455556666:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport', status: 'skipped', reason: 'service-linked-role' },
    ]);
    const index = readFileSync(join(out, 'index.md'), 'utf8');
    expect(index).toMatch(/^\| `role\/AWSServiceRoleForSupport` \|.*skipped: a service-linked role/m);
    // one report job per collected role, none for the skipped one
    expect(many.stats().calls['GenerateServiceLastAccessedDetails']).toBe(202);
  }, 30_000);

  it('--include, --exclude and --path-prefix take only the matching roles', async () => {
    const globbed = fresh('globbed');
    expect((await run('recommend', '--all-roles', '--include', 'app-00*', '--exclude', 'app-001', ...aws(many), '--quiet', '--out', globbed)).code).toBe(0);
    expect(foldersOf(globbed)).toEqual(['000', '002', '003', '004', '005', '006', '007', '008', '009'].map((n) => `role/app-${n}`));
    expect(readSummary(globbed).subjects.map((s) => s.name).sort()).toEqual(foldersOf(globbed).map((f) => f.slice('role/'.length)));
    const prefixed = fresh('prefixed');
    expect((await run('recommend', '--all-roles', '--path-prefix', '/ops/', ...aws(many), '--quiet', '--out', prefixed)).code).toBe(0);
    expect(foldersOf(prefixed)).toEqual(['role/ops-a', 'role/ops-b']);
    expect(readSummary(prefixed).subjects.map((s) => s.name)).toEqual(['ops-a', 'ops-b']);
  }, 30_000);
});

describe('one subject failing does not stop the others', () => {
  it('deleted after listing, AccessDenied on its report, a FAILED job: exit 1, one line each, the rest written', async () => {
    const fixture = demoFixtureOnly();
    const denied = demoArn('role', 'reporting');
    const failing = demoArn('role', 'pipelines/data-pipeline');
    const deleted = demoArn('role', 'fleet/web-frontend');
    fixture.callers = [{ accessKeyId: 'AKIDDEMO', arn: demoArn('user', 'leastpriv-auditor'), deniedOn: [{ action: 'iam:GenerateServiceLastAccessedDetails', resource: denied }] }];
    let firstJobFor: string | undefined;
    const emulator: RunningEmulator = await startEmulator({
      fixture,
      faults: { jobCompletionMs: 50, failJobs: [failing] },
      // the first report job of the run: by then every role is listed, so the deleted one is gone between the two
      onRequest: ({ operation, params }) => {
        if (operation !== 'GenerateServiceLastAccessedDetails' || firstJobFor !== undefined) return;
        firstJobFor = params instanceof URLSearchParams ? (params.get('Arn') ?? '') : '';
        emulator.deleteEntity(deleted);
      },
    });
    try {
      const out = fresh('failures');
      const r = await run('recommend', '--all-roles', ...aws(emulator), '--quiet', '--out', out);
      expect(r.code).toBe(1);
      expect(firstJobFor).toBe(demoArn('role', 'fleet/batch-worker'));
      expect(foldersOf(out)).toEqual(['role/batch-worker', 'role/ci-deploy', 'role/orders-lambda']);
      const errors = new Map(readSummary(out).subjects.filter((s) => s.status === 'failed').map((s) => [s.arn, s.error ?? '']));
      expect([...errors.keys()].sort()).toEqual([failing, denied, deleted].sort());
      expect(errors.get(failing)).toMatch(new RegExp(`^the last-accessed report job [0-9a-f-]{36} for ${failing} FAILED: ServiceFailure: The report could not be generated because of an internal error\\.$`));
      expect(errors.get(denied)).toBe(`access denied: the caller lacks iam:GenerateServiceLastAccessedDetails (on ${denied}). See docs/required-permissions.json`);
      expect(errors.get(deleted)).toBe('role web-frontend was listed by GetAccountAuthorizationDetails and deleted before its report (NoSuchEntity)');
      // index.md: the same line in each failed row, after the recommended ones, and no link to a folder; the skipped
      // service-linked role last
      const rows = readFileSync(join(out, 'index.md'), 'utf8').split('\n').filter((l) => l.startsWith('| `'));
      expect(rows.slice(3)).toEqual([
        ...['data-pipeline', 'reporting', 'web-frontend'].map((name) => {
          const arn = [...errors.keys()].find((a) => a.endsWith(`/${name}`)) as string;
          return `| \`role/${name}\` |  |  |  | failed: ${errors.get(arn)} |  |`;
        }),
        '| `role/AWSServiceRoleForECS` |  |  |  | skipped: a service-linked role: IAM refuses edits to its policies |  |',
      ]);
      for (const error of errors.values()) expect(error).not.toContain('\n');
    } finally {
      await emulator.stop();
    }
  }, 30_000);
});
