import { GetPolicyCommand, GetPolicyVersionCommand, type Policy, type PolicyVersion } from '@aws-sdk/client-iam';
import { awsError } from '../errors.js';
import { isAwsManagedPolicyArn } from '../snapshot/arn.js';
import { awsCall, type CollectContext } from './call.js';
import { isoDate } from './dates.js';
import { decodePolicyDocument } from './document.js';

/** A managed policy with its default version's decoded document (GetPolicy + GetPolicyVersion). */
export interface ManagedPolicyData {
  PolicyArn: string;
  PolicyName: string;
  Path: string | undefined;
  AttachmentCount: number;
  /** GetPolicy's PermissionsBoundaryUsageCount: principals using it as their boundary (AttachmentCount leaves them out) */
  PermissionsBoundaryUsageCount: number | undefined;
  DefaultVersionId: string;
  /** GetPolicyVersion's CreateDate of the default version (ISO-8601): how long its permissions have been granted */
  DefaultVersionCreateDate: string | undefined;
  PolicyDocument: Record<string, unknown>;
  ManagedBy: 'customer' | 'aws';
  /** GetPolicy's CreateDate and UpdateDate (ISO-8601) */
  CreateDate: string | undefined;
  UpdateDate: string | undefined;
}

/** Reads each managed policy once per collection, even when a user gets it directly and through several groups. */
export type ManagedPolicyReader = (ctx: CollectContext, policyArn: string) => Promise<ManagedPolicyData>;

export function managedPolicyReader(): ManagedPolicyReader {
  const cache = new Map<string, Promise<ManagedPolicyData>>();
  return (ctx, policyArn) => {
    let entry = cache.get(policyArn);
    if (entry === undefined) {
      entry = readManagedPolicy(ctx, policyArn);
      cache.set(policyArn, entry);
      // an account-wide run shares one reader across every subject: one read that ran out of retries must not fail
      // all the others that need the policy
      entry.catch(() => cache.delete(policyArn));
    }
    return entry;
  };
}

/**
 * GetPolicy, then GetPolicyVersion of the default version. `policyNotFound` words a NoSuchEntity from GetPolicy
 * (default: the policy went away while being read); a version gone after GetPolicy answered always says so.
 */
export async function readManagedPolicy(
  ctx: CollectContext,
  PolicyArn: string,
  policyNotFound?: () => Promise<string>,
): Promise<ManagedPolicyData> {
  const notFound = (): string => `managed policy ${PolicyArn} not found (detached or deleted while being read?); run again`;
  const getPolicySpec = { action: 'iam:GetPolicy', resource: PolicyArn, notFound: policyNotFound ?? notFound } as const;
  const { Policy } = await awsCall(ctx, getPolicySpec, (c, o) =>
    c.iam.send(new GetPolicyCommand({ PolicyArn }), o),
  );
  const VersionId = Policy?.DefaultVersionId;
  if (VersionId === undefined) throw awsError(`GetPolicy returned no DefaultVersionId for ${PolicyArn}`);
  const { PolicyVersion } = await awsCall(ctx, { action: 'iam:GetPolicyVersion', resource: PolicyArn, notFound }, (c, o) =>
    c.iam.send(new GetPolicyVersionCommand({ PolicyArn, VersionId }), o),
  );
  return managedPolicyData(PolicyArn, Policy, PolicyVersion);
}

/** The fields of a managed policy a snapshot keeps: GetPolicy's (or the account details' ManagedPolicyDetail) and its default version's. */
export function managedPolicyData(
  PolicyArn: string,
  policy: Pick<Policy, 'PolicyName' | 'Path' | 'AttachmentCount' | 'PermissionsBoundaryUsageCount' | 'DefaultVersionId' | 'CreateDate' | 'UpdateDate'> | undefined,
  defaultVersion: Pick<PolicyVersion, 'Document' | 'CreateDate'> | undefined,
): ManagedPolicyData {
  const VersionId = policy?.DefaultVersionId;
  if (VersionId === undefined) throw awsError(`IAM returned no DefaultVersionId for ${PolicyArn}`);
  return {
    PolicyArn,
    PolicyName: policy?.PolicyName ?? PolicyArn.slice(PolicyArn.lastIndexOf('/') + 1),
    Path: policy?.Path,
    AttachmentCount: policy?.AttachmentCount ?? 0,
    PermissionsBoundaryUsageCount: policy?.PermissionsBoundaryUsageCount,
    DefaultVersionId: VersionId,
    DefaultVersionCreateDate: isoDate(defaultVersion?.CreateDate),
    PolicyDocument: decodePolicyDocument(defaultVersion?.Document, `${PolicyArn} version ${VersionId}`),
    ManagedBy: isAwsManagedPolicyArn(PolicyArn) ? 'aws' : 'customer',
    CreateDate: isoDate(policy?.CreateDate),
    UpdateDate: isoDate(policy?.UpdateDate),
  };
}
