import { readFileSync } from 'node:fs';
import { GenerateOrganizationsAccessReportCommand, GetOrganizationsAccessReportCommand, type AccessDetail, type IAMClient } from '@aws-sdk/client-iam';
import {
  DescribeAccountCommand,
  DescribePolicyCommand,
  ListAccountsForParentCommand,
  ListChildrenCommand,
  ListOrganizationalUnitsForParentCommand,
  ListParentsCommand,
  ListPoliciesCommand,
  ListPoliciesForTargetCommand,
  ListTargetsForPolicyCommand,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorFixture, type RunningEmulator } from '../../emulator/index.js';
import { iamClient, orgClient, sdkError } from './helpers.js';

/** The demo organization as the emulator serves it: the tree, its SCPs, and the access report's semantics. */
const DEMO = new URL('../../policies-examples/demo-account/fixture.json', import.meta.url);
const demo = (): EmulatorFixture => JSON.parse(readFileSync(DEMO, 'utf8')) as EmulatorFixture;

const ORG = 'o-demo0org01';
const ROOT = 'r-dm01';
const WORKLOADS = 'ou-dm01-wrkld001';
const PROD = 'ou-dm01-prod0001';
const SANDBOX = 'ou-dm01-sndbx001';
const ALLOW_LIST = 'p-wrkldallow1';
const MGMT = '111122223333';
const PROD_APP = '222233334444';
const SANDBOX_NEW = '666677778888';
const ALLOWED = ['cloudwatch', 'dynamodb', 'ec2', 'kinesis', 'kms', 'lambda', 'logs', 's3', 'sns', 'sqs'];

let emulator: RunningEmulator;
let org: OrganizationsClient;
let iam: IAMClient;
beforeAll(async () => {
  // page size 1 everywhere: every listing below is read page by page
  emulator = await startEmulator({ fixture: demo(), pageSize: 1, faults: { jobCompletionMs: 0 } });
  org = orgClient(emulator);
  iam = iamClient(emulator);
});
afterAll(() => emulator.stop());

async function allPages<T>(fetch: (token: string | undefined) => Promise<{ NextToken?: string; items: T[] }>): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetch(token);
    out.push(...page.items);
    token = page.NextToken;
  } while (token);
  return out;
}

async function report(EntityPath: string, OrganizationsPolicyId?: string): Promise<AccessDetail[]> {
  const { JobId } = await iam.send(new GenerateOrganizationsAccessReportCommand({ EntityPath, OrganizationsPolicyId }));
  return allPages(async (Marker) => {
    const page = await iam.send(new GetOrganizationsAccessReportCommand({ JobId, Marker }));
    expect(page.JobStatus).toBe('COMPLETED');
    return { NextToken: page.IsTruncated ? page.Marker : undefined, items: page.AccessDetails ?? [] };
  });
}

const used = (rows: AccessDetail[]) => rows.filter((r) => r.LastAuthenticatedTime).map((r) => r.ServiceNamespace).sort();
const row = (rows: AccessDetail[], ns: string) => rows.find((r) => r.ServiceNamespace === ns);

describe('the organization tree', () => {
  it('lists OUs, accounts and children of a parent, one per page', async () => {
    const ous = await allPages(async (NextToken) => {
      const p = await org.send(new ListOrganizationalUnitsForParentCommand({ ParentId: ROOT, NextToken }));
      return { NextToken: p.NextToken, items: p.OrganizationalUnits ?? [] };
    });
    expect(ous.map((o) => [o.Id, o.Name])).toEqual([[WORKLOADS, 'workloads'], [SANDBOX, 'sandbox']]);
    const inProd = await allPages(async (NextToken) => {
      const p = await org.send(new ListAccountsForParentCommand({ ParentId: PROD, NextToken }));
      return { NextToken: p.NextToken, items: p.Accounts ?? [] };
    });
    expect(inProd.map((a) => a.Name)).toEqual(['prod-app', 'prod-data']);
    expect(inProd[0]?.JoinedTimestamp).toEqual(new Date('2022-03-01T10:00:00Z'));
    const children = await allPages(async (NextToken) => {
      const p = await org.send(new ListChildrenCommand({ ParentId: WORKLOADS, ChildType: 'ORGANIZATIONAL_UNIT', NextToken }));
      return { NextToken: p.NextToken, items: p.Children ?? [] };
    });
    expect(children).toEqual([{ Id: PROD, Type: 'ORGANIZATIONAL_UNIT' }]);
  });

  it('names parents up to the root and describes accounts', async () => {
    expect((await org.send(new ListParentsCommand({ ChildId: PROD_APP }))).Parents).toEqual([{ Id: PROD, Type: 'ORGANIZATIONAL_UNIT' }]);
    expect((await org.send(new ListParentsCommand({ ChildId: WORKLOADS }))).Parents).toEqual([{ Id: ROOT, Type: 'ROOT' }]);
    const { Account } = await org.send(new DescribeAccountCommand({ AccountId: SANDBOX_NEW }));
    expect(Account).toMatchObject({ Id: SANDBOX_NEW, Name: 'sandbox-new', Status: 'ACTIVE' });
  });

  it('serves SCPs: content as a JSON string, targets, and FullAWSAccess where no other SCP is attached', async () => {
    const { Policy } = await org.send(new DescribePolicyCommand({ PolicyId: ALLOW_LIST }));
    expect(Policy?.PolicySummary).toMatchObject({ Name: 'workloads-allowed-services', AwsManaged: false, Type: 'SERVICE_CONTROL_POLICY' });
    expect(JSON.parse(Policy?.Content ?? '')).toMatchObject({ Statement: [{ Effect: 'Allow' }] });
    const targets = await org.send(new ListTargetsForPolicyCommand({ PolicyId: ALLOW_LIST }));
    expect(targets.Targets).toEqual([expect.objectContaining({ TargetId: WORKLOADS, Type: 'ORGANIZATIONAL_UNIT', Name: 'workloads' })]);
    const onWorkloads = await org.send(new ListPoliciesForTargetCommand({ TargetId: WORKLOADS, Filter: 'SERVICE_CONTROL_POLICY' }));
    expect(onWorkloads.Policies?.map((p) => p.Id)).toEqual([ALLOW_LIST]);
    const onProd = await org.send(new ListPoliciesForTargetCommand({ TargetId: PROD, Filter: 'SERVICE_CONTROL_POLICY' }));
    expect(onProd.Policies).toEqual([expect.objectContaining({ Id: 'p-FullAWSAccess', AwsManaged: true, Name: 'FullAWSAccess' })]);
    const all = await allPages(async (NextToken) => {
      const p = await org.send(new ListPoliciesCommand({ Filter: 'SERVICE_CONTROL_POLICY', NextToken }));
      return { NextToken: p.NextToken, items: p.Policies ?? [] };
    });
    expect(all.map((p) => p.Id)).toEqual([ALLOW_LIST, 'p-FullAWSAccess']);
  });

  it('answers unknown ids with the exceptions AWS names', async () => {
    expect((await sdkError(org.send(new ListParentsCommand({ ChildId: '999999999999' })))).name).toBe('ChildNotFoundException');
    expect((await sdkError(org.send(new DescribePolicyCommand({ PolicyId: 'p-nosuchpol1' })))).name).toBe('PolicyNotFoundException');
    expect((await sdkError(org.send(new ListTargetsForPolicyCommand({ PolicyId: 'p-nosuchpol1' })))).name).toBe('PolicyNotFoundException');
    const target = await sdkError(org.send(new ListPoliciesForTargetCommand({ TargetId: 'ou-dm01-zzzzzzzz', Filter: 'SERVICE_CONTROL_POLICY' })));
    expect(target.name).toBe('TargetNotFoundException');
    expect((await sdkError(org.send(new ListAccountsForParentCommand({ ParentId: 'ou-dm01-zzzzzzzz' })))).name).toBe('ParentNotFoundException');
    expect((await sdkError(org.send(new DescribeAccountCommand({ AccountId: '999999999999' })))).name).toBe('AccountNotFoundException');
  });

  it('answers AWSOrganizationsNotInUseException without an organization, and AccessDenied to a denied caller', async () => {
    const { organization: _o, ...noOrg } = demo();
    const alone = await startEmulator({ fixture: noOrg });
    try {
      expect((await sdkError(orgClient(alone).send(new ListParentsCommand({ ChildId: PROD_APP })))).name).toBe('AWSOrganizationsNotInUseException');
    } finally {
      await alone.stop();
    }
    const denied = await startEmulator({
      fixture: { ...demo(), callers: [{ accessKeyId: 'AKIDDENIED', arn: `arn:aws:iam::${PROD_APP}:user/x`, denied: ['organizations:DescribePolicy'] }] },
    });
    try {
      const e = await sdkError(orgClient(denied, { accessKeyId: 'AKIDDENIED' }).send(new DescribePolicyCommand({ PolicyId: ALLOW_LIST })));
      expect(e.name).toBe('AccessDeniedException');
    } finally {
      await denied.stop();
    }
  });
});

describe('fixture checks', () => {
  it.each([
    ['an OU under an unknown parent', (f: EmulatorFixture) => f.organization?.organizationalUnits?.push({ id: 'ou-dm01-orphan01', name: 'x', parentId: 'ou-dm01-nothere1' }), /parent ou-dm01-nothere1 is not the root or a declared OU/],
    ['an account in an unknown OU', (f: EmulatorFixture) => f.organization?.accounts?.push({ id: '999999999999', name: 'x', parentId: 'ou-dm01-nothere1' }), /account 999999999999: parent ou-dm01-nothere1/],
    ['an SCP on an unknown target', (f: EmulatorFixture) => f.organization?.policies?.push({ id: 'p-badtarget1', name: 'x', content: {}, targets: ['ou-dm01-nothere1'] }), /policy p-badtarget1 targets ou-dm01-nothere1/],
  ])('refuses %s at start', async (_what, change, message) => {
    const fixture = demo();
    change(fixture);
    await expect(startEmulator({ fixture })).rejects.toThrow(message);
  });
});

describe('GenerateOrganizationsAccessReport by SCP evaluation', () => {
  it('root, no policy id: every service FullAWSAccess allows, usage of every member account, the management account left out', async () => {
    const rows = await report(`${ORG}/${ROOT}`);
    expect(rows.length).toBeGreaterThan(100);
    expect(used(rows)).toEqual(['athena', 'cloudwatch', 'dynamodb', 'ec2', 'kms', 'lambda', 'logs', 's3', 'sagemaker', 'sns', 'sqs']);
    // the management account used organizations and iam: not counted
    expect(row(rows, 'organizations')?.TotalAuthenticatedEntities).toBe(0);
    expect(row(rows, 's3')).toMatchObject({ TotalAuthenticatedEntities: 5, EntityPath: `${ORG}/${ROOT}/${SANDBOX}/${SANDBOX_NEW}` });
  });

  it('an OU below an allow-list: only the services every level allows, usage of the accounts below', async () => {
    const rows = await report(`${ORG}/${ROOT}/${WORKLOADS}/${PROD}`);
    expect(rows.map((r) => r.ServiceNamespace).sort()).toEqual(ALLOWED);
    expect(used(rows)).toEqual(['cloudwatch', 'dynamodb', 'ec2', 'kms', 'lambda', 'logs', 's3', 'sqs']);
    expect(row(rows, 'kms')).toMatchObject({ Region: 'eu-west-1', EntityPath: `${ORG}/${ROOT}/${WORKLOADS}/${PROD}/${PROD_APP}` });
  });

  it('an account path: that account only', async () => {
    const rows = await report(`${ORG}/${ROOT}/${SANDBOX}/${SANDBOX_NEW}`);
    expect(used(rows)).toEqual(['s3', 'sagemaker']);
  });

  it("the management account's own path: every service, its own usage only, a policy id ignored", async () => {
    const all = await report(`${ORG}/${ROOT}`);
    for (const policy of [undefined, ALLOW_LIST]) {
      const rows = await report(`${ORG}/${ROOT}/${MGMT}`, policy);
      expect(rows.length).toBe(all.length);
      expect(used(rows)).toEqual(['iam', 'organizations', 's3']);
    }
  });

  it('root with the policy id: the services the SCP allows, usage of every account it applies to', async () => {
    const rows = await report(`${ORG}/${ROOT}`, ALLOW_LIST);
    expect(rows.map((r) => r.ServiceNamespace).sort()).toEqual(ALLOWED);
    // workloads' three accounts; sandbox's use of s3 and ec2 is not the SCP's
    expect(used(rows)).toEqual(['cloudwatch', 'dynamodb', 'ec2', 'kms', 'lambda', 'logs', 's3', 'sns', 'sqs']);
    expect(row(rows, 's3')?.TotalAuthenticatedEntities).toBe(3);
    expect(row(rows, 'kinesis')?.TotalAuthenticatedEntities).toBe(0);
  });

  it('the OU the SCP is attached to, with its id: the same data', async () => {
    expect(await report(`${ORG}/${ROOT}/${WORKLOADS}`, ALLOW_LIST)).toEqual(await report(`${ORG}/${ROOT}`, ALLOW_LIST));
  });

  it('an OU below the attachment, with the policy id: the services with no data at all (the trap)', async () => {
    const rows = await report(`${ORG}/${ROOT}/${WORKLOADS}/${PROD}`, ALLOW_LIST);
    expect(rows.map((r) => r.ServiceNamespace).sort()).toEqual(ALLOWED);
    expect(used(rows)).toEqual([]);
    expect(rows.every((r) => r.TotalAuthenticatedEntities === 0 && r.EntityPath === undefined)).toBe(true);
  });

  it('a path whose segments do not nest, and an unknown policy id: NoSuchEntity; a malformed path: InvalidInput', async () => {
    const wrong = await sdkError(iam.send(new GenerateOrganizationsAccessReportCommand({ EntityPath: `${ORG}/${ROOT}/${PROD}` })));
    expect(wrong.name).toBe('NoSuchEntityException');
    const policy = await sdkError(
      iam.send(new GenerateOrganizationsAccessReportCommand({ EntityPath: `${ORG}/${ROOT}`, OrganizationsPolicyId: 'p-nosuchpol1' })),
    );
    expect(policy.name).toBe('NoSuchEntityException');
    const bad = await sdkError(iam.send(new GenerateOrganizationsAccessReportCommand({ EntityPath: 'o-x/r-y' })));
    expect(bad.name).toBe('InvalidInputException');
  });

  it('a job failing on its entity path: FAILED with ErrorDetails', async () => {
    const failing = await startEmulator({ fixture: demo(), faults: { jobCompletionMs: 0, failJobs: [`${ORG}/${ROOT}`] } });
    try {
      const client = iamClient(failing);
      const { JobId } = await client.send(new GenerateOrganizationsAccessReportCommand({ EntityPath: `${ORG}/${ROOT}` }));
      const out = await client.send(new GetOrganizationsAccessReportCommand({ JobId }));
      expect(out.JobStatus).toBe('FAILED');
      expect(out.ErrorDetails?.Code).toBe('ServiceFailure');
    } finally {
      await failing.stop();
    }
  });
});
