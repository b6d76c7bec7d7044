/**
 * Account-wide runs through main(argv) against the emulator under what a real account adds: throttling, a run resumed
 * after a denial, member accounts reached through AssumeRole.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorFixture, type RunningEmulator } from '../../emulator/index.js';
import { demoArn } from '../collect/emulator-harness.js';
import { aws, allow, demoFixtureOnly, EVERY_KIND_FLAGS as EVERY, filesBelow, foldersOf, liveSuite, readSummary, treeOf } from './account-live-harness.js';

const { run, fresh, demo } = liveSuite('account-live-runs');

describe('throttling', () => {
  it('a token bucket of 10/s (burst 5) and 20% random Throttling: every subject recommended, the same bytes', async () => {
    const throttled = await startEmulator({ fixture: demoFixtureOnly(), faults: { jobCompletionMs: 60, tokenBucket: { ratePerSecond: 10, burst: 5 }, throttleRate: 0.2 } });
    try {
      const [calm, busy] = [fresh('calm'), fresh('busy')];
      expect((await run('recommend', ...EVERY, ...aws(demo()), '--quiet', '--out', calm)).code).toBe(0);
      const r = await run('recommend', ...EVERY, ...aws(throttled), '--quiet', '--out', busy);
      expect(r.code).toBe(0);
      expect(throttled.stats().throttled).toBeGreaterThan(10);
      expect(readSummary(busy).totals).toMatchObject({ subjects: 15, skipped: 1, failed: 0 });
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
    const snaps = fresh('snaps');
    const refusing = await startEmulator({ fixture, faults: { jobCompletionMs: 50 } });
    try {
      const first = await run('collect', '--all-roles', ...aws(refusing), '--quiet', '--snapshot-dir', snaps);
      expect(first.code).toBe(1);
      expect(first.stdout).toBe(`collected into ${snaps}: 7 subjects: 5 collected, 1 failed, 1 skipped\n`);
    } finally {
      await refusing.stop();
    }
    const roles = ['batch-worker', 'ci-deploy', 'data-pipeline', 'orders-lambda', 'reporting', 'web-frontend'];
    expect([...treeOf(snaps).keys()]).toEqual(roles.filter((n) => n !== 'reporting').map((n) => `role/${n}.json`));
    const willing = await startEmulator({ fixture: demoFixtureOnly(), faults: { jobCompletionMs: 50 } });
    try {
      const second = await run('collect', '--all-roles', '--resume', ...aws(willing), '--quiet', '--snapshot-dir', snaps);
      expect(second.code).toBe(0);
      // one report job: the denied role's; the five kept snapshots are not collected again
      expect(willing.stats().calls['GenerateServiceLastAccessedDetails']).toBe(1);
      expect([...treeOf(snaps).keys()]).toEqual(roles.map((n) => `role/${n}.json`));
      const [replayed, live] = [fresh('replayed'), fresh('live')];
      expect((await run('recommend', '--snapshot-dir', snaps, '--quiet', '--out', replayed)).code).toBe(0);
      expect((await run('recommend', '--all-roles', ...aws(willing), '--quiet', '--out', live)).code).toBe(0);
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
    const out = fresh('accounts');
    const r = await run('recommend', '--all-roles', '--accounts', `${MEMBER_A},${MEMBER_B}`, '--assume-role-name', 'Audit', ...aws(org), '--quiet', '--out', out);
    expect(r.code).toBe(1);
    expect(foldersOf(out, 3)).toEqual([`${MEMBER_A}/role/Audit`, `${MEMBER_A}/role/svc-0`, `${MEMBER_A}/role/svc-1`]);
    const stsLine = `cannot assume arn:aws:iam::${MEMBER_B}:role/Audit (AccessDenied): the role is missing in that account, its trust policy does not allow the caller (or asks for another --external-id), or the caller lacks sts:AssumeRole`;
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
    const without = fresh('no-external-id');
    const refused = await run('recommend', '--all-roles', '--accounts', MEMBER_C, '--assume-role-name', 'Audit', ...aws(org), '--quiet', '--out', without);
    expect(refused.code).toBe(1);
    expect(readSummary(without).accounts).toEqual([
      { account: MEMBER_C, status: 'failed', error: `cannot assume arn:aws:iam::${MEMBER_C}:role/Audit (AccessDenied): the role is missing in that account, its trust policy does not allow the caller (or asks for another --external-id), or the caller lacks sts:AssumeRole` },
    ]);
    expect(foldersOf(without, 3)).toEqual([]);
    const withId = fresh('external-id');
    const opened = await run('recommend', '--all-roles', '--accounts', MEMBER_C, '--assume-role-name', 'Audit', '--external-id', 'ext-7', ...aws(org), '--quiet', '--out', withId);
    expect(opened.code).toBe(0);
    expect(foldersOf(withId, 3)).toEqual([`${MEMBER_C}/role/Audit`, `${MEMBER_C}/role/svc-0`, `${MEMBER_C}/role/svc-1`]);
  }, 30_000);
});
