import {
  GetPolicyCommand,
  GetRoleCommand,
  GetUserCommand,
  ListGroupsCommand,
  ListPoliciesCommand,
  ListRolesCommand,
  ListUsersCommand,
  type IAMClient,
  type ListPoliciesCommandInput,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorFixture, type RunningEmulator } from '../../emulator/index.js';
import { ACCOUNT, drain, iamClient, sdkError, smallAccount } from './helpers.js';

const UNUSED_AWS = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';

/** the small account plus an unused AWS-managed policy, an unused local one, and roles under two paths */
function fixture(): EmulatorFixture {
  const f = smallAccount();
  f.policies?.push({ arn: UNUSED_AWS, document: {} }, { name: 'Zeta-unused', path: '/team/', document: {} });
  f.roles?.push({ name: 'Batch', path: '/service/jobs/' }, { name: 'zz-top' });
  return f;
}

let emulator: RunningEmulator;
let paged: RunningEmulator;
let iam: IAMClient;
beforeAll(async () => {
  [emulator, paged] = await Promise.all([startEmulator({ fixture: fixture() }), startEmulator({ fixture: fixture(), pageSize: 1 })]);
  iam = iamClient(emulator);
});
afterAll(() => Promise.all([emulator.stop(), paged.stop()]));

describe('ListRoles, ListUsers, ListGroups', () => {
  it('ListRoles: every role by name in code-point order, the listing subset of GetRole (no boundary, tags, last use)', async () => {
    const out = await iam.send(new ListRolesCommand({}));
    expect(out.Roles?.map((r) => r.RoleName)).toEqual(['Batch', 'app-role', 'idle-role', 'zz-top']);
    const app = out.Roles?.find((r) => r.RoleName === 'app-role');
    const { PermissionsBoundary: _b, Tags: _t, RoleLastUsed: _l, ...listed } = (await iam.send(new GetRoleCommand({ RoleName: 'app-role' }))).Role ?? {};
    expect(app).toEqual(listed);
    expect(app?.MaxSessionDuration).toBe(3600);
    expect(out.IsTruncated).toBe(false);
  });

  it('PathPrefix selects by path; a malformed one is a ValidationError', async () => {
    const out = await iam.send(new ListRolesCommand({ PathPrefix: '/service/' }));
    expect(out.Roles?.map((r) => r.RoleName)).toEqual(['Batch', 'app-role']);
    const jobs = await iam.send(new ListRolesCommand({ PathPrefix: '/service/jobs/' }));
    expect(jobs.Roles?.map((r) => r.RoleName)).toEqual(['Batch']);
    const err = await sdkError(iam.send(new ListRolesCommand({ PathPrefix: 'service' })));
    expect(err).toMatchObject({ name: 'ValidationError', status: 400 });
  });

  it('ListUsers and ListGroups: the listing subset of GetUser / the group', async () => {
    const users = await iam.send(new ListUsersCommand({}));
    expect(users.Users?.map((u) => u.UserName)).toEqual(['alice', 'bob']);
    const { PermissionsBoundary: _b, Tags: _t, ...bob } = (await iam.send(new GetUserCommand({ UserName: 'bob' }))).User ?? {};
    expect(users.Users?.[1]).toEqual(bob);
    expect((await iam.send(new ListUsersCommand({ PathPrefix: '/people/' }))).Users?.map((u) => u.UserName)).toEqual(['bob']);
    const groups = await iam.send(new ListGroupsCommand({}));
    expect(groups.Groups).toEqual([
      expect.objectContaining({ GroupName: 'developers', Path: '/', Arn: `arn:aws:iam::${ACCOUNT}:group/developers` }),
    ]);
  });

  it('MaxItems/Marker and the page-size cap: every role exactly once', async () => {
    const p = iamClient(paged);
    const { all, sizes } = await drain(async (Marker) => {
      const out = await p.send(new ListRolesCommand({ Marker, MaxItems: 3 }));
      return { items: out.Roles ?? [], IsTruncated: out.IsTruncated, Marker: out.Marker };
    });
    expect(all.map((r) => r.RoleName)).toEqual(['Batch', 'app-role', 'idle-role', 'zz-top']);
    expect(sizes).toEqual([1, 1, 1, 1]);
  });
});

describe('ListPolicies', () => {
  const names = async (input: ListPoliciesCommandInput): Promise<(string | undefined)[] | undefined> =>
    (await iam.send(new ListPoliciesCommand(input))).Policies?.map((p) => p.PolicyName);

  it('Scope All (default) lists every declared policy, AWS-managed ones included, by name', async () => {
    expect(await names({})).toEqual(['AmazonS3ReadOnlyAccess', 'AmazonSQSReadOnlyAccess', 'Zeta-unused', 'app-boundary', 'app-ec2']);
    expect(await names({ Scope: 'All' })).toEqual(await names({}));
  });

  it('Scope AWS / Local, OnlyAttached, PathPrefix', async () => {
    expect(await names({ Scope: 'AWS' })).toEqual(['AmazonS3ReadOnlyAccess', 'AmazonSQSReadOnlyAccess']);
    expect(await names({ Scope: 'Local' })).toEqual(['Zeta-unused', 'app-boundary', 'app-ec2']);
    expect(await names({ OnlyAttached: true })).toEqual(['AmazonSQSReadOnlyAccess', 'app-ec2']);
    expect(await names({ Scope: 'Local', OnlyAttached: true })).toEqual(['app-ec2']);
    expect(await names({ PathPrefix: '/boundaries/' })).toEqual(['app-boundary']);
  });

  it('PolicyUsageFilter: boundaries only, or permissions policies only', async () => {
    expect(await names({ PolicyUsageFilter: 'PermissionsBoundary' })).toEqual(['app-boundary']);
    expect(await names({ PolicyUsageFilter: 'PermissionsPolicy' })).toEqual([
      'AmazonS3ReadOnlyAccess',
      'AmazonSQSReadOnlyAccess',
      'Zeta-unused',
      'app-ec2',
    ]);
  });

  it('each listed policy is GetPolicy without Tags', async () => {
    const listed = (await iam.send(new ListPoliciesCommand({ Scope: 'Local' }))).Policies ?? [];
    for (const p of listed) {
      const { Tags: _t, ...one } = (await iam.send(new GetPolicyCommand({ PolicyArn: p.Arn }))).Policy ?? {};
      expect(p).toEqual(one);
    }
  });

  it('an unknown Scope is a ValidationError naming the enum', async () => {
    const err = await sdkError(iam.send(new ListPoliciesCommand({ Scope: 'Mine' as 'All' })));
    expect(err).toMatchObject({ name: 'ValidationError', status: 400 });
    expect(err.message).toContain('[All, AWS, Local]');
  });
});
