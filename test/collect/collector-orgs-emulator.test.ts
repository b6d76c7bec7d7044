import { GenerateOrganizationsAccessReportCommand, IAMClient } from '@aws-sdk/client-iam';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/index.js';
import type { ApiCallEvent, CollectProgressEvent } from '../../src/collect/call.js';
import { AJV_OPTIONS } from '../../src/snapshot/ajv-errors.js';
import { SNAPSHOT_SCHEMA } from '../../src/snapshot/schema.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { callCounter, collectFrom, demoFixture, failureOf, snapshotContent, startDemo } from './emulator-harness.js';

/** The Organizations subjects collected through the real SDK from the emulator's demo organization. */
const ORG = 'o-demo0org01';
const ROOT = 'r-dm01';
const ROOT_PATH = `${ORG}/${ROOT}`;
const WORKLOADS = 'ou-dm01-wrkld001';
const PROD = 'ou-dm01-prod0001';
const SANDBOX = 'ou-dm01-sndbx001';
const ALLOW_LIST = 'p-wrkldallow1';
const MGMT = '111122223333';
const PROD_PATH = `${ROOT_PATH}/${WORKLOADS}/${PROD}`;

const schemaValid = new Ajv({ ...AJV_OPTIONS, discriminator: true, strictRequired: false, allowUnionTypes: true }).compile(SNAPSHOT_SCHEMA);

/** valid against the snapshot schema, and equal to its JSON round trip (no undefined fields) */
function expectValid(s: Snapshot): void {
  const json = JSON.parse(JSON.stringify(s)) as unknown;
  expect(schemaValid(json), JSON.stringify(schemaValid.errors)).toBe(true);
  expect(json).toEqual(s);
}

let emulator: RunningEmulator;
let scp: Snapshot;
let prod: Snapshot;
beforeAll(async () => {
  emulator = await startDemo();
  [scp, prod] = [
    await collectFrom(emulator, { type: 'scp', id: ALLOW_LIST }),
    await collectFrom(emulator, { type: 'organization-entity', path: PROD_PATH }),
  ];
});
afterAll(() => emulator.stop());

const used = (s: Snapshot) =>
  s.report.Kind === 'organizations-access' ? s.report.AccessDetails.filter((d) => d.LastAuthenticatedTime).map((d) => d.ServiceNamespace) : [];

describe('collect --scp-id', () => {
  it('reads the SCP, its targets with their paths, and the member accounts it applies to', () => {
    expectValid(scp);
    if (scp.subject.Kind !== 'scp') throw new Error('not an scp subject');
    const { organization, policy, targets, accounts } = scp.subject;
    expect(organization).toEqual({ Id: ORG, RootId: ROOT, ManagementAccountId: MGMT });
    expect(policy).toMatchObject({ Id: ALLOW_LIST, Name: 'workloads-allowed-services', AwsManaged: false });
    expect(policy.Content).toMatchObject({ Version: '2012-10-17', Statement: [{ Sid: 'AllowedServices', Effect: 'Allow' }] });
    expect(targets).toEqual([
      expect.objectContaining({ TargetId: WORKLOADS, Type: 'ORGANIZATIONAL_UNIT', Name: 'workloads', Path: `${ROOT_PATH}/${WORKLOADS}` }),
    ]);
    expect(accounts.map((a) => [a.Id, a.Name, a.Path])).toEqual([
      ['222233334444', 'prod-app', `${PROD_PATH}/222233334444`],
      ['333344445555', 'prod-data', `${PROD_PATH}/333344445555`],
      ['444455556666', 'staging', `${ROOT_PATH}/${WORKLOADS}/444455556666`],
    ]);
    expect(accounts[0]?.JoinedTimestamp).toBe('2022-03-01T10:00:00.000Z');
  });

  it('reads the report at the root with the policy id: every account the SCP applies to, kinesis unused', () => {
    if (scp.report.Kind !== 'organizations-access') throw new Error('not an organizations report');
    expect(scp.report).toMatchObject({ EntityPath: ROOT_PATH, OrganizationsPolicyId: ALLOW_LIST, JobStatus: 'COMPLETED' });
    expect(scp.report.AccessDetails).toHaveLength(10);
    expect(used(scp)).not.toContain('kinesis');
    expect(scp.report.AccessDetails.find((d) => d.ServiceNamespace === 's3')?.TotalAuthenticatedEntities).toBe(3);
  });

  it('at page size 1 with 20% throttling on IAM and Organizations: the same snapshot', async () => {
    const rough = await startDemo({ pageSize: 1, faults: { throttleRate: 0.2, seed: 7 } });
    try {
      const events: ApiCallEvent[] = [];
      const again = await collectFrom(rough, { type: 'scp', id: ALLOW_LIST }, { retryMode: 'standard', onApiCall: (e) => events.push(e) });
      expect(snapshotContent(again)).toEqual(snapshotContent(scp));
      // both APIs were throttled and retried: Organizations answers TooManyRequestsException, IAM Throttling
      const retried = (prefix: string) => events.filter((e) => e.action.startsWith(prefix) && e.attempts > 1).length;
      expect(retried('organizations:')).toBeGreaterThan(0);
      expect(retried('iam:')).toBeGreaterThan(0);
      expect(rough.stats().throttled).toBe(events.reduce((n, e) => n + e.attempts - 1, 0));
      // the 10 report rows one per page (after the polls); the three workloads accounts one per page: staging, then prod's two
      expect(events.filter((e) => e.action === 'iam:GetOrganizationsAccessReport').length).toBeGreaterThanOrEqual(10);
      expect(events.filter((e) => e.action === 'organizations:ListAccountsForParent').length).toBe(3);
    } finally {
      await rough.stop();
    }
  });

  it('FullAWSAccess: AWS-managed, attached to the root and to every entity without an SCP of its own', async () => {
    const full = await collectFrom(emulator, { type: 'scp', id: 'p-FullAWSAccess' });
    expectValid(full);
    if (full.subject.Kind !== 'scp') throw new Error('not an scp subject');
    expect(full.subject.policy).toMatchObject({ AwsManaged: true, Name: 'FullAWSAccess' });
    expect(full.subject.targets.map((t) => t.Type)).toContain('ROOT');
    // at the root: every member account, the management account left out
    expect(full.subject.accounts.map((a) => a.Id)).toEqual(['222233334444', '333344445555', '444455556666', '555566667777', '666677778888']);
  });
});

describe('collect --entity-path', () => {
  it('reads the OU, the accounts below it, the SCPs attached to it and its report without a policy id', () => {
    expectValid(prod);
    if (prod.subject.Kind !== 'organization-entity') throw new Error('not an entity subject');
    expect(prod.subject.entity).toEqual({ Path: PROD_PATH, Type: 'ORGANIZATIONAL_UNIT', Id: PROD, Name: 'prod' });
    expect(prod.subject.accounts.map((a) => a.Name)).toEqual(['prod-app', 'prod-data']);
    expect(prod.subject.attachedPolicies).toEqual([{ Id: 'p-FullAWSAccess', Name: 'FullAWSAccess', AwsManaged: true }]);
    expect(prod.report).toMatchObject({ Kind: 'organizations-access', EntityPath: PROD_PATH });
    expect(prod.report).not.toHaveProperty('OrganizationsPolicyId');
    expect(used(prod).sort()).toEqual(['cloudwatch', 'dynamodb', 'ec2', 'kms', 'lambda', 'logs', 's3', 'sqs']);
  });

  it('an account path: the account, its name, its own report', async () => {
    const young = await collectFrom(emulator, { type: 'organization-entity', path: `${ROOT_PATH}/${SANDBOX}/666677778888` });
    if (young.subject.Kind !== 'organization-entity') throw new Error('not an entity subject');
    expect(young.subject.entity).toMatchObject({ Type: 'ACCOUNT', Id: '666677778888', Name: 'sandbox-new' });
    expect(young.subject.accounts).toEqual([expect.objectContaining({ Id: '666677778888', JoinedTimestamp: '2026-09-20T12:00:00.000Z' })]);
    expect(used(young).sort()).toEqual(['s3', 'sagemaker']);
  });

  it('the root at page size 1: the five member accounts, walked down the OUs', async () => {
    const paged = await startDemo({ pageSize: 1 });
    try {
      const root = await collectFrom(paged, { type: 'organization-entity', path: ROOT_PATH });
      if (root.subject.Kind !== 'organization-entity') throw new Error('not an entity subject');
      expect(root.subject.accounts.map((a) => a.Id)).toEqual(['222233334444', '333344445555', '444455556666', '555566667777', '666677778888']);
      expect(root.subject.entity).toEqual({ Path: ROOT_PATH, Type: 'ROOT', Id: ROOT, Name: 'Root' });
    } finally {
      await paged.stop();
    }
  });
});

describe('bad input and refusals: one line each', () => {
  it("the management account's own path: SCPs do not apply to it, said before any report", async () => {
    const counts = new Map<string, number>();
    const f = await failureOf(collectFrom(emulator, { type: 'organization-entity', path: `${ROOT_PATH}/${MGMT}` }, { onApiCall: callCounter(counts) }));
    expect(f).toEqual({ kind: 'input', message: `${ROOT_PATH}/${MGMT} is the management account: SCPs do not apply to the management account` });
    expect(counts.get('iam:GenerateOrganizationsAccessReport')).toBeUndefined();
  });

  it('a malformed id or path: an input error before any call', async () => {
    const counts = new Map<string, number>();
    const id = await failureOf(collectFrom(emulator, { type: 'scp', id: 'policy-1' }, { onApiCall: callCounter(counts) }));
    expect(id.kind).toBe('input');
    expect(id.message).toMatch(/^bad SCP id "policy-1"/);
    const path = await failureOf(collectFrom(emulator, { type: 'organization-entity', path: `${ORG}/ou-dm01-prod0001` }, { onApiCall: callCounter(counts) }));
    expect(path.message).toMatch(/is not a root id \(r-…\)/);
    expect(counts.size).toBe(0);
  });

  it('an unknown SCP id, an unknown OU, a path whose OUs do not nest', async () => {
    expect((await failureOf(collectFrom(emulator, { type: 'scp', id: 'p-nosuchpol1' }))).message).toBe(
      'SCP p-nosuchpol1 not found in the organization (PolicyNotFoundException)',
    );
    const ou = await failureOf(collectFrom(emulator, { type: 'organization-entity', path: `${ROOT_PATH}/ou-dm01-zzzzzzzz` }));
    expect(ou.message).toBe(`entity path ${ROOT_PATH}/ou-dm01-zzzzzzzz not found in organization ${ORG}`);
    const nest = await failureOf(collectFrom(emulator, { type: 'organization-entity', path: `${ROOT_PATH}/${PROD}` }));
    expect(nest.message).toBe(`entity path ${ROOT_PATH}/${PROD} not found in organization ${ORG}: ${PROD} is at ${PROD_PATH}`);
    const other = await failureOf(collectFrom(emulator, { type: 'organization-entity', path: `o-otherorg001/${ROOT}` }));
    expect(other.message).toMatch(/^entity path o-otherorg001\/r-dm01 not found in organization o-demo0org01/);
  });

  it('not the management account (AccessDenied) or no organization: which credentials are needed', async () => {
    const fixture = demoFixture();
    fixture.callers = [{ accessKeyId: 'AKIDMEMBER', arn: 'arn:aws:iam::111122223333:user/member', denied: ['organizations:DescribeOrganization'] }];
    const denied = await startEmulator({ fixture, faults: { jobCompletionMs: 0 } });
    try {
      const f = await failureOf(collectFrom(denied, { type: 'scp', id: ALLOW_LIST }, { accessKeyId: 'AKIDMEMBER' }));
      expect(f.message).toMatch(/^access denied: the caller lacks organizations:DescribeOrganization .*management-account credentials, or a delegated administrator's/);
      expect(f.message).not.toContain('\n');
    } finally {
      await denied.stop();
    }
    const { organization: _o, ...noOrg } = demoFixture();
    const alone = await startEmulator({ fixture: noOrg });
    try {
      const f = await failureOf(collectFrom(alone, { type: 'organization-entity', path: ROOT_PATH }));
      expect(f.message).toMatch(/^organizations:DescribeOrganization: the credentials' account is not in an organization; use the organization's management-account/);
    } finally {
      await alone.stop();
    }
  });

  it('a FAILED job: its ErrorDetails code and message in one line', async () => {
    const failing = await startDemo({ faults: { failJobs: [ALLOW_LIST] } });
    try {
      const f = await failureOf(collectFrom(failing, { type: 'scp', id: ALLOW_LIST }));
      expect(f.message).toMatch(
        new RegExp(`^the Organizations access report job \\S+ for ${ROOT_PATH} \\(SCP ${ALLOW_LIST}\\) FAILED: ServiceFailure: The report could not be generated`),
      );
    } finally {
      await failing.stop();
    }
  });
});

describe('ReportGenerationLimitExceeded: another report is being generated', () => {
  const busy = async (e: RunningEmulator) => {
    // someone else's generation, still running
    const iam = new IAMClient({ endpoint: e.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDOTHER', secretAccessKey: 'x' } });
    await iam.send(new GenerateOrganizationsAccessReportCommand({ EntityPath: ROOT_PATH }));
    iam.destroy();
  };

  it('waits, says so, and collects once the other report is done', async () => {
    const slow = await startDemo({ faults: { jobCompletionMs: 600_000 } });
    try {
      await busy(slow);
      const events: CollectProgressEvent[] = [];
      const snapshot = await collectFrom(slow, { type: 'organization-entity', path: PROD_PATH }, {
        onProgress: (e) => {
          events.push(e);
          // the other job ends while we wait; ours ends at its first poll
          slow.completeJobs();
        },
      });
      expect(events[0]).toEqual({ kind: 'report-generation-waiting', arn: PROD_PATH, waits: 1 });
      expect(events.map((e) => e.kind)).toContain('report-wait-ended');
      expect(snapshot.report.Kind).toBe('organizations-access');
    } finally {
      await slow.stop();
    }
  });

  it('gives up at --timeout in one line', async () => {
    const slow = await startDemo({ faults: { jobCompletionMs: 600_000 } });
    try {
      await busy(slow);
      const f = await failureOf(collectFrom(slow, { type: 'organization-entity', path: PROD_PATH }, { timeoutMs: 300 }));
      expect(f.message).toMatch(/^another Organizations access report was still being generated after 300 ms \(ReportGenerationLimitExceeded, \d+ tries\); wait for it or raise --timeout$/);
    } finally {
      await slow.stop();
    }
  });
});
