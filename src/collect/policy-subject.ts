import { ListEntitiesForPolicyCommand, ListPolicyVersionsCommand } from '@aws-sdk/client-iam';
import type {
  AttachedEntity,
  GroupMember,
  ManagedPolicySubject,
  ManagedPolicyVersion,
  PrincipalType,
  SnapshotPrincipal,
  SubjectPolicy,
  SubjectReport,
} from '../snapshot/types.js';
import type { CollectContext } from './call.js';
import { mapLimit } from './concurrency.js';
import { definedOnly, requiredIsoDate } from './dates.js';
import { readGroupWithMembers } from './group.js';
import type { LastAccessedOptions } from './last-accessed.js';
import { readManagedPolicy, type ManagedPolicyData } from './managed-policy.js';
import { notFoundInAccount } from './not-found.js';
import { followMarkers, MAX_ITEMS, paginate } from './paginate.js';
import { roleSource } from './role.js';
import type { ManagedPolicyRef } from './subject-ref.js';
import { collectSubjectReport } from './subject-report.js';
import { userSource } from './user.js';

/** GetRole / GetUser / GetGroup calls in flight at once: IAM's rate buckets are per account */
const ENTITY_GETS_IN_FLIGHT = 4;

/** the snapshot's order of attached entities: roles, then users, then groups */
const TYPE_ORDER: readonly PrincipalType[] = ['role', 'user', 'group'];

type NotFound = () => Promise<string>;

/**
 * A managed policy as the subject: GetPolicy and its default version, ListPolicyVersions, every role, user and group
 * it is attached to as a permissions policy (dated by GetRole / GetUser / GetGroup, a group with its members), and
 * the ACTION_LEVEL last-accessed report on the policy with who used each used service. Every branch starts at once,
 * the report job among them: the rest is read while AWS computes it.
 */
export async function collectManagedPolicySubject(
  ctx: CollectContext,
  ref: ManagedPolicyRef,
  options: LastAccessedOptions,
): Promise<{ subject: ManagedPolicySubject; report: SubjectReport }> {
  // every branch's first call can be the one to find the policy missing: each says it the same way
  // (an AWS-managed policy is in every account, so only a customer-managed one names an account to compare)
  const notFound: NotFound = () => notFoundInAccount(ctx, `managed policy ${ref.arn}`, ref.account === 'aws' ? undefined : ref.account);
  const [policy, report, versions, attachedEntities] = await Promise.all([
    readManagedPolicy(ctx, ref.arn, notFound),
    collectSubjectReport(ctx, ref.arn, { ...options, entityDetails: true, notFound }),
    listVersions(ctx, ref.arn, notFound),
    listAttachedEntities(ctx, ref.arn, notFound),
  ]);
  return {
    subject: { Kind: 'managed-policy', policy: subjectPolicy(policy), versions, attachedEntities },
    report,
  };
}

/** the managed policy itself, as a managed-policy subject keeps it */
export function subjectPolicy(p: ManagedPolicyData): SubjectPolicy {
  return definedOnly({
    ManagedBy: p.ManagedBy,
    PolicyArn: p.PolicyArn,
    PolicyName: p.PolicyName,
    Path: p.Path ?? '/',
    AttachmentCount: p.AttachmentCount,
    PermissionsBoundaryUsageCount: p.PermissionsBoundaryUsageCount ?? 0,
    DefaultVersionId: p.DefaultVersionId,
    PolicyDocument: p.PolicyDocument,
    DefaultVersionCreateDate: p.DefaultVersionCreateDate,
    CreateDate: p.CreateDate,
    UpdateDate: p.UpdateDate,
  });
}

const versionNumber = (versionId: string): number => Number(versionId.slice(1));

/** ListPolicyVersions, oldest first (the API documents no order) */
async function listVersions(ctx: CollectContext, PolicyArn: string, notFound: NotFound): Promise<ManagedPolicyVersion[]> {
  const versions = await paginate(
    ctx,
    { action: 'iam:ListPolicyVersions', resource: PolicyArn, notFound },
    (Marker, c, o) => c.iam.send(new ListPolicyVersionsCommand({ PolicyArn, Marker, MaxItems: MAX_ITEMS }), o),
    'Versions',
  );
  return snapshotVersions(versions, PolicyArn);
}

/** a policy's versions as the snapshot keeps them, oldest first (the API documents no order) */
export function snapshotVersions(
  versions: readonly { VersionId?: string | undefined; IsDefaultVersion?: boolean | undefined; CreateDate?: Date | undefined }[],
  PolicyArn: string,
): ManagedPolicyVersion[] {
  return versions
    .map(
      (v): ManagedPolicyVersion => ({
        VersionId: v.VersionId ?? '',
        IsDefaultVersion: v.IsDefaultVersion ?? false,
        CreateDate: requiredIsoDate(v.CreateDate, `CreateDate of ${PolicyArn} version ${v.VersionId}`),
      }),
    )
    .sort((a, b) => versionNumber(a.VersionId) - versionNumber(b.VersionId));
}

interface ListedEntity {
  Type: PrincipalType;
  Name: string;
}

/**
 * ListEntitiesForPolicy (as a permissions policy only: a boundary grants nothing, and GetPolicy's
 * PermissionsBoundaryUsageCount already says whether it is one), then each entity's Get call for what the listing
 * leaves out (ARN, path, creation date; a group's members).
 */
async function listAttachedEntities(ctx: CollectContext, PolicyArn: string, notFound: NotFound): Promise<AttachedEntity[]> {
  const pages = await followMarkers(ctx, { action: 'iam:ListEntitiesForPolicy', resource: PolicyArn, notFound }, (Marker, c, o) =>
    c.iam.send(
      new ListEntitiesForPolicyCommand({ PolicyArn, PolicyUsageFilter: 'PermissionsPolicy', Marker, MaxItems: MAX_ITEMS }),
      o,
    ),
  );
  const listed = pages.flatMap((page): ListedEntity[] => [
    ...(page.PolicyRoles ?? []).map((r) => ({ Type: 'role' as const, Name: r.RoleName ?? '' })),
    ...(page.PolicyUsers ?? []).map((u) => ({ Type: 'user' as const, Name: u.UserName ?? '' })),
    ...(page.PolicyGroups ?? []).map((g) => ({ Type: 'group' as const, Name: g.GroupName ?? '' })),
  ]);
  return sortAttachedEntities(await mapLimit(listed, ENTITY_GETS_IN_FLIGHT, (e) => readEntity(ctx, e, PolicyArn)));
}

/** the snapshot's order: roles, then users, then groups, each by name */
export function sortAttachedEntities(entities: AttachedEntity[]): AttachedEntity[] {
  return entities.sort((a, b) => TYPE_ORDER.indexOf(a.Type) - TYPE_ORDER.indexOf(b.Type) || byCodePoint(a.Name, b.Name));
}

async function readEntity(ctx: CollectContext, listed: ListedEntity, policyArn: string): Promise<AttachedEntity> {
  // listed a moment ago, gone now: the listing and the snapshot would disagree
  const notFound = async (): Promise<string> =>
    `${listed.Type} ${listed.Name}, listed as attached to ${policyArn}, disappeared while being read (NoSuchEntity); run again`;
  const ref = { name: listed.Name };
  switch (listed.Type) {
    case 'role':
      return attachedEntity(await roleSource.get(ctx, ref, notFound));
    case 'user':
      return attachedEntity(await userSource.get(ctx, ref, notFound));
    case 'group': {
      const { group, members } = await readGroupWithMembers(ctx, listed.Name, notFound);
      return { ...attachedEntity(group), Members: sortMembers(members) };
    }
  }
}

/** a group's members by name */
export function sortMembers(members: GroupMember[]): GroupMember[] {
  return members.sort((a, b) => byCodePoint(a.Name, b.Name));
}

/** the fields of a Get<X> answer an attached entity keeps */
export function attachedEntity(p: SnapshotPrincipal): AttachedEntity {
  return definedOnly({ Type: p.Type, Arn: p.Arn, Name: p.Name, Path: p.Path, CreateDate: p.CreateDate, Id: p.Id });
}

/** names in code-point order: the same on every host, whatever its locale */
export const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
