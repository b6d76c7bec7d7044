import {
  GenerateServiceLastAccessedDetailsCommand,
  GetGroupCommand,
  GetServiceLastAccessedDetailsCommand,
  GetServiceLastAccessedDetailsWithEntitiesCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { ListAccountsCommand } from '@aws-sdk/client-organizations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../emulator/index.js';
import { ACCOUNT, APP_ROLE_ARN, drain, iamClient, orgClient, sdkError, startSmall } from './helpers.js';

describe('pagination with page size 1 (IAM returns fewer than MaxItems while more remain)', () => {
  let emulator: RunningEmulator;
  let iam: IAMClient;
  beforeAll(async () => {
    emulator = await startSmall({ pageSize: 1, faults: { jobCompletionMs: 0 } });
    iam = iamClient(emulator);
  });
  afterAll(() => emulator.stop());

  it('ListRolePolicies, ListAttachedRolePolicies and GetGroup pages of one, MaxItems 1000 notwithstanding', async () => {
    const inline = await drain(async (Marker) => {
      const o = await iam.send(new ListRolePoliciesCommand({ RoleName: 'app-role', Marker, MaxItems: 1000 }));
      return { items: o.PolicyNames ?? [], IsTruncated: o.IsTruncated, Marker: o.Marker };
    });
    expect(inline).toEqual({ all: ['storage', 'guardrails', 'iam-pass'], sizes: [1, 1, 1] });
    const attached = await drain(async (Marker) => {
      const o = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'app-role', Marker, MaxItems: 1000 }));
      return { items: o.AttachedPolicies ?? [], IsTruncated: o.IsTruncated, Marker: o.Marker };
    });
    expect(attached.sizes).toEqual([1, 1]);
    const members = await drain(async (Marker) => {
      const o = await iam.send(new GetGroupCommand({ GroupName: 'developers', Marker }));
      return { items: o.Users?.map((u) => u.UserName) ?? [], IsTruncated: o.IsTruncated, Marker: o.Marker };
    });
    expect(members.all).toEqual(['alice', 'bob']);
  });

  it('GetServiceLastAccessedDetails and WithEntities page one item at a time, tracked actions intact', async () => {
    const { JobId } = await iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: APP_ROLE_ARN, Granularity: 'ACTION_LEVEL' }));
    const services = await drain(async (Marker) => {
      const o = await iam.send(new GetServiceLastAccessedDetailsCommand({ JobId, Marker, MaxItems: 1000 }));
      return { items: o.ServicesLastAccessed ?? [], IsTruncated: o.IsTruncated, Marker: o.Marker };
    });
    expect(services.sizes).toEqual([1, 1, 1, 1]);
    expect(services.all.map((s) => s.ServiceNamespace)).toEqual(['ec2', 'iam', 's3', 'sqs']);
    expect(services.all[2]?.TrackedActionsLastAccessed?.length).toBe(3);

    const group = await iam.send(
      new GenerateServiceLastAccessedDetailsCommand({ Arn: `arn:aws:iam::${ACCOUNT}:group/developers` }),
    );
    const entities = await drain(async (Marker) => {
      const o = await iam.send(
        new GetServiceLastAccessedDetailsWithEntitiesCommand({ JobId: group.JobId, ServiceNamespace: 'lambda', Marker }),
      );
      return { items: o.EntityDetailsList ?? [], IsTruncated: o.IsTruncated, Marker: o.Marker };
    });
    expect(entities.all.map((e) => e.EntityInfo?.Name)).toEqual(['bob', 'alice']);
  });

  it('Organizations ListAccounts pages by NextToken', async () => {
    const org = orgClient(emulator);
    const ids: string[] = [];
    let NextToken: string | undefined;
    do {
      const o = await org.send(new ListAccountsCommand({ NextToken }));
      expect(o.Accounts?.length).toBe(1);
      ids.push(...(o.Accounts ?? []).map((a) => a.Id ?? ''));
      NextToken = o.NextToken;
    } while (NextToken);
    expect(ids).toEqual(['123456789012', '210987654321', '111122223333']);
  });

  it('a forged Marker is InvalidInput; MaxItems out of range is a ValidationError', async () => {
    const forged = await sdkError(iam.send(new ListRolePoliciesCommand({ RoleName: 'app-role', Marker: 'bogus' })));
    expect(forged).toMatchObject({ name: 'InvalidInputException', status: 400 });
    const zero = await sdkError(iam.send(new ListRolePoliciesCommand({ RoleName: 'app-role', MaxItems: 0 })));
    expect(zero).toMatchObject({ name: 'ValidationError', status: 400 });
  });
});

describe('page sizes per operation', () => {
  it('caps only the named operation; MaxItems below the cap wins', async () => {
    const emulator = await startSmall({ pageSize: { ListRolePolicies: 2 } });
    try {
      const iam = iamClient(emulator);
      const capped = await iam.send(new ListRolePoliciesCommand({ RoleName: 'app-role' }));
      expect(capped.PolicyNames?.length).toBe(2);
      expect(capped.IsTruncated).toBe(true);
      const small = await iam.send(new ListRolePoliciesCommand({ RoleName: 'app-role', MaxItems: 1 }));
      expect(small.PolicyNames?.length).toBe(1);
      const other = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'app-role' }));
      expect(other.AttachedPolicies?.length).toBe(2);
      expect(other.IsTruncated).toBe(false);
    } finally {
      await emulator.stop();
    }
  });
});
