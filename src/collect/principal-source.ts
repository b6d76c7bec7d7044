import type { SnapshotPrincipal, SnapshotTag } from '../snapshot/types.js';
import type { CollectorAction } from './actions.js';
import { awsCall, type CollectContext } from './call.js';
import type { AwsClients } from './clients.js';
import { mapLimit } from './concurrency.js';
import { definedOnly, requiredIsoDate } from './dates.js';
import { decodePolicyDocument } from './document.js';
import { paginate, type FetchPage } from './paginate.js';

/** The principal whose policies are being read: its ARN names it in error lines. */
export interface Owner {
  Name: string;
  Arn: string;
}

export interface InlinePolicy {
  PolicyName: string;
  PolicyDocument: Record<string, unknown>;
}

export interface AttachedPolicyRef {
  PolicyArn: string;
  PolicyName: string;
}

/** What the collector reads from one kind of principal (role.ts, user.ts, group.ts each provide one). */
export interface PrincipalSource {
  /** GetRole / GetUser / GetGroup by name (the ARN, when given, names it in error lines); `notFound` builds the NoSuchEntity line */
  get(ctx: CollectContext, ref: { name: string; arn?: string }, notFound: () => Promise<string>): Promise<SnapshotPrincipal>;
  /** List<X>Policies + Get<X>Policy for each name */
  inlinePolicies(ctx: CollectContext, owner: Owner): Promise<InlinePolicy[]>;
  /** ListAttached<X>Policies */
  attachedPolicies(ctx: CollectContext, owner: Owner): Promise<AttachedPolicyRef[]>;
}

/** Get<X>Policy calls in flight for one principal: IAM's rate buckets are per account */
const INLINE_READS_IN_FLIGHT = 4;

type Send<P> = (clients: AwsClients, options: { abortSignal: AbortSignal }) => Promise<P>;

/** The shared shape of the three inline-policy sources: list the names, then read each document. */
export async function readInlinePolicies(
  ctx: CollectContext,
  owner: Owner,
  spec: {
    listAction: CollectorAction;
    list: FetchPage<{ PolicyNames: string[] | undefined; IsTruncated?: boolean; Marker?: string }>;
    getAction: CollectorAction;
    get: (policyName: string) => Send<{ PolicyDocument: string | undefined }>;
  },
): Promise<InlinePolicy[]> {
  const names = await paginate(ctx, { action: spec.listAction, resource: owner.Arn }, spec.list, 'PolicyNames');
  return mapLimit(names, INLINE_READS_IN_FLIGHT, async (PolicyName) => {
    const where = `inline policy ${PolicyName} of ${owner.Arn}`;
    const notFound = (): string => `${where} disappeared while being read (NoSuchEntity); run again`;
    const out = await awsCall(ctx, { action: spec.getAction, resource: owner.Arn, notFound }, spec.get(PolicyName));
    return { PolicyName, PolicyDocument: decodePolicyDocument(out.PolicyDocument, where) };
  });
}

/** ListAttached<X>Policies through the typed paginator. */
export async function readAttachedPolicies(
  ctx: CollectContext,
  owner: Owner,
  spec: {
    action: CollectorAction;
    list: FetchPage<{
      AttachedPolicies?: { PolicyArn?: string; PolicyName?: string }[] | undefined;
      IsTruncated?: boolean;
      Marker?: string;
    }>;
  },
): Promise<AttachedPolicyRef[]> {
  const attached = await paginate(ctx, { action: spec.action, resource: owner.Arn }, spec.list, 'AttachedPolicies');
  return attached.map((p) => ({ PolicyArn: p.PolicyArn ?? '', PolicyName: p.PolicyName ?? '' }));
}

/** The principal fields every Get<X> returns, in the snapshot's shape. */
export function snapshotPrincipal(fields: {
  Type: SnapshotPrincipal['Type'];
  Arn: string | undefined;
  Name: string | undefined;
  Path: string | undefined;
  CreateDate: Date | undefined;
  Id: string | undefined;
  Tags?: { Key: string | undefined; Value: string | undefined }[] | undefined;
  PermissionsBoundaryArn?: string | undefined;
}): SnapshotPrincipal {
  const tags: SnapshotTag[] | undefined = fields.Tags?.map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' }));
  return definedOnly({
    Type: fields.Type,
    Arn: fields.Arn ?? '',
    Name: fields.Name ?? '',
    Path: fields.Path ?? '/',
    CreateDate: requiredIsoDate(fields.CreateDate, `CreateDate of ${fields.Arn}`),
    Id: fields.Id,
    Tags: tags !== undefined && tags.length > 0 ? tags : undefined,
    PermissionsBoundaryArn: fields.PermissionsBoundaryArn,
  });
}
