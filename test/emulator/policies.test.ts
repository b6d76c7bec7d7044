import {
  GenerateServiceLastAccessedDetailsCommand,
  GetPolicyCommand,
  GetServiceLastAccessedDetailsCommand,
  GetServiceLastAccessedDetailsWithEntitiesCommand,
  ListEntitiesForPolicyCommand,
  ListPolicyVersionsCommand,
  type IAMClient,
  type ListEntitiesForPolicyCommandInput,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorFixture, type RunningEmulator } from '../../emulator/index.js';
import { ACCOUNT, APP_ROLE_ARN, body, drain, iamClient, sdkError, smallAccount } from './helpers.js';

const APP_EC2 = `arn:aws:iam::${ACCOUNT}:policy/app-ec2`;
const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/boundaries/app-boundary`;
const SQS_READ = 'arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess';

/**
 * The small account, plus: app-ec2 also attached to group developers (alice, bob, and a new idle member carol), so
 * it reaches a role, a user directly and users through a group; a caller denied the two listing operations.
 */
function fixture(): EmulatorFixture {
  const f = smallAccount();
  const developers = f.groups?.find((g) => g.name === 'developers');
  developers?.attachedPolicies?.push(APP_EC2);
  // alice reaches app-ec2 only through the group; carol, a member too, never used anything
  f.users?.push({ name: 'carol', groups: ['developers'] });
  f.usage?.[`arn:aws:iam::${ACCOUNT}:user/alice`]?.push({ service: 'ec2', action: 'StopInstances', time: '2026-10-20T00:00:00Z' });
  f.callers?.push({ accessKeyId: 'AKIDNOLIST', arn: `arn:aws:iam::${ACCOUNT}:user/no-list`, denied: ['iam:ListEntitiesForPolicy', 'iam:ListPolicyVersions'] });
  return f;
}

let emulator: RunningEmulator;
let iam: IAMClient;
beforeAll(async () => {
  emulator = await startEmulator({ fixture: fixture() });
  iam = iamClient(emulator);
});
afterAll(() => emulator.stop());

async function entities(input: Omit<ListEntitiesForPolicyCommandInput, 'PolicyArn'> & { PolicyArn?: string }) {
  const out = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: APP_EC2, ...input }));
  return {
    groups: out.PolicyGroups?.map((g) => g.GroupName),
    users: out.PolicyUsers?.map((u) => u.UserName),
    roles: out.PolicyRoles?.map((r) => r.RoleName),
    IsTruncated: out.IsTruncated,
  };
}

describe('ListPolicyVersions', () => {
  it('lists every version newest first with IsDefaultVersion and CreateDate, no Document', async () => {
    const out = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: APP_EC2 }));
    expect(body(out)).toEqual({
      Versions: [
        { VersionId: 'v2', IsDefaultVersion: true, CreateDate: new Date('2025-03-02T10:00:00Z') },
        { VersionId: 'v1', IsDefaultVersion: false, CreateDate: new Date('2024-01-15T09:30:00Z') },
      ],
      IsTruncated: false,
    });
  });

  it('a policy given by its shorthand document has the one default version v1; AWS-managed ones are listed too', async () => {
    const boundary = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: BOUNDARY }));
    expect(boundary.Versions?.map((v) => [v.VersionId, v.IsDefaultVersion])).toEqual([['v1', true]]);
    const aws = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: SQS_READ }));
    expect(aws.Versions?.length).toBe(1);
  });

  it('MaxItems 1 pages one version at a time', async () => {
    const pages = await drain(async (Marker) => {
      const o = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: APP_EC2, MaxItems: 1, Marker }));
      return { items: o.Versions?.map((v) => v.VersionId) ?? [], IsTruncated: o.IsTruncated, Marker: o.Marker };
    });
    expect(pages).toEqual({ all: ['v2', 'v1'], sizes: [1, 1] });
  });

  it('GetPolicy agrees with the listing: DefaultVersionId is the default, UpdateDate the newest version', async () => {
    const { Policy } = await iam.send(new GetPolicyCommand({ PolicyArn: APP_EC2 }));
    const { Versions = [] } = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: APP_EC2 }));
    expect(Policy?.DefaultVersionId).toBe(Versions.find((v) => v.IsDefaultVersion)?.VersionId);
    expect(Policy?.UpdateDate).toEqual(Versions[0]?.CreateDate);
  });
});

describe('ListEntitiesForPolicy', () => {
  it('lists the groups, users and roles the policy is attached to, each by name', async () => {
    expect(await entities({})).toEqual({ groups: ['developers'], users: ['bob'], roles: ['app-role'], IsTruncated: false });
    const ids = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: APP_EC2 }));
    expect(ids.PolicyRoles?.[0]?.RoleId).toMatch(/^AROA[A-Z2-7]{17}$/);
    expect(ids.PolicyUsers?.[0]?.UserId).toMatch(/^AIDA/);
    expect(ids.PolicyGroups?.[0]?.GroupId).toMatch(/^AGPA/);
    // AttachmentCount counts the same attachments
    const { Policy } = await iam.send(new GetPolicyCommand({ PolicyArn: APP_EC2 }));
    expect(Policy?.AttachmentCount).toBe(3);
  });

  it('an AWS-managed policy: the entities of this account that attach it', async () => {
    expect(await entities({ PolicyArn: SQS_READ })).toEqual({ groups: ['developers'], users: [], roles: ['app-role'], IsTruncated: false });
  });

  it.each([
    ['Role', { groups: [], users: [], roles: ['app-role'] }],
    ['User', { groups: [], users: ['bob'], roles: [] }],
    ['Group', { groups: ['developers'], users: [], roles: [] }],
    // names no entity kind: nothing matches
    ['LocalManagedPolicy', { groups: [], users: [], roles: [] }],
  ] as const)('EntityFilter %s keeps that kind only', async (EntityFilter, expected) => {
    expect(await entities({ EntityFilter })).toEqual({ ...expected, IsTruncated: false });
  });

  it('PathPrefix filters on the entity path', async () => {
    expect(await entities({ PathPrefix: '/people/' })).toEqual({ groups: [], users: ['bob'], roles: [], IsTruncated: false });
    expect(await entities({ PathPrefix: '/service/' })).toMatchObject({ roles: ['app-role'], users: [] });
  });

  it('PolicyUsageFilter: a boundary is listed for PermissionsBoundary and without filter, not for PermissionsPolicy', async () => {
    const of = (PolicyUsageFilter?: 'PermissionsPolicy' | 'PermissionsBoundary') => entities({ PolicyArn: BOUNDARY, PolicyUsageFilter });
    expect((await of()).roles).toEqual(['app-role']);
    expect((await of('PermissionsBoundary')).roles).toEqual(['app-role']);
    expect(await of('PermissionsPolicy')).toEqual({ groups: [], users: [], roles: [], IsTruncated: false });
    expect((await entities({ PolicyUsageFilter: 'PermissionsBoundary' })).roles).toEqual([]);
  });

  it('MaxItems 1 pages one entity at a time across the three lists', async () => {
    const pages = await drain(async (Marker) => {
      const o = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: APP_EC2, MaxItems: 1, Marker }));
      const items = [...(o.PolicyGroups ?? []).map((g) => `group:${g.GroupName}`), ...(o.PolicyUsers ?? []).map((u) => `user:${u.UserName}`), ...(o.PolicyRoles ?? []).map((r) => `role:${r.RoleName}`)];
      return { items, IsTruncated: o.IsTruncated, Marker: o.Marker };
    });
    expect(pages).toEqual({ all: ['group:developers', 'user:bob', 'role:app-role'], sizes: [1, 1, 1] });
  });
});

describe('the report of a policy is the union over everyone it reaches', () => {
  const report = async (Arn: string) => {
    const { JobId } = await iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn, Granularity: 'ACTION_LEVEL' }));
    emulator.completeJobs();
    const out = await iam.send(new GetServiceLastAccessedDetailsCommand({ JobId }));
    const withEntities = (MaxItems?: number, Marker?: string) =>
      iam.send(new GetServiceLastAccessedDetailsWithEntitiesCommand({ JobId, ServiceNamespace: 'ec2', MaxItems, Marker }));
    return { out, withEntities };
  };
  const rowOf = (e: { EntityInfo?: { Name?: string; Type?: string }; LastAuthenticated?: Date }) =>
    [e.EntityInfo?.Name, e.EntityInfo?.Type, e.LastAuthenticated?.toISOString()];

  it('roles, users, and users through an attached group: each once, most recent first, never-used after', async () => {
    const { out, withEntities } = await report(APP_EC2);
    const ec2 = out.ServicesLastAccessed?.find((s) => s.ServiceNamespace === 'ec2');
    expect(ec2).toMatchObject({
      LastAuthenticated: new Date('2026-10-20T00:00:00Z'),
      LastAuthenticatedEntity: `arn:aws:iam::${ACCOUNT}:user/alice`,
      TotalAuthenticatedEntities: 3,
    });
    // alice's use counts though she holds the policy only through developers
    expect(ec2?.TrackedActionsLastAccessed?.find((a) => a.ActionName === 'StopInstances')?.LastAccessedEntity).toBe(
      `arn:aws:iam::${ACCOUNT}:user/alice`,
    );
    const all = await withEntities();
    // bob holds it directly and through the group: one row
    expect(all.EntityDetailsList?.map(rowOf)).toEqual([
      ['alice', 'USER', '2026-10-20T00:00:00.000Z'],
      ['bob', 'USER', '2026-10-13T00:00:00.000Z'],
      ['app-role', 'ROLE', '2026-09-01T00:00:00.000Z'],
      ['carol', 'USER', undefined],
    ]);
    const paged = await drain(async (Marker) => {
      const o = await withEntities(1, Marker);
      return { items: o.EntityDetailsList?.map((e) => e.EntityInfo?.Name) ?? [], IsTruncated: o.IsTruncated, Marker: o.Marker };
    });
    expect(paged).toEqual({ all: ['alice', 'bob', 'app-role', 'carol'], sizes: [1, 1, 1, 1] });
  });

  it('a permissions boundary is not an attachment: its report reaches no one', async () => {
    const { out } = await report(BOUNDARY);
    expect(out.ServicesLastAccessed?.every((s) => s.TotalAuthenticatedEntities === 0 && !s.LastAuthenticated)).toBe(true);
  });
});

describe('errors and faults of the policy listings', () => {
  const list = (c: IAMClient, PolicyArn: string) => [
    c.send(new ListEntitiesForPolicyCommand({ PolicyArn })),
    c.send(new ListPolicyVersionsCommand({ PolicyArn })),
  ];

  it('NoSuchEntity (404) for an unknown policy, InvalidInput (400) for a malformed ARN', async () => {
    for (const p of list(iam, `arn:aws:iam::${ACCOUNT}:policy/ghost`)) {
      expect(await sdkError(p)).toEqual({ name: 'NoSuchEntityException', message: `Policy arn:aws:iam::${ACCOUNT}:policy/ghost was not found.`, status: 404 });
    }
    for (const p of list(iam, APP_ROLE_ARN)) expect(await sdkError(p)).toMatchObject({ name: 'InvalidInputException', status: 400 });
  });

  it('ValidationError (400) for an EntityFilter, PolicyUsageFilter or PathPrefix outside the model', async () => {
    const bad = [
      { EntityFilter: 'Roles' },
      { PolicyUsageFilter: 'Boundary' },
      { PathPrefix: 'people' },
    ] as unknown as Omit<ListEntitiesForPolicyCommandInput, 'PolicyArn'>[];
    for (const input of bad) {
      const e = await sdkError(iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: APP_EC2, ...input })));
      expect(e).toMatchObject({ name: 'ValidationError', status: 400, message: expect.stringMatching(/^1 validation error detected: Value '/) });
    }
  });

  it('AccessDenied (403) names the operation and the policy ARN', async () => {
    const denied = iamClient(emulator, { accessKeyId: 'AKIDNOLIST' });
    const [entitiesDenied, versionsDenied] = await Promise.all(list(denied, APP_EC2).map(sdkError));
    expect(entitiesDenied).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(entitiesDenied?.message).toMatch(/perform: iam:ListEntitiesForPolicy on resource: arn:aws:iam::123456789012:policy\/app-ec2 /);
    expect(versionsDenied?.message).toMatch(/perform: iam:ListPolicyVersions on resource: arn:aws:iam::123456789012:policy\/app-ec2 /);
  });

  it.each([
    ['throttling', { throttleRate: 1 }, ['Throttling 400']],
    ['server errors', { serverErrorRate: 1 }, ['ServiceFailureException 500', 'ServiceUnavailable 503']],
  ] as const)('injected %s apply to them as to every operation', async (_kind, faults, expected) => {
    const faulty = await startEmulator({ fixture: fixture(), faults });
    try {
      for (const p of list(iamClient(faulty), APP_EC2)) {
        const e = await sdkError(p);
        expect(expected).toContain(`${e.name} ${e.status}`);
      }
      expect(faulty.stats().calls).toMatchObject({ ListEntitiesForPolicy: 1, ListPolicyVersions: 1 });
    } finally {
      await faulty.stop();
    }
  });
});
