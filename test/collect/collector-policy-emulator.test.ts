import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/index.js';
import { COLLECTOR_ACTIONS } from '../../src/collect/actions.js';
import type { ManagedPolicySelector } from '../../src/collect/subject-ref.js';
import { AJV_OPTIONS } from '../../src/snapshot/ajv-errors.js';
import { SNAPSHOT_SCHEMA } from '../../src/snapshot/schema.js';
import type { ManagedPolicySubject, Snapshot } from '../../src/snapshot/types.js';
import { callCounter, collectFrom, DEMO_ACCOUNT, demoArn, demoFixture, failureOf, snapshotContent, startDemo, serviceReport } from './emulator-harness.js';

const policy = (arn: string): ManagedPolicySelector => ({ type: 'managed-policy', arn });
/** two fleet roles and the on-call group (user erin); two versions */
const FLEET = policy(demoArn('policy', 'fleet-operations'));
/** roles reporting and wide, user wide-user, group analysts (dana, wide-user); also wide's permissions boundary */
const SHARED = policy(demoArn('policy', 'shared-reporting-read'));
/** data-pipeline's permissions boundary, attached to nobody */
const BOUNDARY = policy(demoArn('policy', 'boundaries/pipeline-boundary'));
/** AWS-managed: role orders-lambda and wide, user wide-user, group ops */
const LAMBDA_BASIC = policy('arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole');
const POLICIES = [FLEET, SHARED, BOUNDARY, LAMBDA_BASIC];
/** the paginated operations of a policy collection */
const LISTS = [
  'iam:ListEntitiesForPolicy',
  'iam:ListPolicyVersions',
  'iam:GetGroup',
  'iam:GetServiceLastAccessedDetails',
  'iam:GetServiceLastAccessedDetailsWithEntities',
] as const;

const fixture = demoFixture();
const fixtureEntity = (kind: 'roles' | 'users' | 'groups', name: string) => fixture[kind]?.find((e) => e.name === name);
const iso = (date: string | undefined): string => new Date(date ?? 'missing').toISOString();

/** the schema alone: the semantic checks of validateSnapshot are the analysis side's */
const schemaValid = new Ajv({ ...AJV_OPTIONS, discriminator: true, strictRequired: false, allowUnionTypes: true }).compile(SNAPSHOT_SCHEMA);

let plain: RunningEmulator;
const reference = new Map<string, Snapshot>();
const referenceCalls = new Map<string, number>();

beforeAll(async () => {
  plain = await startDemo({ faults: { jobCompletionMs: 0 } });
  for (const p of POLICIES) reference.set(p.arn, await collectFrom(plain, p, { onApiCall: callCounter(referenceCalls) }));
});
afterAll(() => plain.stop());

const ref = (p: ManagedPolicySelector): Snapshot => reference.get(p.arn) as Snapshot;
const subjectOf = (s: Snapshot): ManagedPolicySubject => {
  if (s.subject.Kind !== 'managed-policy') throw new Error(`expected a managed-policy subject, not ${s.subject.Kind}`);
  return s.subject;
};
const entitySummary = (s: Snapshot) =>
  subjectOf(s).attachedEntities.map((e) => `${e.Type}:${e.Name}${e.Members ? `[${e.Members.map((m) => m.Name).join(',')}]` : ''}`);

describe('collector, a managed policy as the subject, against the emulator through the real SDK', () => {
  it('produces snapshots that validate against schemas/snapshot.schema.json', () => {
    for (const p of POLICIES) {
      const json = JSON.parse(JSON.stringify(ref(p))) as unknown;
      expect(schemaValid(json), `${p.arn}: ${JSON.stringify(schemaValid.errors)}`).toBe(true);
      // what the collector built equals its JSON round trip: no undefined fields, nothing JSON cannot say
      expect(json).toEqual(ref(p));
    }
  });

  it('reads the policy, its default version document and every version', () => {
    const f = fixture.policies?.find((p) => p.name === 'fleet-operations');
    const v1 = f?.versions?.find((v) => v.versionId === 'v1');
    const v2 = f?.versions?.find((v) => v.versionId === 'v2');
    const subject = subjectOf(ref(FLEET));
    expect(subject.policy).toEqual({
      ManagedBy: 'customer',
      PolicyArn: FLEET.arn,
      PolicyName: 'fleet-operations',
      Path: '/',
      AttachmentCount: 3,
      PermissionsBoundaryUsageCount: 0,
      DefaultVersionId: 'v2',
      PolicyDocument: v2?.document,
      DefaultVersionCreateDate: iso(v2?.createDate),
      CreateDate: iso(f?.createDate),
      UpdateDate: iso(v2?.createDate),
    });
    expect(subject.versions).toEqual([
      { VersionId: 'v1', IsDefaultVersion: false, CreateDate: iso(v1?.createDate) },
      { VersionId: 'v2', IsDefaultVersion: true, CreateDate: iso(v2?.createDate) },
    ]);
  });

  it('lists the attached roles, users and groups in that order, each by name, dated by its Get call; groups with their members', () => {
    const fleet = subjectOf(ref(FLEET));
    expect(fleet.attachedEntities).toEqual([
      expect.objectContaining({ Type: 'role', Name: 'batch-worker', Arn: demoArn('role', 'fleet/batch-worker'), Path: '/fleet/', CreateDate: iso(fixtureEntity('roles', 'batch-worker')?.createDate) }),
      expect.objectContaining({ Type: 'role', Name: 'web-frontend', Arn: demoArn('role', 'fleet/web-frontend'), Path: '/fleet/' }),
      expect.objectContaining({
        Type: 'group',
        Name: 'oncall',
        Arn: demoArn('group', 'oncall'),
        CreateDate: iso(fixtureEntity('groups', 'oncall')?.createDate),
        Members: [expect.objectContaining({ Name: 'erin', Arn: demoArn('user', 'erin'), CreateDate: iso(fixtureEntity('users', 'erin')?.createDate) })],
      }),
    ]);
    // roles and users carry no Members; every entity its Id
    for (const e of fleet.attachedEntities) {
      expect('Members' in e).toBe(e.Type === 'group');
      expect(e.Id).toMatch(/^A[A-Z0-9]+$/);
    }
    expect(entitySummary(ref(SHARED))).toEqual(['role:reporting', 'role:wide', 'user:wide-user', 'group:analysts[dana,wide-user]']);
  });

  it('counts a permissions-boundary use apart from the attachments (PolicyUsageFilter PermissionsPolicy)', () => {
    // wide has shared-reporting-read both attached and as its boundary: listed once, as attached
    expect(subjectOf(ref(SHARED)).policy).toMatchObject({ AttachmentCount: 4, PermissionsBoundaryUsageCount: 1 });
    // a policy used only as a boundary is attached to no one
    expect(subjectOf(ref(BOUNDARY)).policy).toMatchObject({ AttachmentCount: 0, PermissionsBoundaryUsageCount: 1 });
    expect(subjectOf(ref(BOUNDARY)).attachedEntities).toEqual([]);
  });

  it('reads an AWS-managed policy by its arn:aws:iam::aws:policy/ ARN', () => {
    const subject = subjectOf(ref(LAMBDA_BASIC));
    expect(subject.policy).toMatchObject({ ManagedBy: 'aws', PolicyName: 'AWSLambdaBasicExecutionRole', Path: '/service-role/' });
    expect(entitySummary(ref(LAMBDA_BASIC))).toEqual(['role:orders-lambda', 'role:wide', 'user:wide-user', 'group:ops[wide-user]']);
  });

  it("takes the policy's ACTION_LEVEL report and who used each used service", () => {
    const fleet = { report: serviceReport(ref(FLEET)) };
    expect(fleet.report).toMatchObject({ Kind: 'service-last-accessed', JobType: 'ACTION_LEVEL', JobStatus: 'COMPLETED' });
    const used = fleet.report.ServicesLastAccessed.filter((s) => s.LastAuthenticated !== undefined).map((s) => s.ServiceNamespace);
    expect(used.length).toBeGreaterThan(1);
    expect(Object.keys(fleet.report.EntityDetails ?? {})).toEqual(used);
    // erin reached EC2 through the group: the report names the user, not the group
    const ec2 = fleet.report.EntityDetails?.['ec2'] ?? [];
    expect(ec2.filter((e) => e.LastAuthenticated !== undefined).map((e) => e.EntityInfo.Name).sort()).toEqual(['batch-worker', 'erin', 'web-frontend']);
    expect(ec2.every((e) => e.EntityInfo.Type !== 'GROUP')).toBe(true);
  });

  it('gives the same snapshots with page size 1 everywhere, following every page', async () => {
    const paged = await startDemo({ pageSize: 1, faults: { jobCompletionMs: 0 } });
    const pagedCalls = new Map<string, number>();
    try {
      for (const p of POLICIES) expect(snapshotContent(await collectFrom(paged, p, { onApiCall: callCounter(pagedCalls) }))).toEqual(snapshotContent(ref(p)));
      const served = Object.keys(paged.stats().calls).map((op) => (op === 'GetCallerIdentity' ? `sts:${op}` : `iam:${op}`));
      expect(served.filter((a) => !(COLLECTOR_ACTIONS as readonly string[]).includes(a))).toEqual([]);
    } finally {
      await paged.stop();
    }
    for (const action of LISTS) expect(pagedCalls.get(action) ?? 0, action).toBeGreaterThan(referenceCalls.get(action) ?? 0);
  });

  it('survives 30% throttling with the same snapshot (governed retries)', async () => {
    const throttling = await startDemo({ faults: { throttleRate: 0.3, seed: 7 } });
    try {
      expect(snapshotContent(await collectFrom(throttling, FLEET))).toEqual(snapshotContent(ref(FLEET)));
      expect(throttling.stats().throttled).toBeGreaterThan(0);
    } finally {
      await throttling.stop();
    }
  });

  it.each([
    [demoArn('policy', 'ghost'), `managed policy ${demoArn('policy', 'ghost')} not found in account ${DEMO_ACCOUNT}`],
    [
      'arn:aws:iam::999999999999:policy/fleet-operations',
      `managed policy arn:aws:iam::999999999999:policy/fleet-operations not found in account ${DEMO_ACCOUNT}` +
        ' (the ARN names account 999999999999; collect with credentials from that account)',
    ],
    ['arn:aws:iam::aws:policy/NoSuchPolicy', `managed policy arn:aws:iam::aws:policy/NoSuchPolicy not found in account ${DEMO_ACCOUNT}`],
  ])('a missing policy %s is one line naming the account', async (arn, message) => {
    expect(await failureOf(collectFrom(plain, policy(arn)))).toEqual({ kind: 'aws', message });
  });

  it('names ListEntitiesForPolicy when the caller lacks it', async () => {
    const f = demoFixture();
    f.callers = [...(f.callers ?? []), { accessKeyId: 'AKIDNOENTITIES', arn: demoArn('user', 'half-auditor'), denied: ['iam:ListEntitiesForPolicy'] }];
    const denying = await startEmulator({ fixture: f, faults: { jobCompletionMs: 0 } });
    try {
      expect(await failureOf(collectFrom(denying, FLEET, { accessKeyId: 'AKIDNOENTITIES' }))).toEqual({
        kind: 'aws',
        message: `access denied: the caller lacks iam:ListEntitiesForPolicy (on ${FLEET.arn}). See docs/required-permissions.json`,
      });
    } finally {
      await denying.stop();
    }
  });

  it('refuses a selector that is not a managed policy ARN before any call', async () => {
    const before = plain.stats().calls;
    const total = (calls: Record<string, number>) => Object.values(calls).reduce((a, b) => a + b, 0);
    const was = total(before);
    expect(await failureOf(collectFrom(plain, policy(demoArn('role', 'fleet/batch-worker'))))).toEqual({
      kind: 'input',
      message: `'${demoArn('role', 'fleet/batch-worker')}' is a role ARN, not a managed policy ARN`,
    });
    expect(await failureOf(collectFrom(plain, policy('fleet-operations')))).toEqual({
      kind: 'input',
      message: "bad managed policy ARN 'fleet-operations': expected arn:aws:iam::<account-id or aws>:policy/<path><name>",
    });
    expect(total(plain.stats().calls)).toBe(was);
  });
});
