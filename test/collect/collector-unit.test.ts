import {
  GetGroupCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetServiceLastAccessedDetailsWithEntitiesCommand,
  ListRolePoliciesCommand,
  ListAttachedGroupPoliciesCommand,
  ListGroupPoliciesCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterEach, describe, expect, it } from 'vitest';
import { collectSnapshot } from '../../src/collect/collect-snapshot.js';
import {
  ACCOUNT,
  ALLOW_S3,
  COMPLETED,
  failure,
  GetServiceLastAccessedDetailsCommand,
  mockedClients,
  mockSimpleRole,
  ROLE_ARN,
  sdkError,
  urlEncoded,
  type MockedClients,
} from './mock-clients.js';
import { serviceReport } from './emulator-harness.js';
import { principalSubject } from '../support/subject.js';

let m: MockedClients;
afterEach(() => {
  m.iam.restore();
  m.sts.restore();
});

const collectRole = (extra: Partial<Parameters<typeof collectSnapshot>[0]> = {}) =>
  collectSnapshot({ principal: { type: 'role', arn: ROLE_ARN }, clients: m.clients, pollIntervalMs: 1, ...extra });


describe('collector, SDK stubbed at the client', () => {
  it('polls an IN_PROGRESS job until COMPLETED and keeps the API dates, not the local clock', async () => {
    m = mockedClients();
    mockSimpleRole(m);
    m.iam
      .on(GetServiceLastAccessedDetailsCommand)
      .resolvesOnce({ JobStatus: 'IN_PROGRESS', JobCreationDate: COMPLETED.JobCreationDate })
      .resolvesOnce({ JobStatus: 'IN_PROGRESS', JobCreationDate: COMPLETED.JobCreationDate })
      .resolves({ ...COMPLETED, ServicesLastAccessed: [{ ServiceName: 'Amazon S3', ServiceNamespace: 's3', TotalAuthenticatedEntities: 0 }] });
    const snapshot = await collectRole();
    expect(m.iam.commandCalls(GetServiceLastAccessedDetailsCommand)).toHaveLength(3);
    expect(snapshot.report).toEqual({
      Kind: 'service-last-accessed',
      JobId: 'job-1',
      JobType: 'ACTION_LEVEL',
      JobStatus: 'COMPLETED',
      JobCreationDate: '2026-11-01T00:00:00.000Z',
      JobCompletionDate: '2026-11-01T00:00:02.000Z',
      ServicesLastAccessed: [{ ServiceName: 'Amazon S3', ServiceNamespace: 's3', TotalAuthenticatedEntities: 0 }],
    });
    expect(principalSubject(snapshot).policies).toEqual([
      { Kind: 'inline', PolicyName: 'inline-a', PolicyDocument: ALLOW_S3, Source: { Type: 'principal' } },
    ]);
  });

  it('loops on IsTruncated, not on counts: a short page with a Marker is followed, MaxItems 1000 asked', async () => {
    m = mockedClients();
    mockSimpleRole(m);
    const service = (ns: string) => ({ ServiceName: ns, ServiceNamespace: ns, TotalAuthenticatedEntities: 0 });
    m.iam
      .on(GetServiceLastAccessedDetailsCommand, { Marker: undefined })
      .resolves({ ...COMPLETED, ServicesLastAccessed: [service('a')], IsTruncated: true, Marker: 'm1' })
      .on(GetServiceLastAccessedDetailsCommand, { Marker: 'm1' })
      .resolves({ ...COMPLETED, ServicesLastAccessed: [], IsTruncated: true, Marker: 'm2' })
      .on(GetServiceLastAccessedDetailsCommand, { Marker: 'm2' })
      .resolves({ ...COMPLETED, ServicesLastAccessed: [service('b'), service('c')], IsTruncated: false });
    m.iam
      .on(ListRolePoliciesCommand, { Marker: undefined })
      .resolves({ PolicyNames: [], IsTruncated: true, Marker: 'p1' })
      .on(ListRolePoliciesCommand, { Marker: 'p1' })
      .resolves({ PolicyNames: ['inline-a'], IsTruncated: false });
    const snapshot = await collectRole();
    expect(serviceReport(snapshot).ServicesLastAccessed.map((s) => s.ServiceNamespace)).toEqual(['a', 'b', 'c']);
    expect(principalSubject(snapshot).policies.map((p) => p.PolicyName)).toEqual(['inline-a']);
    for (const call of m.iam.commandCalls(GetServiceLastAccessedDetailsCommand)) {
      expect(call.args[0].input.MaxItems).toBe(1000);
    }
  });

  it('refuses a truncated page that gives no Marker instead of looping', async () => {
    m = mockedClients();
    mockSimpleRole(m);
    m.iam.on(GetServiceLastAccessedDetailsCommand).resolves({ ...COMPLETED, ServicesLastAccessed: [] });
    m.iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: ['inline-a'], IsTruncated: true });
    const error = await failure(collectRole());
    expect(error.message).toBe(`iam:ListRolePolicies reported more results for ${ROLE_ARN} but no new Marker to fetch them`);
  });

  it('ends a FAILED job with its Error Code and Message', async () => {
    m = mockedClients();
    mockSimpleRole(m);
    m.iam.on(GetServiceLastAccessedDetailsCommand).resolves({
      JobStatus: 'FAILED',
      JobCreationDate: COMPLETED.JobCreationDate,
      JobCompletionDate: COMPLETED.JobCompletionDate,
      Error: { Code: 'InternalFailure', Message: 'report could not be generated' },
    });
    const error = await failure(collectRole());
    expect(error.kind).toBe('aws');
    expect(error.message).toBe(
      `the last-accessed report job job-1 for ${ROLE_ARN} FAILED: InternalFailure: report could not be generated`,
    );
  });

  it('gives up at the timeout with a clear line', async () => {
    m = mockedClients();
    mockSimpleRole(m);
    m.iam.on(GetServiceLastAccessedDetailsCommand).resolves({ JobStatus: 'IN_PROGRESS', JobCreationDate: new Date() });
    const error = await failure(collectRole({ timeoutMs: 40, pollIntervalMs: 5 }));
    expect(error.message).toMatch(
      new RegExp(`^the last-accessed report for ${ROLE_ARN} \\(job job-1\\) was still IN_PROGRESS after 40 ms \\(\\d+ polls\\); raise --timeout$`),
    );
    expect(m.iam.commandCalls(GetServiceLastAccessedDetailsCommand).length).toBeGreaterThan(1);
  });

  it('names the missing IAM action in one line on AccessDenied, and stops polling', async () => {
    m = mockedClients();
    mockSimpleRole(m);
    m.iam.on(GetServiceLastAccessedDetailsCommand).resolves({ JobStatus: 'IN_PROGRESS', JobCreationDate: new Date() });
    m.iam.on(GetRolePolicyCommand).rejects(sdkError('AccessDenied', 'User: x is not authorized to perform: iam:GetRolePolicy', 403));
    const error = await failure(collectRole({ timeoutMs: 60_000 }));
    expect(error.message).toBe(
      `access denied: the caller lacks iam:GetRolePolicy (on ${ROLE_ARN}). See docs/required-permissions.json`,
    );
    const polls = m.iam.commandCalls(GetServiceLastAccessedDetailsCommand).length;
    await new Promise((r) => setTimeout(r, 50));
    expect(m.iam.commandCalls(GetServiceLastAccessedDetailsCommand).length).toBe(polls);
  });

  it('says which account a missing role was looked for in (STS GetCallerIdentity, asked only then)', async () => {
    m = mockedClients();
    m.iam.on(GetRoleCommand).rejects(sdkError('NoSuchEntity', 'The role with name ghost cannot be found.', 404));
    m.sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/me`, UserId: 'AIDA' });
    const error = await failure(collectSnapshot({ principal: { type: 'role', name: 'ghost' }, clients: m.clients }));
    expect(error.message).toBe(`role ghost not found in account ${ACCOUNT}`);
    expect(m.sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(1);
  });

  it('does not read a same-named role in another account than the ARN names', async () => {
    m = mockedClients();
    mockSimpleRole(m);
    const error = await failure(collectSnapshot({ principal: { type: 'role', arn: 'arn:aws:iam::999999999999:role/app' }, clients: m.clients }));
    expect(error.message).toBe(
      `arn:aws:iam::999999999999:role/app is in account 999999999999 but the credentials are for account ${ACCOUNT}: collect with credentials from the principal's own account`,
    );
    expect(m.iam.commandCalls(GetRolePolicyCommand)).toHaveLength(0);
  });

  it('reports throttling that outlasts the retries in one line', async () => {
    m = mockedClients();
    m.iam.on(GetRoleCommand).rejects(sdkError('Throttling', 'Rate exceeded', 400, 12));
    const error = await failure(collectRole());
    expect(error.message).toBe('AWS kept throttling iam:GetRole after 12 attempts; retry later or raise AWS_MAX_ATTEMPTS');
  });

  it('rejects a document that is not URL-encoded JSON, naming the policy', async () => {
    m = mockedClients();
    mockSimpleRole(m);
    m.iam.on(GetServiceLastAccessedDetailsCommand).resolves({ ...COMPLETED, ServicesLastAccessed: [] });
    m.iam.on(GetRolePolicyCommand).resolves({ PolicyDocument: '%7B%22Version' });
    const error = await failure(collectRole());
    expect(error.message).toBe(`IAM returned a policy document for inline policy inline-a of ${ROLE_ARN} that is not URL-encoded JSON`);
  });

  it('reads a permissions boundary once even when it is also attached, and keeps it apart from the grants', async () => {
    m = mockedClients();
    mockSimpleRole(m);
    const boundaryArn = `arn:aws:iam::${ACCOUNT}:policy/boundary`;
    m.iam.on(GetRoleCommand).resolves({
      Role: {
        RoleName: 'app',
        Arn: ROLE_ARN,
        Path: '/',
        RoleId: 'AROAAPP',
        CreateDate: new Date('2024-01-01T00:00:00Z'),
        PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: boundaryArn },
      },
    });
    m.iam.on(GetPolicyCommand, { PolicyArn: boundaryArn }).resolves({
      Policy: { Arn: boundaryArn, PolicyName: 'boundary', Path: '/', DefaultVersionId: 'v3', AttachmentCount: 0 },
    });
    m.iam.on(GetPolicyVersionCommand, { PolicyArn: boundaryArn, VersionId: 'v3' }).resolves({
      PolicyVersion: { Document: urlEncoded(ALLOW_S3), VersionId: 'v3', IsDefaultVersion: true },
    });
    m.iam.on(GetServiceLastAccessedDetailsCommand).resolves({ ...COMPLETED, ServicesLastAccessed: [] });
    const snapshot = await collectRole();
    expect(principalSubject(snapshot).principal.PermissionsBoundaryArn).toBe(boundaryArn);
    expect(principalSubject(snapshot).permissionsBoundary).toEqual({
      PolicyArn: boundaryArn,
      PolicyName: 'boundary',
      DefaultVersionId: 'v3',
      PolicyDocument: ALLOW_S3,
    });
    expect(principalSubject(snapshot).policies.map((p) => p.PolicyName)).toEqual(['inline-a']);
  });

  it('names the entities behind each used service of a group report (WithEntities, paginated)', async () => {
    m = mockedClients();
    const groupArn = `arn:aws:iam::${ACCOUNT}:group/devs`;
    m.iam.on(GetGroupCommand).resolves({
      Group: { GroupName: 'devs', Arn: groupArn, Path: '/', GroupId: 'AGPADEVS', CreateDate: new Date('2024-01-01T00:00:00Z') },
      Users: [],
    });
    m.iam.on(ListGroupPoliciesCommand).resolves({ PolicyNames: [] });
    m.iam.on(ListAttachedGroupPoliciesCommand).resolves({ AttachedPolicies: [] });
    mockSimpleRole(m);
    m.iam.on(GetServiceLastAccessedDetailsCommand).resolves({
      ...COMPLETED,
      ServicesLastAccessed: [
        { ServiceName: 'Amazon S3', ServiceNamespace: 's3', LastAuthenticated: new Date('2026-10-01T00:00:00Z'), TotalAuthenticatedEntities: 2 },
        { ServiceName: 'Amazon EC2', ServiceNamespace: 'ec2', TotalAuthenticatedEntities: 0 },
      ],
    });
    const entity = (name: string) => ({
      EntityInfo: { Arn: `arn:aws:iam::${ACCOUNT}:user/${name}`, Name: name, Type: 'USER' as const, Id: `AIDA${name}`, Path: '/' },
      LastAuthenticated: new Date('2026-10-01T00:00:00Z'),
    });
    m.iam
      .on(GetServiceLastAccessedDetailsWithEntitiesCommand, { ServiceNamespace: 's3', Marker: undefined })
      .resolves({ ...COMPLETED, EntityDetailsList: [entity('ana')], IsTruncated: true, Marker: 'e1' })
      .on(GetServiceLastAccessedDetailsWithEntitiesCommand, { ServiceNamespace: 's3', Marker: 'e1' })
      .resolves({ ...COMPLETED, EntityDetailsList: [entity('bo')], IsTruncated: false });
    const snapshot = await collectSnapshot({ principal: { type: 'group', arn: groupArn }, clients: m.clients, pollIntervalMs: 1 });
    expect(Object.keys(serviceReport(snapshot).EntityDetails ?? {})).toEqual(['s3']);
    expect(serviceReport(snapshot).EntityDetails?.['s3']?.map((e) => e.EntityInfo.Name)).toEqual(['ana', 'bo']);
    expect(serviceReport(snapshot).EntityDetails?.['s3']?.[0]?.LastAuthenticated).toBe('2026-10-01T00:00:00.000Z');
  });

  it('rejects a bad ARN before any call', async () => {
    m = mockedClients();
    const error = await failure(collectSnapshot({ principal: { type: 'role', arn: 'arn:aws:iam::123:role/x' }, clients: m.clients }));
    expect(error.kind).toBe('input');
    expect(error.message).toBe("bad role ARN 'arn:aws:iam::123:role/x': expected arn:aws:iam::<account-id>:role/<name>");
    expect(m.iam.calls()).toHaveLength(0);
  });
});
