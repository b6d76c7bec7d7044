import {
  GenerateServiceLastAccessedDetailsCommand,
  GetGroupCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetUserCommand,
  ListEntitiesForPolicyCommand,
  ListPolicyVersionsCommand,
  type ListEntitiesForPolicyCommandOutput,
} from '@aws-sdk/client-iam';
import { afterEach, describe, expect, it } from 'vitest';
import { collectSnapshot } from '../../src/collect/collect-snapshot.js';
import {
  ACCOUNT,
  ALLOW_S3,
  COMPLETED,
  failure,
  GetServiceLastAccessedDetailsCommand,
  mockedClients,
  sdkError,
  urlEncoded,
  type MockedClients,
} from './mock-clients.js';

const POLICY_ARN = `arn:aws:iam::${ACCOUNT}:policy/shared`;
const CREATED = new Date('2025-01-01T00:00:00Z');

let m: MockedClients;
afterEach(() => {
  m.iam.restore();
  m.sts.restore();
});

const collectPolicy = () =>
  collectSnapshot({ subject: { type: 'managed-policy', arn: POLICY_ARN }, clients: m.clients, pollIntervalMs: 1 });


const role = (name: string) => ({ RoleName: name, Arn: `arn:aws:iam::${ACCOUNT}:role/${name}`, Path: '/', RoleId: `AROA${name.toUpperCase()}`, CreateDate: CREATED });
const user = (name: string) => ({ UserName: name, Arn: `arn:aws:iam::${ACCOUNT}:user/${name}`, Path: '/', UserId: `AIDA${name.toUpperCase()}`, CreateDate: CREATED });

/** policy `shared`, one version, attached as the test lists it; a report with no used service */
function mockPolicy(): MockedClients {
  const mocked = mockedClients();
  mocked.iam.on(GetPolicyCommand).resolves({
    Policy: { PolicyName: 'shared', Arn: POLICY_ARN, Path: '/', DefaultVersionId: 'v1', AttachmentCount: 1, PermissionsBoundaryUsageCount: 0, CreateDate: CREATED },
  });
  mocked.iam.on(GetPolicyVersionCommand).resolves({ PolicyVersion: { VersionId: 'v1', IsDefaultVersion: true, Document: urlEncoded(ALLOW_S3), CreateDate: CREATED } });
  mocked.iam.on(ListPolicyVersionsCommand).resolves({ Versions: [{ VersionId: 'v1', IsDefaultVersion: true, CreateDate: CREATED }], IsTruncated: false });
  mocked.iam.on(GenerateServiceLastAccessedDetailsCommand).resolves({ JobId: 'job-1' });
  mocked.iam.on(GetServiceLastAccessedDetailsCommand).resolves({ ...COMPLETED, ServicesLastAccessed: [{ ServiceName: 'Amazon S3', ServiceNamespace: 's3', TotalAuthenticatedEntities: 0 }] });
  return mocked;
}

describe('collector, a managed policy, SDK stubbed at the client', () => {
  it('lists entities as a permissions policy only, 1000 a page, following the Marker', async () => {
    m = mockPolicy();
    m.iam
      .on(ListEntitiesForPolicyCommand, { Marker: undefined })
      .resolves({ PolicyRoles: [{ RoleName: 'b' }], IsTruncated: true, Marker: 'e1' })
      .on(ListEntitiesForPolicyCommand, { Marker: 'e1' })
      .resolves({ PolicyRoles: [{ RoleName: 'a' }], PolicyUsers: [{ UserName: 'u' }], IsTruncated: false });
    m.iam.on(GetRoleCommand, { RoleName: 'a' }).resolves({ Role: role('a') }).on(GetRoleCommand, { RoleName: 'b' }).resolves({ Role: role('b') });
    m.iam.on(GetUserCommand).resolves({ User: user('u') });
    const snapshot = await collectPolicy();
    for (const call of m.iam.commandCalls(ListEntitiesForPolicyCommand)) {
      expect(call.args[0].input).toMatchObject({ PolicyArn: POLICY_ARN, PolicyUsageFilter: 'PermissionsPolicy', MaxItems: 1000 });
    }
    expect(m.iam.commandCalls(ListEntitiesForPolicyCommand)).toHaveLength(2);
    if (snapshot.subject.Kind !== 'managed-policy') throw new Error('expected a managed-policy subject');
    expect(snapshot.subject.attachedEntities.map((e) => `${e.Type}:${e.Name}`)).toEqual(['role:a', 'role:b', 'user:u']);
  });

  it("pages through a group's members and sorts them by name", async () => {
    m = mockPolicy();
    m.iam.on(ListEntitiesForPolicyCommand).resolves({ PolicyGroups: [{ GroupName: 'team' }], IsTruncated: false });
    const group = { GroupName: 'team', Arn: `arn:aws:iam::${ACCOUNT}:group/team`, Path: '/', GroupId: 'AGPATEAM', CreateDate: CREATED };
    m.iam
      .on(GetGroupCommand, { Marker: undefined })
      .resolves({ Group: group, Users: [user('zoe')], IsTruncated: true, Marker: 'g1' })
      .on(GetGroupCommand, { Marker: 'g1' })
      .resolves({ Group: group, Users: [user('adam')], IsTruncated: false });
    const snapshot = await collectPolicy();
    if (snapshot.subject.Kind !== 'managed-policy') throw new Error('expected a managed-policy subject');
    expect(snapshot.subject.attachedEntities).toEqual([
      {
        Type: 'group',
        Arn: group.Arn,
        Name: 'team',
        Path: '/',
        CreateDate: CREATED.toISOString(),
        Id: 'AGPATEAM',
        Members: ['adam', 'zoe'].map((n) => ({ Name: n, Arn: `arn:aws:iam::${ACCOUNT}:user/${n}`, CreateDate: CREATED.toISOString(), Id: `AIDA${n.toUpperCase()}`, Path: '/' })),
      },
    ]);
    expect(m.iam.commandCalls(GetGroupCommand).map((c) => c.args[0].input.MaxItems)).toEqual([1000, 1000]);
  });

  it('keeps at most 4 entity reads in flight', async () => {
    m = mockPolicy();
    const names = Array.from({ length: 12 }, (_, i) => `r${String(i).padStart(2, '0')}`);
    m.iam.on(ListEntitiesForPolicyCommand).resolves({ PolicyRoles: names.map((RoleName) => ({ RoleName })), IsTruncated: false });
    let inFlight = 0;
    let most = 0;
    m.iam.on(GetRoleCommand).callsFake(async (input: { RoleName: string }) => {
      most = Math.max(most, ++inFlight);
      // let every other started read begin before this one answers
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      return { Role: role(input.RoleName) };
    });
    const snapshot = await collectPolicy();
    if (snapshot.subject.Kind !== 'managed-policy') throw new Error('expected a managed-policy subject');
    expect(snapshot.subject.attachedEntities.map((e) => e.Name)).toEqual(names);
    expect(most).toBe(4);
  });

  it.each<[string, ListEntitiesForPolicyCommandOutput]>([
    ['role', { PolicyRoles: [{ RoleName: 'gone' }], $metadata: {} }],
    ['user', { PolicyUsers: [{ UserName: 'gone' }], $metadata: {} }],
    ['group', { PolicyGroups: [{ GroupName: 'gone' }], $metadata: {} }],
  ])('a %s deleted after ListEntitiesForPolicy listed it is one line: run again', async (type, listed) => {
    m = mockPolicy();
    m.iam.on(ListEntitiesForPolicyCommand).resolves({ ...listed, IsTruncated: false });
    // only the listed kind's Get is called
    for (const command of [GetRoleCommand, GetUserCommand, GetGroupCommand] as const) {
      m.iam.on(command as typeof GetRoleCommand).rejects(sdkError('NoSuchEntity', `The ${type} with name gone cannot be found.`));
    }
    const error = await failure(collectPolicy());
    expect(error.kind).toBe('aws');
    expect(error.message).toBe(`${type} gone, listed as attached to ${POLICY_ARN}, disappeared while being read (NoSuchEntity); run again`);
  });

  it('names iam:ListEntitiesForPolicy on AccessDenied', async () => {
    m = mockPolicy();
    m.iam.on(ListEntitiesForPolicyCommand).rejects(sdkError('AccessDenied', 'User is not authorized to perform: iam:ListEntitiesForPolicy', 403));
    const error = await failure(collectPolicy());
    expect(error.message).toBe(`access denied: the caller lacks iam:ListEntitiesForPolicy (on ${POLICY_ARN}). See docs/required-permissions.json`);
  });

  it('refuses both a principal and a subject, or neither', async () => {
    m = mockPolicy();
    const both = collectSnapshot({ principal: { type: 'role', name: 'a' }, subject: { type: 'managed-policy', arn: POLICY_ARN }, clients: m.clients });
    expect((await failure(both)).message).toBe('name what to collect with `principal` or `subject` (exactly one of them)');
    expect((await failure(collectSnapshot({ clients: m.clients }))).kind).toBe('input');
    expect(m.iam.calls()).toHaveLength(0);
  });
});
