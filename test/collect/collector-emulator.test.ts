import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../emulator/index.js';
import { validateSnapshot } from '../../src/snapshot/validate.js';
import { COLLECTOR_ACTIONS } from '../../src/collect/actions.js';
import type { Snapshot, SnapshotPolicy } from '../../src/snapshot/types.js';
import { callCounter, collectFrom, DEMO_ACCOUNT, demoArn, demoFixture, failureOf, snapshotContent, startDemo, serviceReport } from './emulator-harness.js';
import { principalSubject } from '../support/subject.js';

const PIPELINE = { type: 'role', arn: demoArn('role', 'pipelines/data-pipeline') } as const;
const DANA = { type: 'user', arn: demoArn('user', 'dana') } as const;
const ANALYSTS = { type: 'group', arn: demoArn('group', 'analysts') } as const;
const LAMBDA = { type: 'role', name: 'orders-lambda' } as const;
const WIDE = { type: 'role', name: 'wide' } as const;
const WIDE_USER = { type: 'user', name: 'wide-user' } as const;
const OPS = { type: 'group', name: 'ops' } as const;
const PRINCIPALS = [PIPELINE, DANA, ANALYSTS, LAMBDA, WIDE, WIDE_USER, OPS];
/** every paginated operation the collector calls */
const LISTS = [
  'iam:ListRolePolicies',
  'iam:ListAttachedRolePolicies',
  'iam:ListUserPolicies',
  'iam:ListAttachedUserPolicies',
  'iam:ListGroupsForUser',
  'iam:ListGroupPolicies',
  'iam:ListAttachedGroupPolicies',
  'iam:GetServiceLastAccessedDetails',
  'iam:GetServiceLastAccessedDetailsWithEntities',
] as const;

const fixture = demoFixture();
const documentOf = (name: string) => fixture.policies?.find((p) => p.name === name || p.arn?.endsWith(`/${name}`));
const summary = (p: SnapshotPolicy) => `${p.Kind}:${p.PolicyName}:${p.Source.Type === 'group' ? p.Source.GroupName : 'own'}`;

let plain: RunningEmulator;
/** the reference: every principal collected from a fault-free emulator with its default page sizes */
const reference = new Map<string, Snapshot>();
const referenceCalls = new Map<string, number>();

beforeAll(async () => {
  // a job that is complete by the first poll, so call counts differ only by pages
  plain = await startDemo({ faults: { jobCompletionMs: 0 } });
  for (const p of PRINCIPALS) {
    reference.set(p.type + ('arn' in p ? p.arn : p.name), await collectFrom(plain, p, { onApiCall: callCounter(referenceCalls) }));
  }
});
afterAll(() => plain.stop());
const ref = (p: (typeof PRINCIPALS)[number]): Snapshot => reference.get(p.type + ('arn' in p ? p.arn : p.name)) as Snapshot;

describe('collector against the emulator, through the real SDK', () => {
  it('produces snapshots that validate against schemas/snapshot.schema.json', () => {
    for (const p of PRINCIPALS) expect(() => validateSnapshot(JSON.parse(JSON.stringify(ref(p))))).not.toThrow();
  });

  it('decodes the URL-encoded documents IAM returns into the objects the account holds', () => {
    const pipeline = ref(PIPELINE);
    const v2 = documentOf('data-pipeline-access')?.versions?.find((v) => v.versionId === 'v2');
    expect(principalSubject(pipeline).policies).toEqual([
      expect.objectContaining({ Kind: 'managed', PolicyName: 'data-pipeline-access', DefaultVersionId: 'v2', PolicyDocument: v2?.document }),
    ]);
    const lambda = ref(LAMBDA);
    expect(principalSubject(lambda).policies.map((p) => p.PolicyDocument)).toEqual([
      fixture.roles?.find((r) => r.name === 'orders-lambda')?.inlinePolicies?.[0]?.document,
      documentOf('AWSLambdaBasicExecutionRole')?.document,
    ]);
  });

  it('reads the permissions boundary apart from the grants', () => {
    const pipeline = ref(PIPELINE);
    expect(principalSubject(pipeline).principal.PermissionsBoundaryArn).toBe(demoArn('policy', 'boundaries/pipeline-boundary'));
    expect(principalSubject(pipeline).permissionsBoundary).toEqual({
      PolicyArn: demoArn('policy', 'boundaries/pipeline-boundary'),
      PolicyName: 'pipeline-boundary',
      DefaultVersionId: 'v1',
      PolicyDocument: documentOf('pipeline-boundary')?.document,
    });
  });

  it('reads when the default version was created and how many principals use the policy as their boundary', () => {
    const v2 = documentOf('data-pipeline-access')?.versions?.find((v) => v.versionId === 'v2');
    expect(principalSubject(ref(PIPELINE)).policies[0]).toMatchObject({
      DefaultVersionId: 'v2',
      DefaultVersionCreateDate: new Date(v2?.createDate ?? 'missing').toISOString(),
      PermissionsBoundaryUsageCount: 0,
    });
    // the shorthand `document` policy: its one version dates from the policy's createDate
    const shared = principalSubject(ref(WIDE)).policies.find((p) => p.PolicyName === 'shared-reporting-read');
    expect(shared).toMatchObject({
      DefaultVersionId: 'v1',
      DefaultVersionCreateDate: new Date(documentOf('shared-reporting-read')?.createDate ?? 'missing').toISOString(),
      PermissionsBoundaryUsageCount: 1,
    });
    // AWS-managed policies carry them too (the analysis ignores the date for them: docs/recommend.md)
    expect(principalSubject(ref(LAMBDA)).policies[1]).toMatchObject({ ManagedBy: 'aws', PermissionsBoundaryUsageCount: 0, DefaultVersionCreateDate: expect.any(String) });
  });

  it("reads a user's own policies and those of its groups, each with its Source", () => {
    const dana = ref(DANA);
    expect(principalSubject(dana).policies.map(summary)).toEqual([
      'inline:own-access-keys:own',
      'inline:athena-adhoc:analysts',
      'managed:shared-reporting-read:analysts',
    ]);
    // attached to role reporting, group analysts, and the test's role wide and user wide-user
    expect(principalSubject(dana).policies[2]).toMatchObject({ AttachmentCount: 4, ManagedBy: 'customer' });
    expect(principalSubject(dana).policies[1]?.Source).toEqual({ Type: 'group', GroupName: 'analysts', GroupArn: demoArn('group', 'analysts') });
  });

  it('names the members behind each used service of a group report', () => {
    const analysts = { report: serviceReport(ref(ANALYSTS)) };
    const used = analysts.report.ServicesLastAccessed.filter((s) => s.LastAuthenticated !== undefined);
    expect(used.length).toBeGreaterThan(0);
    expect(Object.keys(analysts.report.EntityDetails ?? {})).toEqual(used.map((s) => s.ServiceNamespace));
    const athena = analysts.report.EntityDetails?.['athena'] ?? [];
    expect(athena.map((e) => e.EntityInfo.Arn).sort()).toEqual([demoArn('user', 'dana'), demoArn('user', 'wide-user')]);
    expect(athena.filter((e) => e.LastAuthenticated !== undefined).map((e) => e.EntityInfo.Name)).toEqual(['dana']);
  });

  it('gives the same snapshots with page size 1 on every list and report, following every page', async () => {
    const paged = await startDemo({ pageSize: 1, faults: { jobCompletionMs: 0 } });
    const pagedCalls = new Map<string, number>();
    try {
      for (const p of PRINCIPALS) {
        expect(snapshotContent(await collectFrom(paged, p, { onApiCall: callCounter(pagedCalls) }))).toEqual(snapshotContent(ref(p)));
      }
      // what reached the wire, as the server saw it: only the documented read-only actions
      const served = Object.keys(paged.stats().calls).map((op) => (op === 'GetCallerIdentity' ? `sts:${op}` : `iam:${op}`));
      expect(served.filter((a) => !(COLLECTOR_ACTIONS as readonly string[]).includes(a))).toEqual([]);
    } finally {
      await paged.stop();
    }
    // each list needed more calls one item at a time than with the default page size: its pages were followed
    for (const action of LISTS) expect(pagedCalls.get(action) ?? 0, action).toBeGreaterThan(referenceCalls.get(action) ?? 0);
    expect(principalSubject(ref(WIDE_USER)).policies.map(summary)).toEqual([
      'inline:inline-1:own',
      'inline:inline-2:own',
      'managed:AWSLambdaBasicExecutionRole:own',
      'managed:shared-reporting-read:own',
      'inline:athena-adhoc:analysts',
      'managed:shared-reporting-read:analysts',
      'inline:inline-1:ops',
      'inline:inline-2:ops',
      'managed:AWSLambdaBasicExecutionRole:ops',
      'managed:data-pipeline-access:ops',
    ]);
  });

  it('waits out IN_PROGRESS replies until the job completes', async () => {
    const slow = await startDemo({ faults: { jobCompletionMs: 250 } });
    try {
      expect(snapshotContent(await collectFrom(slow, LAMBDA))).toEqual(snapshotContent(ref(LAMBDA)));
      // one page of report: every extra GetServiceLastAccessedDetails was an IN_PROGRESS poll
      expect(slow.stats().calls['GetServiceLastAccessedDetails']).toBeGreaterThan(1);
    } finally {
      await slow.stop();
    }
  });

  it('survives 30% throttling with the same snapshot (governed retries)', async () => {
    const throttling = await startDemo({ faults: { throttleRate: 0.3, seed: 3 } });
    try {
      expect(snapshotContent(await collectFrom(throttling, LAMBDA))).toEqual(snapshotContent(ref(LAMBDA)));
      expect(throttling.stats().throttled).toBeGreaterThan(0);
    } finally {
      await throttling.stop();
    }
  });

  it('survives bursts of 5xx with the same snapshot', async () => {
    const failing = await startDemo({ faults: { serverErrorRate: 0.3, seed: 5 } });
    try {
      for (const p of [PIPELINE, DANA]) expect(snapshotContent(await collectFrom(failing, p))).toEqual(snapshotContent(ref(p)));
      expect(failing.stats().serverErrors).toBeGreaterThan(2);
    } finally {
      await failing.stop();
    }
  });

  it('ends a FAILED job with its Error Code and Message', async () => {
    const failing = await startDemo({ faults: { failJobs: [demoArn('role', 'service-role/orders-lambda')] } });
    try {
      const error = await failureOf(collectFrom(failing, LAMBDA));
      expect(error.kind).toBe('aws');
      expect(error.message).toMatch(
        /^the last-accessed report job \S+ for arn:aws:iam::111122223333:role\/service-role\/orders-lambda FAILED: ServiceFailure: The report could not be generated because of an internal error\.$/,
      );
    } finally {
      await failing.stop();
    }
  });

  it('names the missing action in one line on AccessDenied', async () => {
    const error = await failureOf(collectFrom(plain, LAMBDA, { accessKeyId: 'AKIDNOVERSIONS' }));
    expect(error).toEqual({
      kind: 'aws',
      message:
        'access denied: the caller lacks iam:GetPolicyVersion (on arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole).' +
        ' See docs/required-permissions.json',
    });
  });

  it('says a missing role is not in the account (account from STS, at the same endpoint)', async () => {
    const error = await failureOf(collectFrom(plain, { type: 'role', name: 'ghost' }));
    expect(error).toEqual({ kind: 'aws', message: `role ghost not found in account ${DEMO_ACCOUNT}` });
  });

  it('honours AWS_ENDPOINT_URL when no endpoint is given', async () => {
    process.env['AWS_ENDPOINT_URL'] = plain.endpoint;
    try {
      const snapshot = await collectFrom(plain, LAMBDA, { endpoint: undefined });
      expect(snapshotContent(snapshot)).toEqual(snapshotContent(ref(LAMBDA)));
    } finally {
      delete process.env['AWS_ENDPOINT_URL'];
    }
  });
});
