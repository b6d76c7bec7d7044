import {
  GenerateServiceLastAccessedDetailsCommand,
  GetAccountAuthorizationDetailsCommand,
  GetPolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetServiceLastAccessedDetailsCommand,
  ListGroupsForUserCommand,
  ListRolesCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixtureError, startEmulator, type EmulatorFixture, type RunningEmulator } from '../../emulator/index.js';
import { ACCOUNT, drain, iamClient } from './helpers.js';

const SHARED = `arn:aws:iam::${ACCOUNT}:policy/shared`;
const S3_READ = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListAllMyBuckets'], Resource: '*' }] };

/** one declared role, 200 generated ones under /apps/ sharing a policy and usage, users in generated groups */
function fixture(): EmulatorFixture {
  return {
    accountId: ACCOUNT,
    now: '2026-11-01T12:00:00Z',
    policies: [{ name: 'shared', document: S3_READ }],
    roles: [{ name: 'declared', attachedPolicies: [SHARED] }],
    groups: [{ name: 'admins' }],
    generate: {
      roles: [
        {
          count: 200,
          name: 'app-{i}',
          pad: 3,
          path: '/apps/',
          createDate: '2025-01-01T00:00:00Z',
          attachedPolicies: [SHARED],
          inlinePolicies: [{ name: 'own', document: S3_READ }],
          usage: [{ service: 's3', action: 'ListAllMyBuckets', time: '2026-10-01T00:00:00Z' }],
        },
      ],
      groups: [{ count: 2, name: 'team-{i}' }],
      users: [{ count: 3, name: 'dev{i}', groups: ['team-1', 'admins'] }],
    },
  };
}

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ fixture: fixture(), faults: { jobCompletionMs: 0 }, pageSize: 1000 });
});
afterAll(() => emulator.stop());

describe('principals from templates', () => {
  it('200 generated roles are listed with the declared one, names zero-padded, each by name', async () => {
    const iam = iamClient(emulator);
    const { all } = await drain(async (Marker) => {
      const out = await iam.send(new ListRolesCommand({ Marker }));
      return { items: out.Roles ?? [], IsTruncated: out.IsTruncated, Marker: out.Marker };
    });
    expect(all).toHaveLength(201);
    expect(all.map((r) => r.RoleName).slice(0, 3)).toEqual(['app-000', 'app-001', 'app-002']);
    expect(all.at(-2)?.RoleName).toBe('app-199');
    expect(all.at(-1)?.RoleName).toBe('declared');
    expect(all[7]).toMatchObject({ Path: '/apps/', Arn: `arn:aws:iam::${ACCOUNT}:role/apps/app-007`, CreateDate: new Date('2025-01-01T00:00:00Z') });
  });

  it('a generated role behaves as a declared one: GetRole, its inline policy, attachment counts, GAAD', async () => {
    const iam = iamClient(emulator);
    const role = await iam.send(new GetRoleCommand({ RoleName: 'app-042' }));
    expect(role.Role?.RoleLastUsed).toEqual({ LastUsedDate: new Date('2026-10-01T00:00:00Z'), Region: 'us-east-1' });
    const inline = await iam.send(new GetRolePolicyCommand({ RoleName: 'app-042', PolicyName: 'own' }));
    expect(JSON.parse(decodeURIComponent(inline.PolicyDocument ?? ''))).toEqual(S3_READ);
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: SHARED }))).Policy?.AttachmentCount).toBe(201);
    const gaad = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Role'], MaxItems: 1000 }));
    expect(gaad.RoleDetailList).toHaveLength(201);
  });

  it("a generated role's usage feeds its access report", async () => {
    const iam = iamClient(emulator);
    const { JobId } = await iam.send(
      new GenerateServiceLastAccessedDetailsCommand({ Arn: `arn:aws:iam::${ACCOUNT}:role/apps/app-199`, Granularity: 'ACTION_LEVEL' }),
    );
    const report = await iam.send(new GetServiceLastAccessedDetailsCommand({ JobId }));
    const s3 = report.ServicesLastAccessed?.find((s) => s.ServiceNamespace === 's3');
    expect(s3?.LastAuthenticatedEntity).toBe(`arn:aws:iam::${ACCOUNT}:role/apps/app-199`);
    expect(s3?.TrackedActionsLastAccessed?.find((a) => a.ActionName === 'ListAllMyBuckets')?.LastAccessedTime).toEqual(
      new Date('2026-10-01T00:00:00Z'),
    );
  });

  it('generated users join declared and generated groups', async () => {
    const out = await iamClient(emulator).send(new ListGroupsForUserCommand({ UserName: 'dev2' }));
    expect(out.Groups?.map((g) => g.GroupName)).toEqual(['team-1', 'admins']);
  });
});

describe('template errors', () => {
  const base = (generate: EmulatorFixture['generate'], roles: EmulatorFixture['roles'] = []): EmulatorFixture => ({
    accountId: ACCOUNT,
    now: '2026-11-01T12:00:00Z',
    roles,
    generate,
  });

  it.each([
    [base({ roles: [{ count: 12, name: 'app-{i}' }] }, [{ name: 'APP-11' }]), /generate\.roles\[0\] makes role app-11, which collides with declared role APP-11 \(roles\)/],
    [base({ roles: [{ count: 3, name: 'x{i}' }, { count: 2, name: 'x{i}', pad: 1 }] }), /generate\.roles\[1\] makes role x0, which collides with role x0 of generate\.roles\[0\]/],
    [base({ roles: [{ count: 2, name: 'same' }] }), /generate\.roles\[0\] makes role same, which collides with role same of generate\.roles\[0\]/],
    [base({ users: [{ count: 1, name: 'u{i}', groups: ['nope'] }] }), /user u0 is in group nope, which is not declared/],
  ])('a collision or a broken reference stops the start with one line (%#)', async (f, message) => {
    const err = await startEmulator({ fixture: f }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(FixtureError);
    expect((err as Error).message).toMatch(message);
  });

  it('the schema checks the template fields', async () => {
    await expect(startEmulator({ fixture: base({ roles: [{ count: 0, name: 'a{i}' }] }) })).rejects.toThrow(/generate\/roles\/0\/count must be >= 1/);
    await expect(startEmulator({ fixture: base({ roles: [{ name: 'a{i}' } as never] }) })).rejects.toThrow(/required property 'count'/);
  });
});
