import {
  GenerateServiceLastAccessedDetailsCommand,
  GetAccountAuthorizationDetailsCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetServiceLastAccessedDetailsCommand,
  IAMClient,
  type RoleDetail,
} from '@aws-sdk/client-iam';
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assumedRoleClients, ROLE_SESSION_NAME } from '../../../src/collect/account/assume-role.js';
import { collectAccounts } from '../../../src/collect/account/collect-accounts.js';
import { createJobTiming } from '../../../src/collect/account/job-timing.js';
import type { AccountRunEvent, AccountRunOptions } from '../../../src/collect/account/types.js';
import { destroyAwsClients } from '../../../src/collect/clients.js';
import { principalSubject } from '../../support/subject.js';
import { ALLOW_S3, COMPLETED, mockedClients, sdkError, urlEncoded } from '../mock-clients.js';

// every client collectAccounts makes is stubbed at the class: the run makes its own clients
const iam = mockClient(IAMClient);
const sts = mockClient(STSClient);
const organizations = mockClient(OrganizationsClient);
beforeEach(() => {
  iam.reset();
  sts.reset();
  organizations.reset();
});
afterEach(() => {
  iam.reset();
  sts.reset();
  organizations.reset();
});

const HOME = '999988887777';
const ROLES_ONLY = { roles: true, users: false, groups: false, policies: false } as const;
const BOUNDARY = 'arn:aws:iam::aws:policy/PowerUserAccess';
/** a job AWS says took no time: the run learns a first poll of 0 ms, and the tests do not wait on it */
const DONE = { ...COMPLETED, JobCompletionDate: COMPLETED.JobCreationDate };

const role = (account: string, name: string, extra: Partial<RoleDetail> = {}): RoleDetail => ({
  RoleName: name,
  Arn: `arn:aws:iam::${account}:role/${name}`,
  Path: '/',
  RoleId: `AROA${name.toUpperCase()}`,
  CreateDate: new Date('2024-01-01T00:00:00Z'),
  RolePolicyList: [{ PolicyName: 'own', PolicyDocument: urlEncoded(ALLOW_S3) }],
  AttachedManagedPolicies: [],
  ...extra,
});

/** GetCallerIdentity, one GetAccountAuthorizationDetails page of `roles`, and jobs that complete at once */
function mockAccount(roles: RoleDetail[]): void {
  sts.on(GetCallerIdentityCommand).resolves({ Account: HOME, Arn: `arn:aws:iam::${HOME}:user/auditor` });
  iam.on(GetAccountAuthorizationDetailsCommand).resolves({ RoleDetailList: roles, Policies: [], IsTruncated: false });
  iam.on(GenerateServiceLastAccessedDetailsCommand).callsFake((input: { Arn: string }) => ({ JobId: `job:${input.Arn}` }));
  iam.on(GetServiceLastAccessedDetailsCommand).resolves({ ...DONE, ServicesLastAccessed: [] });
}

async function run(options: Partial<AccountRunOptions> = {}): Promise<AccountRunEvent[]> {
  const events: AccountRunEvent[] = [];
  await collectAccounts({
    selection: ROLES_ONLY,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDHOME', secretAccessKey: 'x' },
    pollIntervalMs: 1,
    ...options,
    onEvent: (e) => {
      events.push(e);
    },
  });
  return events;
}

const lines = (events: AccountRunEvent[]): string[] =>
  events.map((e) => {
    switch (e.kind) {
      case 'planned':
        return `planned ${e.account}: ${e.subjects.map((k) => k.name).join(' ')}`;
      case 'collected':
        return `collected ${e.key.account}/${e.key.name}`;
      case 'failed':
        return `failed ${e.key.account}/${e.key.name}: ${e.error}`;
      case 'account-failed':
        return `account-failed ${e.account}: ${e.error}`;
    }
  });

describe('collectAccounts, SDK stubbed at the client classes', () => {
  it('scope current: the caller account from GetCallerIdentity, no AssumeRole, the listing filtered to what roles need', async () => {
    mockAccount([role(HOME, 'b'), role(HOME, 'a')]);
    const events = await run();
    expect(lines(events)).toEqual([`planned ${HOME}: a b`, `collected ${HOME}/a`, `collected ${HOME}/b`]);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
    const [listing] = iam.commandCalls(GetAccountAuthorizationDetailsCommand);
    expect(listing?.args[0].input).toEqual({ Filter: ['Role', 'LocalManagedPolicy', 'AWSManagedPolicy'], MaxItems: 1000, Marker: undefined });
  });

  it('scope organization: ACTIVE accounts of every ListAccounts page, by id, each through AssumeRole with the external id and one session name', async () => {
    mockAccount([role('x', 'app')]);
    organizations
      .on(ListAccountsCommand, { NextToken: undefined })
      .resolves({ Accounts: [{ Id: '333333333333', State: 'ACTIVE' }, { Id: '222222222222', State: 'SUSPENDED' }], NextToken: 't1' })
      .on(ListAccountsCommand, { NextToken: 't1' })
      // an answer without State is read by the Status AWS retires
      .resolves({ Accounts: [{ Id: '111111111111', Status: 'ACTIVE' }, { Id: '444444444444', State: 'PENDING_CLOSURE' }] });
    sts.on(AssumeRoleCommand).callsFake((input: { RoleArn: string }) => {
      if (input.RoleArn.includes('333333333333')) {
        throw sdkError('AccessDenied', `User: arn:aws:iam::${HOME}:user/auditor is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`, 403);
      }
      return { Credentials: { AccessKeyId: 'ASIA1', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(Date.now() + 3_600_000) } };
    });
    const events = await run({ scope: { kind: 'organization' }, assumeRoleName: 'Audit', externalId: 'ext-1' });
    expect(lines(events).sort()).toEqual(
      [
        'planned 111111111111: app',
        'collected 111111111111/app',
        'account-failed 333333333333: cannot assume arn:aws:iam::333333333333:role/Audit (AccessDenied): the role is missing in that account, its trust policy does not allow the caller (or asks for another --external-id), or the caller lacks sts:AssumeRole',
      ].sort(),
    );
    expect(sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input)).toEqual(
      expect.arrayContaining([
        { RoleArn: 'arn:aws:iam::111111111111:role/Audit', RoleSessionName: ROLE_SESSION_NAME, ExternalId: 'ext-1' },
        { RoleArn: 'arn:aws:iam::333333333333:role/Audit', RoleSessionName: ROLE_SESSION_NAME, ExternalId: 'ext-1' },
      ]),
    );
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it('refuses bad options before any call: an account id, a missing role to assume, a concurrency', async () => {
    mockAccount([]);
    await expect(run({ scope: { kind: 'list', ids: ['12345'] }, assumeRoleName: 'Audit' })).rejects.toThrow('bad account id "12345": expected 12 digits');
    await expect(run({ scope: { kind: 'organization' } })).rejects.toThrow('needs the role to assume in each (assumeRoleName)');
    await expect(run({ concurrency: 0 })).rejects.toThrow('bad concurrency 0');
    expect(sts.calls()).toHaveLength(0);
    expect(iam.calls()).toHaveLength(0);
  });

  it('a policy the listing left out (an AWS-managed boundary) is read once per account, whoever uses it', async () => {
    const bounded = { PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy' as const, PermissionsBoundaryArn: BOUNDARY } };
    mockAccount([role(HOME, 'a', bounded), role(HOME, 'b', bounded), role(HOME, 'c', bounded)]);
    iam.on(GetPolicyCommand).resolves({ Policy: { PolicyName: 'PowerUserAccess', Arn: BOUNDARY, DefaultVersionId: 'v5', AttachmentCount: 0 } });
    iam.on(GetPolicyVersionCommand).resolves({ PolicyVersion: { VersionId: 'v5', Document: urlEncoded(ALLOW_S3), CreateDate: new Date('2020-01-01T00:00:00Z') } });
    const events = await run();
    const collected = events.flatMap((e) => (e.kind === 'collected' ? [e.snapshot] : []));
    expect(collected).toHaveLength(3);
    for (const s of collected) {
      expect(principalSubject(s).permissionsBoundary).toEqual({ PolicyArn: BOUNDARY, PolicyName: 'PowerUserAccess', DefaultVersionId: 'v5', PolicyDocument: ALLOW_S3 });
    }
    expect(iam.commandCalls(GetPolicyCommand)).toHaveLength(1);
    expect(iam.commandCalls(GetPolicyVersionCommand)).toHaveLength(1);
  });

  it('a role deleted after the listing, and one whose Generate is denied, fail alone with one line each', async () => {
    mockAccount([role(HOME, 'gone'), role(HOME, 'kept'), role(HOME, 'secret')]);
    iam.on(GenerateServiceLastAccessedDetailsCommand).callsFake((input: { Arn: string }) => {
      if (input.Arn.endsWith('/gone')) throw sdkError('NoSuchEntity', `The role with name gone cannot be found.`, 404);
      if (input.Arn.endsWith('/secret')) throw sdkError('AccessDenied', 'not authorized', 403);
      return { JobId: `job:${input.Arn}` };
    });
    const events = await run({ concurrency: 1 });
    expect(lines(events)).toEqual([
      `planned ${HOME}: gone kept secret`,
      `failed ${HOME}/gone: role gone was listed by GetAccountAuthorizationDetails and deleted before its report (NoSuchEntity)`,
      `collected ${HOME}/kept`,
      `failed ${HOME}/secret: access denied: the caller lacks iam:GenerateServiceLastAccessedDetails (on arn:aws:iam::${HOME}:role/secret). See docs/required-permissions.json`,
    ]);
  });

  it('a listing denied fails its account only, in one line', async () => {
    mockAccount([]);
    iam.on(GetAccountAuthorizationDetailsCommand).rejects(sdkError('AccessDenied', 'not authorized', 403));
    expect(lines(await run())).toEqual([
      `account-failed ${HOME}: access denied: the caller lacks iam:GetAccountAuthorizationDetails (on account ${HOME}). See docs/required-permissions.json`,
    ]);
  });

  it('runs report jobs in a rolling window: never more than `concurrency`, and a slow job holds one slot, not a batch', async () => {
    mockAccount(['a-slow', 'b', 'c', 'd', 'e'].map((n) => role(HOME, n)));
    let inFlight = 0;
    let most = 0;
    iam.on(GenerateServiceLastAccessedDetailsCommand).callsFake((input: { Arn: string }) => {
      most = Math.max(most, ++inFlight);
      return { JobId: input.Arn };
    });
    let slowPolls = 0;
    let othersDone = 0;
    iam.on(GetServiceLastAccessedDetailsCommand).callsFake((input: { JobId: string }) => {
      // the slow job completes only once every other job has
      if (input.JobId.endsWith('/a-slow') && othersDone < 4) {
        slowPolls++;
        return { JobStatus: 'IN_PROGRESS', JobCreationDate: COMPLETED.JobCreationDate };
      }
      if (!input.JobId.endsWith('/a-slow')) othersDone++;
      inFlight--;
      return { ...DONE, ServicesLastAccessed: [] };
    });
    const events = await run({ concurrency: 2 });
    expect(most).toBe(2);
    expect(slowPolls).toBeGreaterThan(0);
    expect(lines(events)).toEqual([
      `planned ${HOME}: a-slow b c d e`,
      `collected ${HOME}/b`,
      `collected ${HOME}/c`,
      `collected ${HOME}/d`,
      `collected ${HOME}/e`,
      `collected ${HOME}/a-slow`,
    ]);
  });

  it('asks `skip` once per planned subject before its job starts; a skipped subject gets no event and no job', async () => {
    mockAccount([role(HOME, 'a'), role(HOME, 'b')]);
    const asked: string[] = [];
    const events = await run({ skip: (k) => (asked.push(k.name), k.name === 'a') });
    expect(asked).toEqual(['a', 'b']);
    expect(lines(events)).toEqual([`planned ${HOME}: a b`, `collected ${HOME}/b`]);
    expect(iam.commandCalls(GenerateServiceLastAccessedDetailsCommand).map((c) => c.args[0].input.Arn)).toEqual([`arn:aws:iam::${HOME}:role/b`]);
  });
});

describe('an assumed role session', () => {
  it('is renewed by the SDK near expiry with the same session name, once for all three clients', async () => {
    const home = mockedClients();
    let n = 0;
    home.sts.on(AssumeRoleCommand).callsFake(() => {
      n++;
      // the first session is about to expire: the SDK must ask again, and get the next one
      const expiration = new Date(Date.now() + (n === 1 ? 60_000 : 3_600_000));
      return { Credentials: { AccessKeyId: `ASIA${n}`, SecretAccessKey: 's', SessionToken: 't', Expiration: expiration } };
    });
    const ctx = { clients: home.clients, signal: new AbortController().signal };
    const clients = await assumedRoleClients(ctx, { region: 'us-east-1' }, { account: '111111111111', partition: 'aws', roleName: 'Audit' });
    try {
      const [a, b, c] = await Promise.all([clients.iam.config.credentials(), clients.sts.config.credentials(), clients.organizations.config.credentials()]);
      expect([a.accessKeyId, b.accessKeyId, c.accessKeyId]).toEqual(['ASIA2', 'ASIA2', 'ASIA2']);
      expect((await clients.iam.config.credentials()).accessKeyId).toBe('ASIA2');
      expect(home.sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input)).toEqual([
        { RoleArn: 'arn:aws:iam::111111111111:role/Audit', RoleSessionName: 'leastpriv' },
        { RoleArn: 'arn:aws:iam::111111111111:role/Audit', RoleSessionName: 'leastpriv' },
      ]);
    } finally {
      destroyAwsClients(clients);
      home.sts.restore();
      home.iam.restore();
    }
  });
});

describe('job timing', () => {
  it('learns the median of AWS-reported job durations; until a job completes, nothing', () => {
    const timing = createJobTiming();
    expect(timing.firstPollDelayMs()).toBeUndefined();
    const job = (ms: number) => ({ JobCreationDate: '2026-11-01T00:00:00.000Z', JobCompletionDate: new Date(Date.parse('2026-11-01T00:00:00.000Z') + ms).toISOString() });
    timing.record(job(3000));
    expect(timing.firstPollDelayMs()).toBe(3000);
    timing.record(job(1000));
    timing.record(job(2000));
    expect(timing.firstPollDelayMs()).toBe(2000);
    // a date that goes backwards says nothing
    timing.record(job(-5000));
    expect(timing.firstPollDelayMs()).toBe(2000);
  });
});
