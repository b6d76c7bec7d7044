import {
  GenerateServiceLastAccessedDetailsCommand,
  GetAccountAuthorizationDetailsCommand,
  GetGroupCommand,
  GetPolicyCommand,
  GetRoleCommand,
  ListGroupsForUserCommand,
  ListRolesCommand,
  ListUsersCommand,
} from '@aws-sdk/client-iam';
import { ListAccountsCommand } from '@aws-sdk/client-organizations';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../emulator/index.js';
import { ACCOUNT, APP_ROLE_ARN, iamClient, orgClient, sdkError, smallAccount } from './helpers.js';

const IDLE_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/idle-role`;
const APP_EC2 = `arn:aws:iam::${ACCOUNT}:policy/app-ec2`;
const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/boundaries/app-boundary`;

let running: RunningEmulator[] = [];
afterEach(async () => {
  await Promise.all(running.map((e) => e.stop()));
  running = [];
});

async function start(options: Omit<EmulatorOptions, 'fixture'> = {}, fixture = smallAccount()): Promise<RunningEmulator> {
  const e = await startEmulator({ fixture, ...options });
  running.push(e);
  return e;
}

describe('onRequest', () => {
  it('sees each request before it is answered: operation, account, parameters (Query and JSON)', async () => {
    const seen: { operation: string; account: string; param: string | undefined }[] = [];
    const e = await start({
      onRequest: ({ operation, account, params }) =>
        seen.push({ operation, account, param: params instanceof URLSearchParams ? (params.get('RoleName') ?? undefined) : String(params.MaxResults) }),
      faults: { throttleRate: 1 },
    });
    // even a throttled request is seen: the hook runs before any injected fault
    expect((await sdkError(iamClient(e).send(new GetRoleCommand({ RoleName: 'app-role' })))).name).toBe('Throttling');
    await sdkError(orgClient(e).send(new ListAccountsCommand({ MaxResults: 5 })));
    expect(seen).toEqual([
      { operation: 'GetRole', account: ACCOUNT, param: 'app-role' },
      { operation: 'ListAccounts', account: ACCOUNT, param: '5' },
    ]);
  });

  it('a role deleted when the first report generation arrives: that generation is NoSuchEntity, the next role is fine', async () => {
    let deleted = false;
    const e: RunningEmulator = await start({
      onRequest: ({ operation, params }) => {
        if (operation === 'GenerateServiceLastAccessedDetails' && !deleted && params instanceof URLSearchParams) {
          deleted = true;
          e.deleteEntity(params.get('Arn') ?? '');
        }
      },
    });
    const iam = iamClient(e);
    const err = await sdkError(iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: APP_ROLE_ARN })));
    expect(err).toMatchObject({ name: 'NoSuchEntityException', status: 404, message: 'The role with name app-role cannot be found.' });
    expect((await iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: IDLE_ROLE_ARN }))).JobId).toBeTruthy();
  });
});

describe('deleteEntity', () => {
  it('a deleted role is gone from Get, List and GAAD, and its attachments and boundary no longer count', async () => {
    const e = await start();
    const iam = iamClient(e);
    const count = async (arn: string) => (await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy;
    expect(await count(APP_EC2)).toMatchObject({ AttachmentCount: 2 });
    expect(await count(BOUNDARY)).toMatchObject({ PermissionsBoundaryUsageCount: 1 });
    e.deleteEntity(APP_ROLE_ARN);
    expect((await sdkError(iam.send(new GetRoleCommand({ RoleName: 'app-role' })))).name).toBe('NoSuchEntityException');
    expect((await iam.send(new ListRolesCommand({}))).Roles?.map((r) => r.RoleName)).toEqual(['idle-role']);
    const gaad = await iam.send(new GetAccountAuthorizationDetailsCommand({}));
    expect(gaad.RoleDetailList?.map((r) => r.RoleName)).toEqual(['idle-role']);
    expect(await count(APP_EC2)).toMatchObject({ AttachmentCount: 1 });
    expect(await count(BOUNDARY)).toMatchObject({ PermissionsBoundaryUsageCount: 0 });
    // AmazonSQSReadOnlyAccess stays attached to the group, so GAAD still lists it
    expect(gaad.Policies?.map((p) => p.PolicyName)).toContain('AmazonSQSReadOnlyAccess');
  });

  it("a deleted group leaves its members' group lists; a deleted user leaves the group", async () => {
    const e = await start();
    const iam = iamClient(e);
    e.deleteEntity(`arn:aws:iam::${ACCOUNT}:user/people/bob`);
    expect((await iam.send(new GetGroupCommand({ GroupName: 'developers' }))).Users?.map((u) => u.UserName)).toEqual(['alice']);
    e.deleteEntity(`arn:aws:iam::${ACCOUNT}:group/developers`);
    expect((await iam.send(new ListGroupsForUserCommand({ UserName: 'alice' }))).Groups).toEqual([]);
    expect((await iam.send(new ListUsersCommand({}))).Users?.map((u) => u.UserName)).toEqual(['alice']);
  });

  it('an ARN that names no principal throws', async () => {
    const e = await start();
    expect(() => e.deleteEntity(`arn:aws:iam::${ACCOUNT}:role/ghost`)).toThrow(/no role, user or group has the ARN .*role\/ghost/);
    // the right name under another path is another ARN
    expect(() => e.deleteEntity(`arn:aws:iam::${ACCOUNT}:role/app-role`)).toThrow(/no role, user or group/);
  });
});

describe('deniedOn', () => {
  it('refuses one action on one resource only, naming the resource', async () => {
    const fixture = smallAccount();
    fixture.callers?.push({
      accessKeyId: 'AKIDNOREPORT',
      arn: `arn:aws:iam::${ACCOUNT}:user/no-report`,
      deniedOn: [{ action: 'iam:GenerateServiceLastAccessedDetails', resource: APP_ROLE_ARN }],
    });
    const e = await start({}, fixture);
    const iam = iamClient(e, { accessKeyId: 'AKIDNOREPORT' });
    const err = await sdkError(iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: APP_ROLE_ARN })));
    expect(err).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(err.message).toContain(
      `User: arn:aws:iam::${ACCOUNT}:user/no-report is not authorized to perform: iam:GenerateServiceLastAccessedDetails on resource: ${APP_ROLE_ARN}`,
    );
    expect((await iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: IDLE_ROLE_ARN }))).JobId).toBeTruthy();
    expect((await iam.send(new GetRoleCommand({ RoleName: 'app-role' }))).Role?.Arn).toBe(APP_ROLE_ARN);
  });
});
