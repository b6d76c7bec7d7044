import {
  GenerateServiceLastAccessedDetailsCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetServiceLastAccessedDetailsCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';
import { mockClient, type AwsStub } from 'aws-sdk-client-mock';
import { expect } from 'vitest';
import type { AwsClients } from '../../src/collect/clients.js';
import { LeastprivError } from '../../src/errors.js';

/** SDK clients whose `send` is stubbed at the client (aws-sdk-client-mock): for cases the emulator cannot produce. */
export interface MockedClients {
  clients: AwsClients;
  iam: AwsStub<any, any, any>;
  sts: AwsStub<any, any, any>;
  organizations: AwsStub<any, any, any>;
}

export function mockedClients(): MockedClients {
  const clients: AwsClients = {
    iam: new IAMClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDMOCK', secretAccessKey: 'x' } }),
    sts: new STSClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDMOCK', secretAccessKey: 'x' } }),
    organizations: new OrganizationsClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDMOCK', secretAccessKey: 'x' } }),
    region: 'us-east-1',
  };
  return { clients, iam: mockClient(clients.iam), sts: mockClient(clients.sts), organizations: mockClient(clients.organizations) };
}

/** An SDK-shaped service error, classified by name as the real ones are. */
export function sdkError(name: string, message: string, status = 400, attempts = 1): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: status, attempts } });
}

/** the LeastprivError the promise rejects with (the test fails if it resolves, or rejects with anything else) */
export async function failure(promise: Promise<unknown>): Promise<LeastprivError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LeastprivError);
  return error as LeastprivError;
}

export const ACCOUNT = '123456789012';
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/app`;
export const urlEncoded = (doc: unknown): string => encodeURIComponent(JSON.stringify(doc));
export const ALLOW_S3 = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] };

/** A role `app` with one inline policy and no attachments; the report answers as the test sets it up. */
export function mockSimpleRole(m: MockedClients): void {
  m.iam.on(GetRoleCommand).resolves({
    Role: { RoleName: 'app', Arn: ROLE_ARN, Path: '/', RoleId: 'AROAAPP', CreateDate: new Date('2024-01-01T00:00:00Z') },
  });
  m.iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: ['inline-a'], IsTruncated: false });
  m.iam.on(GetRolePolicyCommand).resolves({ RoleName: 'app', PolicyName: 'inline-a', PolicyDocument: urlEncoded(ALLOW_S3) });
  m.iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [], IsTruncated: false });
  m.iam.on(GenerateServiceLastAccessedDetailsCommand).resolves({ JobId: 'job-1' });
  m.iam.on(GetPolicyCommand).rejects(sdkError('NoSuchEntity', 'unexpected GetPolicy'));
  m.iam.on(GetPolicyVersionCommand).rejects(sdkError('NoSuchEntity', 'unexpected GetPolicyVersion'));
}

export const COMPLETED = {
  JobStatus: 'COMPLETED' as const,
  JobType: 'ACTION_LEVEL' as const,
  JobCreationDate: new Date('2026-11-01T00:00:00Z'),
  JobCompletionDate: new Date('2026-11-01T00:00:02Z'),
};

export { GetServiceLastAccessedDetailsCommand };
