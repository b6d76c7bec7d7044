import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../emulator/index.js';
import type { AccountSelection, SubjectKey } from '../../../src/collect/account/types.js';
import type { SubjectSelector } from '../../../src/collect/subject-ref.js';
import type { Snapshot } from '../../../src/snapshot/types.js';
import { callCounter, collectFrom, DEMO_ACCOUNT } from '../emulator-harness.js';
import { accountFixture, demoArn, keyName, runAgainst, withoutJobId } from './account-harness.js';

/** the job's dates are the fixture clock plus this: every emulator of the file uses it, so their reports agree */
const JOB_MS = 40;

const NOTHING: AccountSelection = { roles: false, users: false, groups: false, policies: false };

let emulator: RunningEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

const start = async (options: { pageSize?: Record<string, number>; throttleRate?: number } = {}): Promise<RunningEmulator> => {
  emulator = await startEmulator({
    fixture: accountFixture(),
    ...(options.pageSize ? { pageSize: options.pageSize } : {}),
    faults: { jobCompletionMs: JOB_MS, ...(options.throttleRate !== undefined ? { throttleRate: options.throttleRate } : {}) },
  });
  return emulator;
};

const selectorOf = (key: SubjectKey): SubjectSelector =>
  key.kind === 'policy' ? { type: 'managed-policy', arn: key.arn } : { type: key.kind, name: key.name };

/** every subject the demo account has for an account-wide run, in plan order */
const EXPECTED_SUBJECTS = [
  'role/batch-worker',
  'role/ci-deploy',
  'role/data-pipeline',
  'role/orders-lambda',
  'role/reporting',
  'role/web-frontend',
  'role/wide',
  'user/dana',
  'user/erin',
  'user/wide-user',
  'group/analysts',
  'group/oncall',
  'group/ops',
  'policy/data-pipeline-access',
  'policy/fleet-operations',
  'policy/reporting-exports',
  'policy/shared-reporting-read',
];

/**
 * collectSnapshot of each subject, once, from an emulator of the same fixture without faults: its dates come from the
 * fixture, so only the job ids differ from another emulator's
 */
let references: Map<string, Snapshot> | undefined;
async function singleCollections(keys: readonly SubjectKey[]): Promise<Map<string, Snapshot>> {
  if (references !== undefined) return references;
  const clean = await startEmulator({ fixture: accountFixture(), faults: { jobCompletionMs: JOB_MS } });
  try {
    const out = new Map<string, Snapshot>();
    for (const key of keys) out.set(keyName(key), await collectFrom(clean, selectorOf(key)));
    references = out;
    return out;
  } finally {
    await clean.stop();
  }
}

describe('collectAccounts against the emulator: the same snapshots as collectSnapshot, one listing per account', () => {
  it.each([
    ['one-item GetAccountAuthorizationDetails pages', { pageSize: { GetAccountAuthorizationDetails: 1 } }],
    ['30% of calls throttled', { throttleRate: 0.3 }],
  ])('with %s, every subject equals its single collection (the report job id aside)', async (_case, setup) => {
    const running = await start(setup);
    let throttledRetries = 0;
    const run = await runAgainst(running, { onThrottledRetry: () => throttledRetries++ });
    // the connection options reach the account's clients: their throttled retries are counted
    expect(throttledRetries > 0).toBe('throttleRate' in setup);
    const planned = run.events.filter((e) => e.kind === 'planned');
    expect(planned).toHaveLength(1);
    const plan = planned[0]!;
    if (plan.kind !== 'planned') throw new Error('unreachable');
    expect(plan.subjects.map((k) => `${k.kind}/${k.name}`)).toEqual(EXPECTED_SUBJECTS);
    // the boundary-only and the unattached customer-managed policies are no subjects; the service-linked role is skipped
    expect(plan.skipped).toEqual([
      {
        key: { account: DEMO_ACCOUNT, kind: 'role', name: 'AWSServiceRoleForECS', arn: demoArn('role', 'aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS') },
        reason: 'service-linked-role',
      },
    ]);
    expect(run.failed).toEqual(new Map());
    expect([...run.collected.keys()].sort()).toEqual(EXPECTED_SUBJECTS.map((s) => `${DEMO_ACCOUNT}/${s}`).sort());
    const reference = await singleCollections(plan.subjects);
    for (const key of plan.subjects) {
      const single = reference.get(keyName(key))!;
      const fromAccount = run.collected.get(keyName(key));
      expect(withoutJobId(fromAccount!), keyName(key)).toEqual(withoutJobId(single));
      // byte for byte as written: the same key order too
      expect(JSON.stringify(withoutJobId(fromAccount!)), keyName(key)).toBe(JSON.stringify(withoutJobId(single)));
    }
  }, 120_000);
});

describe('collectAccounts: selection, scale and failures of one subject', () => {
  const planOf = async (running: RunningEmulator, selection: Partial<AccountSelection>) => {
    const run = await runAgainst(running, { selection: { ...NOTHING, ...selection }, skip: () => true });
    expect(run.events.map((e) => e.kind)).toEqual(['planned']);
    const [plan] = run.events;
    if (plan?.kind !== 'planned') throw new Error('expected a plan');
    return { subjects: plan.subjects.map((k) => `${k.kind}/${k.name}`), skipped: plan.skipped.map((s) => `${s.key.kind}/${s.key.name}`) };
  };

  it('takes the path prefix, include and exclude globs (case-insensitive, THE glob matcher) for every kind', async () => {
    const running = await start();
    expect(await planOf(running, { roles: true, pathPrefix: '/fleet/' })).toEqual({ subjects: ['role/batch-worker', 'role/web-frontend'], skipped: [] });
    expect(await planOf(running, { roles: true, users: true, include: ['W*', 'd?na'] })).toEqual({
      subjects: ['role/web-frontend', 'role/wide', 'user/dana', 'user/wide-user'],
      skipped: [],
    });
    expect(await planOf(running, { groups: true, policies: true, exclude: ['*o*'] })).toEqual({
      subjects: ['group/analysts', 'policy/data-pipeline-access'],
      skipped: [],
    });
    // a service-linked role is listed as skipped only when the filters take it
    expect((await planOf(running, { roles: true })).skipped).toEqual(['role/AWSServiceRoleForECS']);
    expect((await planOf(running, { roles: true, exclude: ['AWSService*'] })).skipped).toEqual([]);
  });

  it('collects 200 roles from a template with at most 4 API calls per role, the listing included', async () => {
    const fixture = accountFixture();
    fixture.generate = {
      roles: [
        {
          count: 200,
          name: 'app-{i}',
          pad: 3,
          inlinePolicies: [{ name: 'own', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] } }],
          attachedPolicies: [demoArn('policy', 'shared-reporting-read'), 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
        },
      ],
    };
    emulator = await startEmulator({ fixture, faults: { jobCompletionMs: 60 } });
    const counts = new Map<string, number>();
    const run = await runAgainst(emulator, { selection: { ...NOTHING, roles: true, include: ['app-*'] }, onApiCall: callCounter(counts) });
    expect(run.failed).toEqual(new Map());
    expect(run.collected.size).toBe(200);
    const calls = [...counts.values()].reduce((a, b) => a + b, 0);
    expect(calls / 200).toBeLessThanOrEqual(4);
    // one listing; no per-principal read at all
    expect(counts.get('iam:GetAccountAuthorizationDetails')).toBe(1);
    expect(counts.get('iam:GenerateServiceLastAccessedDetails')).toBe(200);
    expect([...counts.keys()].filter((a) => /Get(Role|RolePolicy|Policy|PolicyVersion)$|^iam:List/.test(a))).toEqual([]);
  }, 60_000);

  it('a FAILED job fails its subject only, with the single collector line', async () => {
    const fixture = accountFixture();
    emulator = await startEmulator({ fixture, faults: { jobCompletionMs: JOB_MS, failJobs: [demoArn('role', 'fleet/web-frontend')] } });
    const run = await runAgainst(emulator, { selection: { ...NOTHING, roles: true } });
    expect([...run.failed.keys()]).toEqual([`${DEMO_ACCOUNT}/role/web-frontend`]);
    expect(run.failed.get(`${DEMO_ACCOUNT}/role/web-frontend`)).toMatch(
      /^the last-accessed report job \S+ for arn:aws:iam::111122223333:role\/fleet\/web-frontend FAILED: /,
    );
    expect(run.collected.size).toBe(6);
  });

  it('aborted mid-run: starts nothing new, resolves once everything settled, and no event comes after', async () => {
    const running = await start();
    const controller = new AbortController();
    let after = 0;
    let resolved = false;
    const run = await runAgainst(running, {
      concurrency: 2,
      signal: controller.signal,
      onEvent: (e) => {
        if (resolved) after++;
        if (e.kind === 'collected') controller.abort();
      },
    });
    resolved = true;
    const generated = running.stats().calls['GenerateServiceLastAccessedDetails'] ?? 0;
    await new Promise((r) => setTimeout(r, 300));
    expect(after).toBe(0);
    // the first job ended; its sibling was abandoned (or had just ended too: a finished one is still handed over); no
    // third one started, and an abandoned one is no failure
    expect(run.events.filter((e) => e.kind === 'collected').length).toBeGreaterThanOrEqual(1);
    expect(run.events.filter((e) => e.kind === 'collected').length).toBeLessThanOrEqual(2);
    expect(run.events.filter((e) => e.kind === 'failed')).toHaveLength(0);
    expect(generated).toBe(2);
    expect(running.stats().calls['GenerateServiceLastAccessedDetails']).toBe(2);
  });
});
