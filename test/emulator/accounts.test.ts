import {
  GenerateServiceLastAccessedDetailsCommand,
  GetAccountAuthorizationDetailsCommand,
  GetRoleCommand,
  GetServiceLastAccessedDetailsCommand,
  IAMClient,
  ListRolesCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient, type AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorFixture, type RunningEmulator } from '../../emulator/index.js';
import { ACCOUNT, sdkError, stsClient } from './helpers.js';

const PROD = '222233334444';
const DEV = '555566667777';
const AUDITOR = `arn:aws:iam::${ACCOUNT}:user/auditor`;
const trust = (principal: unknown, condition?: unknown) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole', ...(condition ? { Condition: condition } : {}) }],
  });
const READER_ARN = (account: string) => `arn:aws:iam::${account}:role/audit/Reader`;

/** a home account with an auditor; prod trusts the home root with an external id, dev trusts the auditor but refuses GAAD */
function fixture(): EmulatorFixture {
  return {
    accountId: ACCOUNT,
    now: '2026-11-01T12:00:00Z',
    callers: [
      { accessKeyId: 'AKIDAUDITOR', arn: AUDITOR },
      { accessKeyId: 'AKIDSTRANGER', arn: `arn:aws:iam::${ACCOUNT}:user/stranger` },
    ],
    roles: [{ name: 'home-role' }],
    memberAccounts: [
      {
        accountId: PROD,
        roles: [
          {
            name: 'Reader',
            path: '/audit/',
            maxSessionDuration: 7200,
            assumeRolePolicyDocument: trust(`arn:aws:iam::${ACCOUNT}:root`, { StringEquals: { 'sts:ExternalId': 'ext-123' } }),
          },
          {
            name: 'prod-app',
            inlinePolicies: [{ name: 'data', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] } }],
          },
        ],
        generate: { roles: [{ count: 3, name: 'svc-{i}' }] },
        usage: { [`arn:aws:iam::${PROD}:role/prod-app`]: [{ service: 's3', time: '2026-10-01T00:00:00Z' }] },
      },
      {
        accountId: DEV,
        denied: ['iam:GetAccountAuthorizationDetails'],
        roles: [
          { name: 'Reader', path: '/audit/', assumeRolePolicyDocument: trust([AUDITOR]) },
          { name: 'conditional', assumeRolePolicyDocument: trust(ACCOUNT, { Bool: { 'aws:MultiFactorAuthPresent': 'true' } }) },
          { name: 'dev-app' },
        ],
      },
    ],
  };
}

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ fixture: fixture(), faults: { jobCompletionMs: 0 } });
});
afterAll(() => emulator.stop());

const assume = (input: Partial<AssumeRoleCommandInput>, accessKeyId = 'AKIDAUDITOR') =>
  stsClient(emulator, { accessKeyId }).send(new AssumeRoleCommand({ RoleArn: READER_ARN(PROD), RoleSessionName: 'leastpriv', ExternalId: 'ext-123', ...input }));

/** clients signed with the credentials AssumeRole returned */
async function assumed(input: Partial<AssumeRoleCommandInput>) {
  const out = await assume(input);
  const c = out.Credentials;
  const credentials = { accessKeyId: c?.AccessKeyId ?? '', secretAccessKey: c?.SecretAccessKey ?? '', sessionToken: c?.SessionToken };
  const config = { endpoint: emulator.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 };
  return { out, iam: new IAMClient(config), sts: new STSClient(config) };
}

describe('sts:AssumeRole', () => {
  it('returns temporary credentials and the assumed-role user; Expiration is now + DurationSeconds', async () => {
    const before = Date.now();
    const out = await assume({ DurationSeconds: 1800 });
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(out.Credentials?.SecretAccessKey).toHaveLength(40);
    expect(out.Credentials?.SessionToken?.length).toBeGreaterThan(40);
    const expires = out.Credentials?.Expiration?.getTime() ?? 0;
    expect(expires).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 1800_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 1800_000);
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${PROD}:assumed-role/Reader/leastpriv`);
    expect(out.AssumedRoleUser?.AssumedRoleId).toMatch(/^AROA[A-Z2-7]{17}:leastpriv$/);
  });

  it('each call gets new keys, derived from the seed: a second emulator with the same seed hands out the same ones', async () => {
    const other = await startEmulator({ fixture: fixture() });
    try {
      const keys = async (e: RunningEmulator) =>
        (await stsClient(e).send(new AssumeRoleCommand({ RoleArn: READER_ARN(DEV), RoleSessionName: 's1' }))).Credentials?.AccessKeyId;
      const first = await keys(other);
      const second = await keys(other);
      expect(second).not.toBe(first);
      const again = await startEmulator({ fixture: fixture() });
      try {
        expect(await keys(again)).toBe(first);
      } finally {
        await again.stop();
      }
    } finally {
      await other.stop();
    }
  });

  it('calls signed with the assumed credentials are served from the member account as the assumed role', async () => {
    const { iam, sts, out } = await assumed({});
    const who = await sts.send(new GetCallerIdentityCommand({}));
    expect(who).toMatchObject({ Account: PROD, Arn: out.AssumedRoleUser?.Arn, UserId: out.AssumedRoleUser?.AssumedRoleId });
    const roles = await iam.send(new ListRolesCommand({}));
    expect(roles.Roles?.map((r) => r.RoleName)).toEqual(['Reader', 'prod-app', 'svc-0', 'svc-1', 'svc-2']);
    expect(roles.Roles?.[0]?.Arn).toBe(READER_ARN(PROD));
    const gaad = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Role'] }));
    expect(gaad.RoleDetailList?.map((r) => r.Arn?.split(':')[4])).toEqual([PROD, PROD, PROD, PROD, PROD]);
    // the home account's callers still see the home account
    const home = new IAMClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDAUDITOR', secretAccessKey: 'x' } });
    expect((await home.send(new ListRolesCommand({}))).Roles?.map((r) => r.RoleName)).toEqual(['home-role']);
    expect((await sdkError(iam.send(new GetRoleCommand({ RoleName: 'home-role' })))).name).toBe('NoSuchEntityException');
  });

  it("a report job belongs to the session's ARN: a new session with the same name reads it, another name does not", async () => {
    const first = await assumed({ RoleSessionName: 'collector' });
    const arn = `arn:aws:iam::${PROD}:role/prod-app`;
    const { JobId } = await first.iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: arn }));
    const same = await assumed({ RoleSessionName: 'collector' });
    const report = await same.iam.send(new GetServiceLastAccessedDetailsCommand({ JobId }));
    expect(report.JobStatus).toBe('COMPLETED');
    expect(report.ServicesLastAccessed?.find((s) => s.ServiceNamespace === 's3')?.LastAuthenticatedEntity).toBe(arn);
    const other = await assumed({ RoleSessionName: 'someone-else' });
    expect((await sdkError(other.iam.send(new GetServiceLastAccessedDetailsCommand({ JobId })))).name).toBe('NoSuchEntityException');
  });

  it("a member account's denied operations refuse its assumed-role callers only", async () => {
    const out = await stsClient(emulator).send(new AssumeRoleCommand({ RoleArn: READER_ARN(DEV), RoleSessionName: 'leastpriv' }));
    const c = out.Credentials;
    const iam = new IAMClient({
      endpoint: emulator.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: c?.AccessKeyId ?? '', secretAccessKey: c?.SecretAccessKey ?? '', sessionToken: c?.SessionToken },
      maxAttempts: 1,
    });
    const err = await sdkError(iam.send(new GetAccountAuthorizationDetailsCommand({})));
    expect(err).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(err.message).toContain(`User: arn:aws:sts::${DEV}:assumed-role/Reader/leastpriv is not authorized to perform: iam:GetAccountAuthorizationDetails`);
    expect((await iam.send(new ListRolesCommand({}))).Roles).toHaveLength(3);
  });

  const refusal = (caller: string, role: string) => `User: ${caller} is not authorized to perform: sts:AssumeRole on resource: ${role}`;

  it.each([
    ['a role that does not exist', { RoleArn: `arn:aws:iam::${PROD}:role/audit/Ghost` }, 'AKIDAUDITOR'],
    ['the right name under another path', { RoleArn: `arn:aws:iam::${PROD}:role/Reader` }, 'AKIDAUDITOR'],
    ['an account the emulator does not serve', { RoleArn: 'arn:aws:iam::999988887777:role/audit/Reader' }, 'AKIDAUDITOR'],
    ['a wrong external id', { ExternalId: 'ext-999' }, 'AKIDAUDITOR'],
    ['a missing external id', { ExternalId: undefined }, 'AKIDAUDITOR'],
    ['a caller the trust policy does not name', { RoleArn: READER_ARN(DEV) }, 'AKIDSTRANGER'],
    ['a condition the emulator does not evaluate', { RoleArn: `arn:aws:iam::${DEV}:role/conditional` }, 'AKIDAUDITOR'],
    ['a role trusting only a service (the default trust)', { RoleArn: `arn:aws:iam::${PROD}:role/prod-app` }, 'AKIDAUDITOR'],
  ] as [string, Partial<AssumeRoleCommandInput>, string][])('AccessDenied for %s', async (_what, input, key) => {
    const err = await sdkError(assume(input, key));
    const caller = key === 'AKIDAUDITOR' ? AUDITOR : `arn:aws:iam::${ACCOUNT}:user/stranger`;
    expect(err).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(err.message).toBe(refusal(caller, input.RoleArn ?? READER_ARN(PROD)));
  });

  it.each([
    [{ DurationSeconds: 899 }, "Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"],
    [{ DurationSeconds: 43201 }, 'less than or equal to 43200'],
    [{ DurationSeconds: 10800 }, 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.'],
    [{ RoleSessionName: 'has space' }, "at 'roleSessionName' failed to satisfy constraint"],
  ] as [Partial<AssumeRoleCommandInput>, string][])('ValidationError for %j', async (input, message) => {
    const err = await sdkError(assume(input));
    expect(err).toMatchObject({ name: 'ValidationError', status: 400 });
    expect(err.message).toContain(message);
  });
});
