import {
  GetGroupCommand,
  GetGroupPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupPoliciesCommand,
  ListGroupsForUserCommand,
  ListRolePoliciesCommand,
  ListUserPoliciesCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { DescribeOrganizationCommand, ListAccountsCommand, ListRootsCommand } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/index.js';
import { ACCOUNT, APP_ROLE_ARN, body, iamClient, KEYS, orgClient, sdkError, smallAccount, startSmall, stsClient } from './helpers.js';

let emulator: RunningEmulator;
let iam: IAMClient;

beforeAll(async () => {
  emulator = await startSmall({ faults: { jobCompletionMs: 0 } });
  iam = iamClient(emulator);
});
afterAll(() => emulator.stop());

const decode = (s: string | undefined): unknown => JSON.parse(decodeURIComponent(s ?? ''));

describe('IAM principals through the SDK', () => {
  it('GetRole returns the role with tags, boundary, last use and a URL-encoded trust policy', async () => {
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'app-role' }));
    expect(Role?.Arn).toBe(APP_ROLE_ARN);
    expect(Role?.Path).toBe('/service/');
    expect(Role?.CreateDate).toEqual(new Date('2024-01-15T09:30:00Z'));
    expect(Role?.RoleId).toMatch(/^AROA[A-Z2-7]{17}$/);
    expect(Role?.Tags).toEqual([
      { Key: 'team', Value: 'payments' },
      { Key: 'env', Value: 'prod' },
    ]);
    expect(Role?.PermissionsBoundary).toEqual({
      PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
      PermissionsBoundaryArn: `arn:aws:iam::${ACCOUNT}:policy/boundaries/app-boundary`,
    });
    expect(Role?.RoleLastUsed).toEqual({ LastUsedDate: new Date('2026-10-31T23:00:00Z'), Region: 'eu-west-1' });
    expect(Role?.AssumeRolePolicyDocument).toMatch(/^%7B/);
    expect(decode(Role?.AssumeRolePolicyDocument)).toMatchObject({ Version: '2012-10-17' });
  });

  it('role names are looked up case-insensitively, as IAM does', async () => {
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'APP-ROLE' }));
    expect(Role?.RoleName).toBe('app-role');
  });

  it('GetUser without UserName describes the calling user; role sessions must name one', async () => {
    const fixture = smallAccount();
    fixture.callers?.push({ accessKeyId: 'AKIDALICE', arn: `arn:aws:iam::${ACCOUNT}:user/alice` });
    const own = await startEmulator({ fixture });
    try {
      const { User } = await iamClient(own, { accessKeyId: 'AKIDALICE' }).send(new GetUserCommand({}));
      expect(User?.UserName).toBe('alice');
      const role = await sdkError(iamClient(own, { accessKeyId: KEYS.other }).send(new GetUserCommand({})));
      expect(role).toMatchObject({ name: 'ValidationError', status: 400 });
      const ghost = await sdkError(iamClient(own).send(new GetUserCommand({})));
      expect(ghost).toEqual({ name: 'NoSuchEntityException', message: 'The user with name auditor cannot be found.', status: 404 });
    } finally {
      await own.stop();
    }
  });

  it('GetUser, ListGroupsForUser and GetGroup describe a user with groups', async () => {
    const { User } = await iam.send(new GetUserCommand({ UserName: 'bob' }));
    expect(User?.Arn).toBe(`arn:aws:iam::${ACCOUNT}:user/people/bob`);
    const groups = await iam.send(new ListGroupsForUserCommand({ UserName: 'bob' }));
    expect(groups.Groups?.map((g) => g.GroupName)).toEqual(['developers']);
    expect(groups.IsTruncated).toBe(false);
    const group = await iam.send(new GetGroupCommand({ GroupName: 'developers' }));
    expect(group.Group?.Arn).toBe(`arn:aws:iam::${ACCOUNT}:group/developers`);
    expect(group.Users?.map((u) => u.UserName)).toEqual(['alice', 'bob']);
  });

  it('inline policies: listed in creation order, get returns the exact document URL-encoded', async () => {
    const list = await iam.send(new ListRolePoliciesCommand({ RoleName: 'app-role' }));
    expect(list.PolicyNames).toEqual(['storage', 'guardrails', 'iam-pass']);
    const got = await iam.send(new GetRolePolicyCommand({ RoleName: 'app-role', PolicyName: 'iam-pass' }));
    // a string document in the fixture comes back byte for byte (after decoding)
    expect(decodeURIComponent(got.PolicyDocument ?? '')).toBe(
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:PassRole","iam:GetRole","iam:ListRoles"],"Resource":"*"}]}',
    );
    const group = await iam.send(new ListGroupPoliciesCommand({ GroupName: 'developers' }));
    expect(group.PolicyNames).toEqual(['functions']);
    const gp = await iam.send(new GetGroupPolicyCommand({ GroupName: 'developers', PolicyName: 'functions' }));
    expect(decode(gp.PolicyDocument)).toMatchObject({ Statement: [{ Action: expect.arrayContaining(['lambda:GetFunction']) }] });
    const user = await iam.send(new ListUserPoliciesCommand({ UserName: 'alice' }));
    expect(user.PolicyNames).toEqual([]);
    const missing = await sdkError(iam.send(new GetUserPolicyCommand({ UserName: 'alice', PolicyName: 'x' })));
    expect(missing).toEqual({ name: 'NoSuchEntityException', message: 'The user policy with name x cannot be found.', status: 404 });
  });

  it('attached policies, GetPolicy with computed AttachmentCount, GetPolicyVersion of the default version', async () => {
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'app-role' }));
    expect(attached.AttachedPolicies).toEqual([
      { PolicyName: 'AmazonSQSReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess' },
      { PolicyName: 'app-ec2', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/app-ec2` },
    ]);
    const userAttached = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'bob' }));
    expect(userAttached.AttachedPolicies?.map((p) => p.PolicyName)).toEqual(['app-ec2']);
    const groupAttached = await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: 'developers' }));
    expect(groupAttached.AttachedPolicies?.map((p) => p.PolicyName)).toEqual(['AmazonSQSReadOnlyAccess']);

    const { Policy } = await iam.send(new GetPolicyCommand({ PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/app-ec2` }));
    expect(Policy).toMatchObject({ PolicyName: 'app-ec2', DefaultVersionId: 'v2', AttachmentCount: 2, IsAttachable: true, PermissionsBoundaryUsageCount: 0 });
    // UpdateDate is the newest version's CreateDate (IAM's GetPolicy documentation), CreateDate the policy's
    expect([Policy?.CreateDate, Policy?.UpdateDate]).toEqual([new Date('2024-01-15T09:30:00Z'), new Date('2025-03-02T10:00:00Z')]);
    const aws = await iam.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess' }));
    expect(aws.Policy?.AttachmentCount).toBe(2);
    const boundary = await iam.send(
      new GetPolicyCommand({ PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/boundaries/app-boundary` }),
    );
    expect(boundary.Policy).toMatchObject({ Path: '/boundaries/', AttachmentCount: 0, PermissionsBoundaryUsageCount: 1 });

    const { PolicyVersion } = await iam.send(
      new GetPolicyVersionCommand({ PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/app-ec2`, VersionId: 'v2' }),
    );
    expect(PolicyVersion).toMatchObject({ VersionId: 'v2', IsDefaultVersion: true, CreateDate: new Date('2025-03-02T10:00:00Z') });
    expect(decode(PolicyVersion?.Document)).toMatchObject({ Statement: [{ Action: ['ec2:DescribeInstances', 'ec2:StartInstances', 'ec2:StopInstances'] }] });
    const v1 = await iam.send(new GetPolicyVersionCommand({ PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/app-ec2`, VersionId: 'v1' }));
    expect(v1.PolicyVersion?.IsDefaultVersion).toBe(false);
  });

  it('NoSuchEntity (404) for a missing role, policy and version; InvalidInput (400) for a malformed ARN', async () => {
    expect(await sdkError(iam.send(new GetRoleCommand({ RoleName: 'ghost' })))).toEqual({
      name: 'NoSuchEntityException',
      message: 'The role with name ghost cannot be found.',
      status: 404,
    });
    const policy = await sdkError(iam.send(new GetPolicyCommand({ PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/ghost` })));
    expect(policy).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
    const version = await sdkError(
      iam.send(new GetPolicyVersionCommand({ PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/app-ec2`, VersionId: 'v9' })),
    );
    expect(version).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
    const bad = await sdkError(iam.send(new GetPolicyCommand({ PolicyArn: 'not-an-arn' })));
    expect(bad).toMatchObject({ name: 'InvalidInputException', status: 400 });
  });

  it('AccessDenied (403) names the caller, the action and the resource, for denied operations only', async () => {
    const limited = iamClient(emulator, { accessKeyId: KEYS.limited });
    const arn = `arn:aws:iam::${ACCOUNT}:policy/app-ec2`;
    const denied = await sdkError(limited.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' })));
    expect(denied.status).toBe(403);
    expect(denied.name).toBe('AccessDenied');
    expect(denied.message).toMatch(
      new RegExp(`^User: arn:aws:iam::${ACCOUNT}:user/limited is not authorized to perform: iam:GetPolicyVersion on resource: ${arn}`),
    );
    await expect(limited.send(new GetPolicyCommand({ PolicyArn: arn }))).resolves.toBeDefined();
  });
});

describe('STS and Organizations through the SDK', () => {
  it('GetCallerIdentity answers from the access key: known callers and the default one', async () => {
    const other = await stsClient(emulator, { accessKeyId: KEYS.other }).send(new GetCallerIdentityCommand({}));
    expect(body(other)).toEqual({
      Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Inspector/session-1`,
      Account: ACCOUNT,
      UserId: expect.stringMatching(/^AROA[A-Z2-7]{17}:session-1$/),
    });
    const unknown = await stsClient(emulator, { accessKeyId: KEYS.unknown }).send(new GetCallerIdentityCommand({}));
    expect(unknown.Arn).toBe(`arn:aws:iam::${ACCOUNT}:user/emulator-default`);

    // a session of a role the account holds carries that role's RoleId
    const fixture = smallAccount();
    fixture.callers?.push({ accessKeyId: 'AKIDAPP', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/app-role/s1` });
    const own = await startEmulator({ fixture });
    try {
      const me = await stsClient(own, { accessKeyId: 'AKIDAPP' }).send(new GetCallerIdentityCommand({}));
      const { Role } = await iamClient(own).send(new GetRoleCommand({ RoleName: 'app-role' }));
      expect(me.UserId).toBe(`${Role?.RoleId}:s1`);
    } finally {
      await own.stop();
    }
  });

  it('Organizations JSON 1.1: DescribeOrganization, ListRoots, ListAccounts (paginated), AccessDenied', async () => {
    const org = orgClient(emulator);
    const { Organization } = await org.send(new DescribeOrganizationCommand({}));
    expect(Organization).toMatchObject({ Id: 'o-exampleorg1', MasterAccountId: ACCOUNT, FeatureSet: 'ALL' });
    const roots = await org.send(new ListRootsCommand({}));
    expect(roots.Roots?.[0]?.Id).toBe('r-ab12');
    const first = await org.send(new ListAccountsCommand({ MaxResults: 2 }));
    expect(first.Accounts?.map((a) => a.Id)).toEqual(['123456789012', '210987654321']);
    expect(first.Accounts?.[1]?.JoinedTimestamp).toEqual(new Date('2021-05-01T00:00:00Z'));
    const second = await org.send(new ListAccountsCommand({ MaxResults: 2, NextToken: first.NextToken }));
    expect(second.Accounts?.map((a) => a.Id)).toEqual(['111122223333']);
    expect(second.NextToken).toBeUndefined();
    const denied = await sdkError(orgClient(emulator, { accessKeyId: KEYS.limited }).send(new DescribeOrganizationCommand({})));
    expect(denied).toMatchObject({ name: 'AccessDeniedException', status: 403 });
  });
});
