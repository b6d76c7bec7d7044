import {
  GenerateServiceLastAccessedDetailsCommand,
  GetServiceLastAccessedDetailsCommand,
  GetServiceLastAccessedDetailsWithEntitiesCommand,
  type GetServiceLastAccessedDetailsCommandOutput,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../emulator/index.js';
import { ACCOUNT, APP_ROLE_ARN, iamClient, startSmall } from './helpers.js';

let emulator: RunningEmulator;
let iam: IAMClient;

beforeAll(async () => {
  emulator = await startSmall({ faults: { jobCompletionMs: 0 } });
  iam = iamClient(emulator);
});
afterAll(() => emulator.stop());

async function report(arn: string, granularity: 'SERVICE_LEVEL' | 'ACTION_LEVEL' = 'ACTION_LEVEL') {
  const { JobId } = await iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: arn, Granularity: granularity }));
  const out = await iam.send(new GetServiceLastAccessedDetailsCommand({ JobId }));
  return { JobId: JobId ?? '', out };
}

function service(out: GetServiceLastAccessedDetailsCommandOutput, ns: string) {
  return out.ServicesLastAccessed?.find((s) => s.ServiceNamespace === ns);
}

const actions = (out: GetServiceLastAccessedDetailsCommandOutput, ns: string) =>
  service(out, ns)?.TrackedActionsLastAccessed?.map((a) => a.ActionName);

describe('role report (ACTION_LEVEL) computed from the fixture', () => {
  let out: GetServiceLastAccessedDetailsCommandOutput;
  beforeAll(async () => {
    out = (await report(APP_ROLE_ARN)).out;
  });

  it('lists the allowed services sorted by namespace, dates from the fixture clock', () => {
    expect(out.ServicesLastAccessed?.map((s) => s.ServiceNamespace)).toEqual(['ec2', 'iam', 's3', 'sqs']);
    expect(out).toMatchObject({ JobStatus: 'COMPLETED', JobType: 'ACTION_LEVEL', IsTruncated: false });
    expect(out.JobCreationDate).toEqual(new Date('2026-11-01T12:00:00Z'));
  });

  it('an unconditional Deny of the whole service removes it even though another statement allows it', () => {
    expect(service(out, 'dynamodb')).toBeUndefined();
  });

  it('S3: tracked management actions listed, object actions never; old use beyond 400 days shows only ActionName', () => {
    expect(service(out, 's3')).toMatchObject({
      LastAuthenticated: new Date('2026-10-31T23:00:00Z'),
      LastAuthenticatedEntity: APP_ROLE_ARN,
      LastAuthenticatedRegion: 'eu-west-1',
      TotalAuthenticatedEntities: 1,
    });
    expect(service(out, 's3')?.TrackedActionsLastAccessed).toEqual([
      {
        ActionName: 'CreateBucket',
        LastAccessedEntity: APP_ROLE_ARN,
        LastAccessedTime: new Date('2026-10-20T08:00:00Z'),
        LastAccessedRegion: 'eu-west-1',
      },
      { ActionName: 'GetBucketPolicy' },
      { ActionName: 'PutBucketPolicy' },
    ]);
  });

  it('iam:PassRole never appears; other IAM actions do', () => {
    expect(actions(out, 'iam')).toEqual(['GetRole', 'ListRoles']);
  });

  it('a service used only through untracked actions (SQS messages) has no TrackedActionsLastAccessed', () => {
    const sqs = service(out, 'sqs');
    expect(sqs?.LastAuthenticated).toEqual(new Date('2026-10-30T10:00:00Z'));
    expect(sqs).not.toHaveProperty('TrackedActionsLastAccessed');
  });

  it('an action last used more than 400 days ago carries only its name', () => {
    expect(service(out, 'ec2')?.TrackedActionsLastAccessed).toEqual([
      expect.objectContaining({ ActionName: 'DescribeInstances', LastAccessedTime: new Date('2026-09-01T00:00:00Z') }),
      { ActionName: 'StartInstances' },
      { ActionName: 'StopInstances' },
    ]);
  });
});

describe('other report kinds', () => {
  it('an unused service carries only ServiceName, ServiceNamespace and TotalAuthenticatedEntities 0', async () => {
    const { out } = await report(`arn:aws:iam::${ACCOUNT}:role/idle-role`);
    expect(out.ServicesLastAccessed).toEqual([
      { ServiceName: expect.any(String), ServiceNamespace: 'logs', TotalAuthenticatedEntities: 0 },
    ]);
  });

  it('SERVICE_LEVEL reports carry no action data', async () => {
    const { out } = await report(APP_ROLE_ARN, 'SERVICE_LEVEL');
    expect(out.JobType).toBe('SERVICE_LEVEL');
    expect(out.ServicesLastAccessed?.some((s) => s.TrackedActionsLastAccessed)).toBe(false);
    expect(service(out, 's3')?.LastAuthenticated).toEqual(new Date('2026-10-31T23:00:00Z'));
  });

  it('group report: aggregated over members; WithEntities lists them most recent first', async () => {
    const { JobId, out } = await report(`arn:aws:iam::${ACCOUNT}:group/developers`);
    expect(out.ServicesLastAccessed?.map((s) => s.ServiceNamespace)).toEqual(['lambda', 'sqs']);
    expect(service(out, 'lambda')).toMatchObject({
      LastAuthenticatedEntity: `arn:aws:iam::${ACCOUNT}:user/people/bob`,
      TotalAuthenticatedEntities: 2,
    });
    // lambda:InvokeFunction is a data event: allowed but never listed
    expect(actions(out, 'lambda')).toEqual(['GetFunction', 'ListFunctions', 'UpdateFunctionCode']);
    const withEntities = await iam.send(new GetServiceLastAccessedDetailsWithEntitiesCommand({ JobId, ServiceNamespace: 'lambda' }));
    expect(withEntities.EntityDetailsList?.map((e) => [e.EntityInfo?.Name, e.EntityInfo?.Type, e.LastAuthenticated])).toEqual([
      ['bob', 'USER', new Date('2026-10-12T10:00:00Z')],
      ['alice', 'USER', new Date('2026-10-10T10:00:00Z')],
    ]);
    expect(withEntities.EntityDetailsList?.[0]?.EntityInfo).toMatchObject({ Path: '/people/', Id: expect.stringMatching(/^AIDA/) });
  });

  it('policy report: only the policy\'s own grants, activity of every entity it is attached to', async () => {
    const { JobId, out } = await report(`arn:aws:iam::${ACCOUNT}:policy/app-ec2`);
    expect(out.ServicesLastAccessed?.map((s) => s.ServiceNamespace)).toEqual(['ec2']);
    expect(service(out, 'ec2')).toMatchObject({
      LastAuthenticated: new Date('2026-10-13T00:00:00Z'),
      LastAuthenticatedEntity: `arn:aws:iam::${ACCOUNT}:user/people/bob`,
      TotalAuthenticatedEntities: 2,
    });
    const withEntities = await iam.send(new GetServiceLastAccessedDetailsWithEntitiesCommand({ JobId, ServiceNamespace: 'ec2' }));
    expect(withEntities.EntityDetailsList?.map((e) => e.EntityInfo?.Type)).toEqual(['USER', 'ROLE']);
  });
});
