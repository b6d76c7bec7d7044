import type { PolicySource, PrincipalType, SnapshotBoundary, SnapshotPolicy } from '../snapshot/types.js';
import type { CollectContext } from './call.js';
import { mapLimit } from './concurrency.js';
import { groupSource } from './group.js';
import type { ManagedPolicyData, ManagedPolicyReader } from './managed-policy.js';
import type { InlinePolicy, Owner, PrincipalSource } from './principal-source.js';
import { userGroups } from './user.js';

/**
 * Groups of a user read at once, and managed policies of one principal read at once: small bounds, because they nest
 * (a user's groups each read their attachments) and IAM's rate buckets are per account.
 */
const GROUPS_IN_FLIGHT = 2;
const MANAGED_READS_IN_FLIGHT = 4;

/**
 * Every identity policy that applies to the principal, in a stable order: its inline policies, its attached managed
 * policies, then (for a user) each group's inline and attached policies, with Source naming the group.
 */
export async function collectPolicies(
  ctx: CollectContext,
  args: { source: PrincipalSource; owner: Owner; type: PrincipalType; readManaged: ManagedPolicyReader },
): Promise<SnapshotPolicy[]> {
  const own = policiesOf(ctx, args.source, args.owner, { Type: 'principal' }, args.readManaged);
  if (args.type !== 'user') return own;
  const [ownPolicies, groupPolicies] = await Promise.all([
    own,
    userGroups(ctx, args.owner).then((groups) =>
      mapLimit(groups, GROUPS_IN_FLIGHT, (g) =>
        policiesOf(ctx, groupSource, g, { Type: 'group', GroupName: g.Name, GroupArn: g.Arn }, args.readManaged),
      ),
    ),
  ]);
  return [...ownPolicies, ...groupPolicies.flat()];
}

async function policiesOf(
  ctx: CollectContext,
  source: PrincipalSource,
  owner: Owner,
  Source: PolicySource,
  readManaged: ManagedPolicyReader,
): Promise<SnapshotPolicy[]> {
  const [inline, attached] = await Promise.all([
    source.inlinePolicies(ctx, owner),
    source
      .attachedPolicies(ctx, owner)
      .then((refs) => mapLimit(refs, MANAGED_READS_IN_FLIGHT, (r) => readManaged(ctx, r.PolicyArn))),
  ]);
  return snapshotPolicies(inline, attached, Source);
}

/**
 * One owner's policies in the snapshot's shape and order (inline, then attached), whether they were read one call at
 * a time or taken from GetAccountAuthorizationDetails.
 */
export function snapshotPolicies(inline: readonly InlinePolicy[], attached: readonly ManagedPolicyData[], Source: PolicySource): SnapshotPolicy[] {
  return [
    ...inline.map((p): SnapshotPolicy => ({ Kind: 'inline', ...p, Source })),
    ...attached.map(
      (p): SnapshotPolicy => ({
        Kind: 'managed',
        ManagedBy: p.ManagedBy,
        PolicyArn: p.PolicyArn,
        PolicyName: p.PolicyName,
        ...(p.Path !== undefined ? { Path: p.Path } : {}),
        AttachmentCount: p.AttachmentCount,
        ...(p.PermissionsBoundaryUsageCount !== undefined ? { PermissionsBoundaryUsageCount: p.PermissionsBoundaryUsageCount } : {}),
        DefaultVersionId: p.DefaultVersionId,
        ...(p.DefaultVersionCreateDate !== undefined ? { DefaultVersionCreateDate: p.DefaultVersionCreateDate } : {}),
        PolicyDocument: p.PolicyDocument,
        Source,
      }),
    ),
  ];
}

/** The permissions boundary as the snapshot keeps it: for the record, never a grant. */
export function snapshotBoundary(policy: ManagedPolicyData): SnapshotBoundary {
  return {
    PolicyArn: policy.PolicyArn,
    PolicyName: policy.PolicyName,
    DefaultVersionId: policy.DefaultVersionId,
    PolicyDocument: policy.PolicyDocument,
  };
}
