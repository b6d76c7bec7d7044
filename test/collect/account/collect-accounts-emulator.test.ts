import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../emulator/index.js';
import type { SubjectKey } from '../../../src/collect/account/types.js';
import type { SubjectSelector } from '../../../src/collect/subject-ref.js';
import type { Snapshot } from '../../../src/snapshot/types.js';
import { collectFrom, DEMO_ACCOUNT } from '../emulator-harness.js';
import { accountFixture, demoArn, keyName, runAgainst, withoutJobId } from './account-harness.js';

/** the job's dates are the fixture clock plus this: every emulator of the file uses it, so their reports agree */
const JOB_MS = 40;

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
    // the SDK's adaptive mode crawls at this rate (one request a second): standard mode until the run's governor lands
    ['30% of calls throttled', { throttleRate: 0.3, retryMode: 'standard' as const }],
  ])('with %s, every subject equals its single collection (the report job id aside)', async (_case, setup) => {
    const running = await start(setup);
    const run = await runAgainst(running, setup.retryMode ? { retryMode: setup.retryMode } : {});
    const planned = run.events.filter((e) => e.kind === 'planned');
    expect(planned).toHaveLength(1);
    const plan = planned[0]!;
    if (plan.kind !== 'planned') throw new Error('unreachable');
    expect(plan.subjects.map((k) => `${k.kind}/${k.name}`)).toEqual(EXPECTED_SUBJECTS);
    // the boundary-only and the unattached customer-managed policies are no subjects; the service-linked role is skipped
    expect(plan.skipped).toEqual([
      {
        key: { account: DEMO_ACCOUNT, kind: 'role', name: 'AWSServiceRoleForSupport', arn: demoArn('role', 'aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport') },
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
