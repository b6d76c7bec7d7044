import {
  GetAccountAuthorizationDetailsCommand,
  GetGroupPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupPoliciesCommand,
  ListGroupsForUserCommand,
  ListRolePoliciesCommand,
  ListUserPoliciesCommand,
  type EntityType,
  type GetAccountAuthorizationDetailsCommandOutput,
  type IAMClient,
  type PolicyDetail,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorFixture, type RunningEmulator } from '../../emulator/index.js';
import { ACCOUNT, drain, iamClient, sdkError, smallAccount } from './helpers.js';

const UNUSED_AWS = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';
const BOUNDARY_ONLY_AWS = 'arn:aws:iam::aws:policy/PowerUserAccess';

/**
 * The small account plus an AWS-managed policy nobody uses (GAAD must leave it out), one used only as a user's
 * permissions boundary (GAAD lists it), a user with an inline policy, and an idle customer-managed policy (listed).
 */
function fixture(): EmulatorFixture {
  const f = smallAccount();
  f.policies?.push(
    { arn: UNUSED_AWS, document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }] } },
    { arn: BOUNDARY_ONLY_AWS, document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }] } },
    { name: 'idle-local', document: '{ "Version": "2012-10-17", "Statement": [] }' },
  );
  f.users?.push({
    name: 'carol',
    groups: ['developers'],
    permissionsBoundaryArn: BOUNDARY_ONLY_AWS,
    tags: { team: 'data' },
    inlinePolicies: [{ name: 'self', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] } }],
  });
  return f;
}

type Gaad = Omit<GetAccountAuthorizationDetailsCommandOutput, '$metadata' | 'IsTruncated' | 'Marker'>;

async function readAll(iam: IAMClient, filter?: EntityType[]): Promise<{ all: Required<Gaad>; sizes: number[] }> {
  const merged: Required<Gaad> = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] };
  const { sizes } = await drain(async (Marker) => {
    const out = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: filter, Marker }));
    merged.UserDetailList.push(...(out.UserDetailList ?? []));
    merged.GroupDetailList.push(...(out.GroupDetailList ?? []));
    merged.RoleDetailList.push(...(out.RoleDetailList ?? []));
    merged.Policies.push(...(out.Policies ?? []));
    const n = (out.UserDetailList?.length ?? 0) + (out.GroupDetailList?.length ?? 0) + (out.RoleDetailList?.length ?? 0) + (out.Policies?.length ?? 0);
    return { items: Array.from({ length: n }), IsTruncated: out.IsTruncated, Marker: out.Marker };
  });
  return { all: merged, sizes };
}

/** GAAD's inline list has the listing's names in its order, each document the raw string Get*Policy returns */
async function sameInline(
  list: PolicyDetail[] | undefined,
  names: string[] | undefined,
  get: (name: string | undefined) => Promise<string | undefined>,
): Promise<void> {
  expect(list?.map((p) => p.PolicyName)).toEqual(names);
  for (const p of list ?? []) expect(p.PolicyDocument).toBe(await get(p.PolicyName));
}

let emulator: RunningEmulator;
let paged: RunningEmulator;
let iam: IAMClient;
let iamPaged: IAMClient;
let full: Required<Gaad>;
beforeAll(async () => {
  [emulator, paged] = await Promise.all([
    startEmulator({ fixture: fixture() }),
    startEmulator({ fixture: fixture(), pageSize: { GetAccountAuthorizationDetails: 1 } }),
  ]);
  iam = iamClient(emulator);
  iamPaged = iamClient(paged);
  const out = await iam.send(new GetAccountAuthorizationDetailsCommand({}));
  expect(out.IsTruncated).toBe(false);
  full = {
    UserDetailList: out.UserDetailList ?? [],
    GroupDetailList: out.GroupDetailList ?? [],
    RoleDetailList: out.RoleDetailList ?? [],
    Policies: out.Policies ?? [],
  };
});
afterAll(() => Promise.all([emulator.stop(), paged.stop()]));

describe('GetAccountAuthorizationDetails', () => {
  it('lists every principal by name and every customer-managed policy, but only the AWS-managed ones in use', () => {
    expect(full.UserDetailList.map((u) => u.UserName)).toEqual(['alice', 'bob', 'carol']);
    expect(full.GroupDetailList.map((g) => g.GroupName)).toEqual(['developers']);
    expect(full.RoleDetailList.map((r) => r.RoleName)).toEqual(['app-role', 'idle-role']);
    expect(full.Policies.map((p) => p.Arn)).toEqual([
      'arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess',
      'arn:aws:iam::aws:policy/PowerUserAccess',
      `arn:aws:iam::${ACCOUNT}:policy/boundaries/app-boundary`,
      `arn:aws:iam::${ACCOUNT}:policy/app-ec2`,
      `arn:aws:iam::${ACCOUNT}:policy/idle-local`,
    ]);
    expect(full.Policies.map((p) => p.Arn)).not.toContain(UNUSED_AWS);
  });

  it('a role detail carries the members of the model, the trust policy encoded as GetRole encodes it', async () => {
    const role = full.RoleDetailList.find((r) => r.RoleName === 'app-role');
    const got = await iam.send(new GetRoleCommand({ RoleName: 'app-role' }));
    expect(Object.keys(role ?? {}).sort()).toEqual(
      ['Arn', 'AssumeRolePolicyDocument', 'AttachedManagedPolicies', 'CreateDate', 'InstanceProfileList', 'Path',
        'PermissionsBoundary', 'RoleId', 'RoleLastUsed', 'RoleName', 'RolePolicyList', 'Tags'].sort(),
    );
    expect(role).toMatchObject({
      Path: '/service/',
      RoleId: got.Role?.RoleId,
      Arn: got.Role?.Arn,
      CreateDate: new Date('2024-01-15T09:30:00Z'),
      AssumeRolePolicyDocument: got.Role?.AssumeRolePolicyDocument,
      InstanceProfileList: [],
      PermissionsBoundary: {
        PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
        PermissionsBoundaryArn: `arn:aws:iam::${ACCOUNT}:policy/boundaries/app-boundary`,
      },
      Tags: got.Role?.Tags,
      RoleLastUsed: got.Role?.RoleLastUsed,
    });
  });

  it('inline and attached policies of each role, user and group are what the per-principal calls return, byte for byte', async () => {
    for (const r of full.RoleDetailList) {
      const RoleName = r.RoleName;
      const names = (await iam.send(new ListRolePoliciesCommand({ RoleName }))).PolicyNames;
      await sameInline(r.RolePolicyList, names, async (PolicyName) =>
        (await iam.send(new GetRolePolicyCommand({ RoleName, PolicyName }))).PolicyDocument);
      expect(r.AttachedManagedPolicies).toEqual((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName }))).AttachedPolicies);
    }
    for (const u of full.UserDetailList) {
      const UserName = u.UserName;
      const names = (await iam.send(new ListUserPoliciesCommand({ UserName }))).PolicyNames;
      await sameInline(u.UserPolicyList, names, async (PolicyName) =>
        (await iam.send(new GetUserPolicyCommand({ UserName, PolicyName }))).PolicyDocument);
      expect(u.AttachedManagedPolicies).toEqual((await iam.send(new ListAttachedUserPoliciesCommand({ UserName }))).AttachedPolicies);
      const groups = await iam.send(new ListGroupsForUserCommand({ UserName }));
      expect(u.GroupList).toEqual(groups.Groups?.map((g) => g.GroupName));
    }
    for (const g of full.GroupDetailList) {
      const GroupName = g.GroupName;
      const names = (await iam.send(new ListGroupPoliciesCommand({ GroupName }))).PolicyNames;
      await sameInline(g.GroupPolicyList, names, async (PolicyName) =>
        (await iam.send(new GetGroupPolicyCommand({ GroupName, PolicyName }))).PolicyDocument);
      expect(g.AttachedManagedPolicies).toEqual((await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName }))).AttachedPolicies);
    }
  });

  it('a user detail: groups, inline policy, boundary and tags', () => {
    const carol = full.UserDetailList.find((u) => u.UserName === 'carol');
    expect(carol).toMatchObject({
      Path: '/',
      Arn: `arn:aws:iam::${ACCOUNT}:user/carol`,
      GroupList: ['developers'],
      AttachedManagedPolicies: [],
      PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: BOUNDARY_ONLY_AWS },
      Tags: [{ Key: 'team', Value: 'data' }],
    });
    const doc = JSON.parse(decodeURIComponent(carol?.UserPolicyList?.[0]?.PolicyDocument ?? '')) as unknown;
    expect(doc).toEqual({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] });
  });

  it('every version of every policy, newest first, documents byte-identical to GetPolicyVersion; counts as GetPolicy', async () => {
    const ec2 = full.Policies.find((p) => p.PolicyName === 'app-ec2');
    expect(ec2).toMatchObject({ DefaultVersionId: 'v2', AttachmentCount: 2, PermissionsBoundaryUsageCount: 0, IsAttachable: true });
    expect(ec2?.PolicyVersionList?.map((v) => [v.VersionId, v.IsDefaultVersion])).toEqual([
      ['v2', true],
      ['v1', false],
    ]);
    const boundaryOnly = full.Policies.find((p) => p.Arn === BOUNDARY_ONLY_AWS);
    expect(boundaryOnly).toMatchObject({ AttachmentCount: 0, PermissionsBoundaryUsageCount: 1 });
    for (const p of full.Policies) {
      for (const v of p.PolicyVersionList ?? []) {
        const one = await iam.send(new GetPolicyVersionCommand({ PolicyArn: p.Arn, VersionId: v.VersionId }));
        expect(v.Document).toBe(one.PolicyVersion?.Document);
        expect(v.CreateDate).toEqual(one.PolicyVersion?.CreateDate);
      }
    }
    const idle = full.Policies.find((p) => p.PolicyName === 'idle-local');
    expect(decodeURIComponent(idle?.PolicyVersionList?.[0]?.Document ?? '')).toBe('{ "Version": "2012-10-17", "Statement": [] }');
  });

  it('1-item pages return every item exactly once, in the same order as one page', async () => {
    const { all, sizes } = await readAll(iamPaged);
    const total = full.UserDetailList.length + full.GroupDetailList.length + full.RoleDetailList.length + full.Policies.length;
    expect(sizes).toEqual(Array.from({ length: total }, () => 1));
    expect(all).toEqual(full);
  });

  it('MaxItems counts items across the lists', async () => {
    const out = await iam.send(new GetAccountAuthorizationDetailsCommand({ MaxItems: 4 }));
    expect(out.UserDetailList?.map((u) => u.UserName)).toEqual(['alice', 'bob', 'carol']);
    expect(out.GroupDetailList?.map((g) => g.GroupName)).toEqual(['developers']);
    expect(out.RoleDetailList).toEqual([]);
    expect(out.IsTruncated).toBe(true);
    const next = await iam.send(new GetAccountAuthorizationDetailsCommand({ MaxItems: 4, Marker: out.Marker }));
    expect(next.RoleDetailList?.map((r) => r.RoleName)).toEqual(['app-role', 'idle-role']);
    expect(next.Policies?.length).toBe(2);
  });

  it.each([
    [['Role'], { roles: 2, users: 0, groups: 0, policies: 0 }],
    [['User', 'Group'], { roles: 0, users: 3, groups: 1, policies: 0 }],
    [['LocalManagedPolicy'], { roles: 0, users: 0, groups: 0, policies: 3 }],
    [['AWSManagedPolicy'], { roles: 0, users: 0, groups: 0, policies: 2 }],
    [['LocalManagedPolicy', 'AWSManagedPolicy'], { roles: 0, users: 0, groups: 0, policies: 5 }],
  ] as [EntityType[], Record<string, number>][])('Filter %j, read in 1-item pages', async (filter, counts) => {
    const { all } = await readAll(iamPaged, filter);
    expect({
      roles: all.RoleDetailList.length,
      users: all.UserDetailList.length,
      groups: all.GroupDetailList.length,
      policies: all.Policies.length,
    }).toEqual(counts);
    // a filtered item is the same as the unfiltered one
    for (const r of all.RoleDetailList) expect(full.RoleDetailList).toContainEqual(r);
    for (const p of all.Policies) expect(full.Policies).toContainEqual(p);
    if (filter.includes('LocalManagedPolicy') !== filter.includes('AWSManagedPolicy')) {
      const aws = all.Policies.every((p) => p.Arn?.startsWith('arn:aws:iam::aws:'));
      expect(aws).toBe(filter.includes('AWSManagedPolicy'));
    }
  });

  it('an unknown filter value is a ValidationError', async () => {
    const err = await sdkError(iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Role', 'Bucket' as EntityType] })));
    expect(err).toMatchObject({ name: 'ValidationError', status: 400 });
    expect(err.message).toContain("Value '[Role, Bucket]' at 'filter' failed to satisfy constraint");
  });
});
