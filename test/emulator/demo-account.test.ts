import { readFileSync } from 'node:fs';
import {
  GenerateServiceLastAccessedDetailsCommand,
  GetPolicyCommand,
  GetServiceLastAccessedDetailsCommand,
  GetServiceLastAccessedDetailsWithEntitiesCommand,
  ListEntitiesForPolicyCommand,
  ListPolicyVersionsCommand,
  type GetServiceLastAccessedDetailsCommandOutput,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorFixture, type RunningEmulator } from '../../emulator/index.js';
import { iamClient } from './helpers.js';

/** What the demo account's shared customer-managed policy is there to show, as the emulator serves it. */
const DEMO = new URL('../../policies-examples/demo-account/fixture.json', import.meta.url);
const FLEET = 'arn:aws:iam::111122223333:policy/fleet-operations';
const arn = (kind: string, pathAndName: string) => `arn:aws:iam::111122223333:${kind}/${pathAndName}`;

let emulator: RunningEmulator;
let iam: IAMClient;
let report: GetServiceLastAccessedDetailsCommandOutput;
let jobId: string | undefined;
beforeAll(async () => {
  emulator = await startEmulator({ fixture: JSON.parse(readFileSync(DEMO, 'utf8')) as EmulatorFixture, faults: { jobCompletionMs: 0 } });
  iam = iamClient(emulator);
  ({ JobId: jobId } = await iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: FLEET, Granularity: 'ACTION_LEVEL' })));
  report = await iam.send(new GetServiceLastAccessedDetailsCommand({ JobId: jobId }));
});
afterAll(() => emulator.stop());

const service = (ns: string) => report.ServicesLastAccessed?.find((s) => s.ServiceNamespace === ns);
const usersOf = async (ns: string) => {
  const out = await iam.send(new GetServiceLastAccessedDetailsWithEntitiesCommand({ JobId: jobId, ServiceNamespace: ns }));
  return out.EntityDetailsList?.filter((e) => e.LastAuthenticated).map((e) => e.EntityInfo?.Arn);
};

describe('demo account: fleet-operations, one customer-managed policy shared by two roles and a group', () => {
  it('is attached to the two fleet roles and group oncall, in its second version of two', async () => {
    const entities = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: FLEET }));
    expect(entities.PolicyRoles?.map((r) => r.RoleName)).toEqual(['batch-worker', 'web-frontend']);
    expect(entities.PolicyGroups?.map((g) => g.GroupName)).toEqual(['oncall']);
    expect(entities.PolicyUsers).toEqual([]);
    const versions = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: FLEET }));
    expect(versions.Versions?.map((v) => [v.VersionId, v.IsDefaultVersion])).toEqual([['v2', true], ['v1', false]]);
    const { Policy } = await iam.send(new GetPolicyCommand({ PolicyArn: FLEET }));
    expect(Policy).toMatchObject({ DefaultVersionId: 'v2', AttachmentCount: 3, UpdateDate: versions.Versions?.[0]?.CreateDate });
  });

  it('trimming it for everyone removes something: kinesis never used, ec2:StopInstances never used', () => {
    expect(service('kinesis')).toEqual({ ServiceName: expect.any(String), ServiceNamespace: 'kinesis', TotalAuthenticatedEntities: 0 });
    expect(service('ec2')?.TrackedActionsLastAccessed?.find((a) => a.ActionName === 'StopInstances')).toEqual({ ActionName: 'StopInstances' });
  });

  it('sqs is used by one of the entities only; erin reaches it through group oncall and is counted', async () => {
    expect(await usersOf('sqs')).toEqual([arn('role', 'fleet/batch-worker')]);
    expect(service('ec2')?.TrackedActionsLastAccessed?.find((a) => a.ActionName === 'RebootInstances')?.LastAccessedEntity).toBe(
      arn('user', 'erin'),
    );
    expect(await usersOf('ec2')).toEqual([arn('role', 'fleet/web-frontend'), arn('user', 'erin'), arn('role', 'fleet/batch-worker')]);
  });
});
