import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorFixture, type RunningEmulator } from '../../emulator/index.js';
import { OUTPUT_MARKER } from '../../src/output/ownership.js';
import { DEMO_FIXTURE_PATH, demoArn } from '../collect/emulator-harness.js';
import { aws, filesBelow, liveCli, treeOf, type LiveCli, type SummaryFile } from './account-live-harness.js';

let cli: LiveCli;
let demo: RunningEmulator;
beforeAll(async () => {
  cli = await liveCli('account-live');
  demo = await startEmulator({ fixture: demoFixtureOnly(), faults: { jobCompletionMs: 60 } });
});
afterAll(async () => {
  await demo.stop();
  cli.done();
});

/** the demo account as policies-examples has it (the collect harness's demoFixture() adds principals to it) */
const demoFixtureOnly = (): EmulatorFixture => JSON.parse(readFileSync(DEMO_FIXTURE_PATH, 'utf8')) as EmulatorFixture;
const EVERY = ['--all-roles', '--all-users', '--all-groups', '--all-policies'];
const readSummary = (out: string): SummaryFile => JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as SummaryFile;

describe('recommend --all-* on the demo account', () => {
  it('every folder is byte for byte the single run of its subject', async () => {
    const a = cli.fresh('all');
    const r = await cli.run('recommend', ...EVERY, ...aws(demo), '--quiet', '--out', a);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = readSummary(a);
    // every kind is there, and every subject was recommended (the demo account has nothing to skip)
    expect(new Set(summary.subjects.map((s) => s.kind))).toEqual(new Set(['role', 'user', 'group', 'policy']));
    expect(summary.subjects.filter((s) => s.status !== 'recommended')).toEqual([]);
    expect(summary.totals['subjects']).toBe(14);
    for (const s of summary.subjects) {
      const b = cli.fresh('one');
      const one = await cli.run('recommend', `--${s.kind}-arn`, s.arn, ...aws(demo), '--out', b);
      expect(one.code).toBe(0);
      const batch = filesBelow(a, s.folder?.slice(0, -1));
      expect(batch.has(OUTPUT_MARKER)).toBe(true);
      expect(batch, s.arn).toEqual(treeOf(join(b, s.name)));
    }
  }, 60_000);

  it('a second run writes the same index.md and summary.json; --detailed-exitcode says reductions with 2', async () => {
    const [a, b] = [cli.fresh('first'), cli.fresh('second')];
    expect((await cli.run('recommend', ...EVERY, ...aws(demo), '--quiet', '--out', a)).code).toBe(0);
    const again = await cli.run('recommend', ...EVERY, ...aws(demo), '--quiet', '--detailed-exitcode', '--out', b);
    expect(again.code).toBe(2);
    expect(again.stdout).toBe(`wrote ${join(b, 'index.md')}: 14 subjects: 12 with reductions, 2 unchanged, 0 failed, 0 skipped; 22,439 → 395 actions\n`);
    for (const file of ['index.md', 'summary.json']) expect(readFileSync(join(b, file), 'utf8')).toBe(readFileSync(join(a, file), 'utf8'));
    expect(treeOf(b)).toEqual(treeOf(a));
  }, 30_000);
});

const allow = (...actions: string[]) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] });

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

/** the folders below `out` (kind/name, or account/kind/name when `depth` is 3) */
function foldersOf(out: string, depth = 2): string[] {
  const paths = [...treeOf(out).keys()].filter((f) => f.split('/').length > depth);
  return [...new Set(paths.map((f) => f.split('/').slice(0, depth).join('/')))].sort();
}

describe('recommend --all-roles on 200 roles', () => {
  let many: RunningEmulator;
  beforeAll(async () => {
    many = await startEmulator({ fixture: manyRoles(), faults: { jobCompletionMs: 50 } });
  });
  afterAll(() => many.stop());

  it('writes all of them; the service-linked role is listed as skipped, never collected', async () => {
    const out = cli.fresh('many');
    const r = await cli.run('recommend', '--all-roles', ...aws(many), '--quiet', '--out', out);
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
    const globbed = cli.fresh('globbed');
    expect((await cli.run('recommend', '--all-roles', '--include', 'app-00*', '--exclude', 'app-001', ...aws(many), '--quiet', '--out', globbed)).code).toBe(0);
    expect(foldersOf(globbed)).toEqual(['000', '002', '003', '004', '005', '006', '007', '008', '009'].map((n) => `role/app-${n}`));
    expect(readSummary(globbed).subjects.map((s) => s.name).sort()).toEqual(foldersOf(globbed).map((f) => f.slice('role/'.length)));
    const prefixed = cli.fresh('prefixed');
    expect((await cli.run('recommend', '--all-roles', '--path-prefix', '/ops/', ...aws(many), '--quiet', '--out', prefixed)).code).toBe(0);
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
      const out = cli.fresh('failures');
      const r = await cli.run('recommend', '--all-roles', ...aws(emulator), '--quiet', '--out', out);
      expect(r.code).toBe(1);
      expect(firstJobFor).toBe(demoArn('role', 'fleet/batch-worker'));
      expect(foldersOf(out)).toEqual(['role/batch-worker', 'role/ci-deploy', 'role/orders-lambda']);
      const errors = new Map(readSummary(out).subjects.filter((s) => s.status === 'failed').map((s) => [s.arn, s.error ?? '']));
      expect([...errors.keys()].sort()).toEqual([failing, denied, deleted].sort());
      expect(errors.get(failing)).toMatch(new RegExp(`^the last-accessed report job [0-9a-f-]{36} for ${failing} FAILED: ServiceFailure: The report could not be generated because of an internal error\\.$`));
      expect(errors.get(denied)).toBe(`access denied: the caller lacks iam:GenerateServiceLastAccessedDetails (on ${denied}). See docs/required-permissions.json`);
      expect(errors.get(deleted)).toBe('role web-frontend was listed by GetAccountAuthorizationDetails and deleted before its report (NoSuchEntity)');
      // index.md: the same line in each failed row, after the recommended ones, and no link to a folder
      const rows = readFileSync(join(out, 'index.md'), 'utf8').split('\n').filter((l) => l.startsWith('| `'));
      expect(rows.slice(3)).toEqual(
        ['data-pipeline', 'reporting', 'web-frontend'].map((name) => {
          const arn = [...errors.keys()].find((a) => a.endsWith(`/${name}`)) as string;
          return `| \`role/${name}\` |  |  |  | failed: ${errors.get(arn)} |  |`;
        }),
      );
      for (const error of errors.values()) expect(error).not.toContain('\n');
    } finally {
      await emulator.stop();
    }
  }, 30_000);
});

describe('throttling', () => {
  it('a token bucket of 10/s (burst 5) and 20% random Throttling: every subject recommended, the same bytes', async () => {
    const throttled = await startEmulator({ fixture: demoFixtureOnly(), faults: { jobCompletionMs: 60, tokenBucket: { ratePerSecond: 10, burst: 5 }, throttleRate: 0.2 } });
    try {
      const [calm, busy] = [cli.fresh('calm'), cli.fresh('busy')];
      expect((await cli.run('recommend', ...EVERY, ...aws(demo), '--quiet', '--out', calm)).code).toBe(0);
      const r = await cli.run('recommend', ...EVERY, ...aws(throttled), '--quiet', '--out', busy);
      expect(r.code).toBe(0);
      expect(throttled.stats().throttled).toBeGreaterThan(10);
      expect(readSummary(busy).totals).toMatchObject({ subjects: 14, failed: 0 });
      expect(treeOf(busy)).toEqual(treeOf(calm));
    } finally {
      await throttled.stop();
    }
  }, 30_000);
});

describe('collect --all-roles --resume', () => {
  it('collects only what failed before; the replay equals the live run folder by folder', async () => {
    const denied = demoArn('role', 'reporting');
    const fixture = demoFixtureOnly();
    fixture.callers = [{ accessKeyId: 'AKIDDEMO', arn: demoArn('user', 'leastpriv-auditor'), deniedOn: [{ action: 'iam:GenerateServiceLastAccessedDetails', resource: denied }] }];
    const snaps = cli.fresh('snaps');
    const refusing = await startEmulator({ fixture, faults: { jobCompletionMs: 50 } });
    try {
      const first = await cli.run('collect', '--all-roles', ...aws(refusing), '--quiet', '--snapshot-dir', snaps);
      expect(first.code).toBe(1);
      expect(first.stdout).toBe(`collected into ${snaps}: 6 subjects: 5 collected, 1 failed, 0 skipped\n`);
    } finally {
      await refusing.stop();
    }
    const roles = ['batch-worker', 'ci-deploy', 'data-pipeline', 'orders-lambda', 'reporting', 'web-frontend'];
    expect([...treeOf(snaps).keys()]).toEqual(roles.filter((n) => n !== 'reporting').map((n) => `role/${n}.json`));
    const willing = await startEmulator({ fixture: demoFixtureOnly(), faults: { jobCompletionMs: 50 } });
    try {
      const second = await cli.run('collect', '--all-roles', '--resume', ...aws(willing), '--quiet', '--snapshot-dir', snaps);
      expect(second.code).toBe(0);
      // one report job: the denied role's; the five kept snapshots are not collected again
      expect(willing.stats().calls['GenerateServiceLastAccessedDetails']).toBe(1);
      expect([...treeOf(snaps).keys()]).toEqual(roles.map((n) => `role/${n}.json`));
      const [replayed, live] = [cli.fresh('replayed'), cli.fresh('live')];
      expect((await cli.run('recommend', '--snapshot-dir', snaps, '--quiet', '--out', replayed)).code).toBe(0);
      expect((await cli.run('recommend', '--all-roles', ...aws(willing), '--quiet', '--out', live)).code).toBe(0);
      const folders = foldersOf(live);
      expect(folders).toHaveLength(6);
      expect(foldersOf(replayed)).toEqual(folders);
      for (const folder of folders) expect(filesBelow(replayed, folder), folder).toEqual(filesBelow(live, folder));
    } finally {
      await willing.stop();
    }
  }, 30_000);
});

const HOME = '123456789012';
const [MEMBER_A, MEMBER_B, MEMBER_C] = ['222233334444', '555566667777', '888899990000'];

/** a role Audit trusting the home account (with an external id when given) */
const auditRole = (externalId?: string) => ({
  name: 'Audit',
  inlinePolicies: [{ name: 'read', document: allow('iam:Get*', 'iam:List*', 'iam:GenerateServiceLastAccessedDetails') }],
  assumeRolePolicyDocument: {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${HOME}:root` },
        Action: 'sts:AssumeRole',
        ...(externalId === undefined ? {} : { Condition: { StringEquals: { 'sts:ExternalId': externalId } } }),
      },
    ],
  },
});

/** three members with two svc roles each: A and C have the audit role (C asks for an external id), B has none */
function organization(): EmulatorFixture {
  const svc = { count: 2, name: 'svc-{i}', inlinePolicies: [{ name: 'work', document: allow('s3:CreateBucket', 'ec2:DescribeInstances') }], usage: [{ service: 's3', action: 'CreateBucket', time: '2026-10-20T08:00:00Z' }] };
  return {
    accountId: HOME,
    now: '2026-11-01T12:00:00Z',
    memberAccounts: [
      { accountId: MEMBER_A, roles: [auditRole()], generate: { roles: [svc] } },
      { accountId: MEMBER_B, generate: { roles: [svc] } },
      { accountId: MEMBER_C, roles: [auditRole('ext-7')], generate: { roles: [svc] } },
    ],
  };
}

describe('recommend --all-roles --accounts through AssumeRole', () => {
  let org: RunningEmulator;
  beforeAll(async () => {
    org = await startEmulator({ fixture: organization(), faults: { jobCompletionMs: 50 } });
  });
  afterAll(() => org.stop());

  it('writes the reachable account under its id; the one without the role is a failed account with the STS line', async () => {
    const out = cli.fresh('accounts');
    const r = await cli.run('recommend', '--all-roles', '--accounts', `${MEMBER_A},${MEMBER_B}`, '--assume-role-name', 'Audit', ...aws(org), '--quiet', '--out', out);
    expect(r.code).toBe(1);
    expect(foldersOf(out, 3)).toEqual([`${MEMBER_A}/role/Audit`, `${MEMBER_A}/role/svc-0`, `${MEMBER_A}/role/svc-1`]);
    const stsLine = `access denied: the caller lacks sts:AssumeRole (on arn:aws:iam::${MEMBER_B}:role/Audit). See docs/required-permissions.json`;
    const summary = readSummary(out);
    expect(summary.accounts).toEqual([
      { account: MEMBER_A, status: 'completed' },
      { account: MEMBER_B, status: 'failed', error: stsLine },
    ]);
    expect(summary.subjects.every((s) => s.account === MEMBER_A && s.status === 'recommended')).toBe(true);
    expect(summary.totals).toMatchObject({ subjects: 3, accountsFailed: 1 });
    expect(r.stdout).toMatch(/; 1 account failed\n$/);
    const index = readFileSync(join(out, 'index.md'), 'utf8');
    expect(index).toContain(`## Accounts\n\n- \`${MEMBER_A}\`: completed\n- \`${MEMBER_B}\`: failed: ${stsLine}\n`);
    // the home account's own roles are not part of an --accounts run
    expect(org.stats().calls['GetAccountAuthorizationDetails']).toBe(1);
  }, 30_000);

  it('--external-id opens the role whose trust asks for it; without it the account fails', async () => {
    const without = cli.fresh('no-external-id');
    const refused = await cli.run('recommend', '--all-roles', '--accounts', MEMBER_C, '--assume-role-name', 'Audit', ...aws(org), '--quiet', '--out', without);
    expect(refused.code).toBe(1);
    expect(readSummary(without).accounts).toEqual([
      { account: MEMBER_C, status: 'failed', error: `access denied: the caller lacks sts:AssumeRole (on arn:aws:iam::${MEMBER_C}:role/Audit). See docs/required-permissions.json` },
    ]);
    expect(foldersOf(without, 3)).toEqual([]);
    const withId = cli.fresh('external-id');
    const opened = await cli.run('recommend', '--all-roles', '--accounts', MEMBER_C, '--assume-role-name', 'Audit', '--external-id', 'ext-7', ...aws(org), '--quiet', '--out', withId);
    expect(opened.code).toBe(0);
    expect(foldersOf(withId, 3)).toEqual([`${MEMBER_C}/role/Audit`, `${MEMBER_C}/role/svc-0`, `${MEMBER_C}/role/svc-1`]);
  }, 30_000);
});
