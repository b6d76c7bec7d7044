import type { PolicySource, PrincipalType, SnapshotPolicy } from '../snapshot/types.js';
import type { CollectContext } from './call.js';
import { groupSource } from './group.js';
import type { ManagedPolicyReader } from './managed-policy.js';
import type { Owner, PrincipalSource } from './principal-source.js';
import { userGroups } from './user.js';

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
      Promise.all(
        groups.map((g) =>
          policiesOf(ctx, groupSource, g, { Type: 'group', GroupName: g.Name, GroupArn: g.Arn }, args.readManaged),
        ),
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
    source.attachedPolicies(ctx, owner).then((refs) => Promise.all(refs.map((r) => readManaged(ctx, r.PolicyArn)))),
  ]);
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
