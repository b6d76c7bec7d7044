import type { AttachedPolicy, GroupDetail, ManagedPolicyDetail, PolicyDetail, RoleDetail, UserDetail } from '@aws-sdk/client-iam';
import { awsError } from '../../errors.js';
import type { AttachedEntity, ManagedPolicySubject, PolicySource, PrincipalSubject, SnapshotPolicy } from '../../snapshot/types.js';
import type { CollectContext } from '../call.js';
import { mapLimit } from '../concurrency.js';
import { decodePolicyDocument } from '../document.js';
import { groupMember } from '../group.js';
import { managedPolicyData, managedPolicyReader, type ManagedPolicyData } from '../managed-policy.js';
import { snapshotBoundary, snapshotPolicies } from '../policies.js';
import { attachedEntity, snapshotVersions, sortAttachedEntities, sortMembers, subjectPolicy } from '../policy-subject.js';
import { snapshotPrincipal, type InlinePolicy } from '../principal-source.js';
import type { AuthorizationDetails } from './authorization-details.js';
import type { SubjectKey } from './types.js';

/** One account's GetAccountAuthorizationDetails, looked up by name (principals) and ARN (policies). */
export interface AccountIndex {
  roles: ReadonlyMap<string, RoleDetail>;
  users: ReadonlyMap<string, UserDetail>;
  groups: ReadonlyMap<string, GroupDetail>;
  policies: ReadonlyMap<string, ManagedPolicyDetail>;
  /** every user of the listing, for group members */
  allUsers: readonly UserDetail[];
  allRoles: readonly RoleDetail[];
  allGroups: readonly GroupDetail[];
}

export function indexDetails(details: AuthorizationDetails): AccountIndex {
  return {
    roles: new Map(details.roles.map((r) => [r.RoleName ?? '', r])),
    users: new Map(details.users.map((u) => [u.UserName ?? '', u])),
    groups: new Map(details.groups.map((g) => [g.GroupName ?? '', g])),
    policies: new Map(details.policies.map((p) => [p.Arn ?? '', p])),
    allUsers: details.users,
    allRoles: details.roles,
    allGroups: details.groups,
  };
}

/** A managed policy by ARN, each read once per account: from the listing, or else by GetPolicy + GetPolicyVersion. */
export type PolicyLookup = (arn: string) => Promise<ManagedPolicyData>;

/**
 * AWS lists every customer-managed policy but only the AWS-managed ones attached to something: a boundary that is
 * AWS-managed and attached nowhere, or a policy attached after the listing, is read through the single-subject
 * reader (cached, so once per account however many subjects use it).
 */
export function policyLookup(ctx: CollectContext, index: AccountIndex): PolicyLookup {
  const read = managedPolicyReader();
  const converted = new Map<string, ManagedPolicyData>();
  return async (arn) => {
    const detail = index.policies.get(arn);
    if (detail === undefined) return read(ctx, arn);
    let data = converted.get(arn);
    if (data === undefined) {
      data = managedPolicyData(arn, detail, defaultVersion(detail, arn));
      converted.set(arn, data);
    }
    return data;
  };
}

function defaultVersion(detail: ManagedPolicyDetail, arn: string): NonNullable<ManagedPolicyDetail['PolicyVersionList']>[number] {
  const versions = detail.PolicyVersionList ?? [];
  const found = versions.find((v) => v.VersionId === detail.DefaultVersionId) ?? versions.find((v) => v.IsDefaultVersion === true);
  if (found === undefined) {
    throw awsError(`GetAccountAuthorizationDetails listed ${arn} without its default version ${String(detail.DefaultVersionId)}`);
  }
  return found;
}

/** attached policies of one owner looked up at once (most are already in memory; a few need two calls) */
const LOOKUPS_IN_FLIGHT = 4;

/**
 * A role, user or group subject exactly as collectPrincipalSubject builds it (./principal-subject.ts): the principal,
 * its inline then attached policies, then for a user each group's (Source naming the group), and its boundary.
 */
export async function principalSubject(key: SubjectKey, index: AccountIndex, lookup: PolicyLookup): Promise<PrincipalSubject> {
  const owned = ownerOf(key, index);
  const own = await policiesOf(owned.inline, owned.attached, { Type: 'principal' }, key.arn, lookup);
  const fromGroups: SnapshotPolicy[] = [];
  for (const name of owned.groups) {
    const group = index.groups.get(name);
    if (group === undefined) throw awsError(`GetAccountAuthorizationDetails lists ${key.arn} in group ${name} but not the group`);
    const Source: PolicySource = { Type: 'group', GroupName: group.GroupName ?? name, GroupArn: group.Arn ?? '' };
    fromGroups.push(...(await policiesOf(group.GroupPolicyList, group.AttachedManagedPolicies, Source, group.Arn ?? name, lookup)));
  }
  const boundaryArn = owned.principal.PermissionsBoundaryArn;
  const permissionsBoundary = boundaryArn !== undefined ? snapshotBoundary(await lookup(boundaryArn)) : undefined;
  return {
    Kind: 'principal',
    principal: owned.principal,
    policies: [...own, ...fromGroups],
    ...(permissionsBoundary ? { permissionsBoundary } : {}),
  };
}

interface Owned {
  principal: PrincipalSubject['principal'];
  inline: PolicyDetail[] | undefined;
  attached: AttachedPolicy[] | undefined;
  groups: readonly string[];
}

/** the listing's entry for the key, as Get<X> would have answered (a group carries no tags nor boundary there either) */
function ownerOf(key: SubjectKey, index: AccountIndex): Owned {
  const missing = (): never => {
    throw awsError(`${key.kind} ${key.name} is missing from GetAccountAuthorizationDetails`);
  };
  switch (key.kind) {
    case 'role': {
      const r = index.roles.get(key.name) ?? missing();
      const principal = rolePrincipal(r);
      return { principal, inline: r.RolePolicyList, attached: r.AttachedManagedPolicies, groups: [] };
    }
    case 'user': {
      const u = index.users.get(key.name) ?? missing();
      const principal = userPrincipal(u);
      return { principal, inline: u.UserPolicyList, attached: u.AttachedManagedPolicies, groups: u.GroupList ?? [] };
    }
    case 'group': {
      const g = index.groups.get(key.name) ?? missing();
      return { principal: groupPrincipal(g), inline: g.GroupPolicyList, attached: g.AttachedManagedPolicies, groups: [] };
    }
    case 'policy':
      throw awsError(`${key.arn} is a managed policy, not a principal`);
  }
}

async function policiesOf(
  inlineList: PolicyDetail[] | undefined,
  attachedList: AttachedPolicy[] | undefined,
  Source: PolicySource,
  ownerArn: string,
  lookup: PolicyLookup,
): Promise<SnapshotPolicy[]> {
  const inline = (inlineList ?? []).map((p): InlinePolicy => {
    const PolicyName = p.PolicyName ?? '';
    return { PolicyName, PolicyDocument: decodePolicyDocument(p.PolicyDocument, `inline policy ${PolicyName} of ${ownerArn}`) };
  });
  const attached = await mapLimit(attachedList ?? [], LOOKUPS_IN_FLIGHT, (a) => lookup(a.PolicyArn ?? ''));
  return snapshotPolicies(inline, attached, Source);
}

/**
 * A customer-managed policy subject exactly as collectManagedPolicySubject builds it (./policy-subject.ts): the policy
 * and its default version, every version oldest first, and the roles, users and groups it is attached to as a
 * permissions policy (groups with their members), in the snapshot's order.
 */
export async function managedPolicySubject(key: SubjectKey, index: AccountIndex, lookup: PolicyLookup): Promise<ManagedPolicySubject> {
  const detail = index.policies.get(key.arn);
  if (detail === undefined) throw awsError(`policy ${key.name} is missing from GetAccountAuthorizationDetails`);
  const policy = subjectPolicy(await lookup(key.arn));
  const versions = snapshotVersions(detail.PolicyVersionList ?? [], key.arn);
  const attaches = (list: AttachedPolicy[] | undefined): boolean => (list ?? []).some((a) => a.PolicyArn === key.arn);
  const entities: AttachedEntity[] = [
    ...index.allRoles.filter((r) => attaches(r.AttachedManagedPolicies)).map((r) => attachedEntity(rolePrincipal(r))),
    ...index.allUsers.filter((u) => attaches(u.AttachedManagedPolicies)).map((u) => attachedEntity(userPrincipal(u))),
    ...index.allGroups
      .filter((g) => attaches(g.AttachedManagedPolicies))
      .map((g) => ({ ...attachedEntity(groupPrincipal(g)), Members: sortMembers(membersOf(g, index)) })),
  ];
  return { Kind: 'managed-policy', policy, versions, attachedEntities: sortAttachedEntities(entities) };
}

function membersOf(group: GroupDetail, index: AccountIndex) {
  return index.allUsers.filter((u) => (u.GroupList ?? []).includes(group.GroupName ?? '')).map(groupMember);
}

/** the principal as GetRole / GetUser answers it (an attached entity keeps fewer of its fields) */
function rolePrincipal(r: RoleDetail): PrincipalSubject['principal'] {
  return taggedPrincipal('role', r, r.RoleName, r.RoleId);
}

function userPrincipal(u: UserDetail): PrincipalSubject['principal'] {
  return taggedPrincipal('user', u, u.UserName, u.UserId);
}

function taggedPrincipal(
  Type: 'role' | 'user',
  d: Pick<RoleDetail, 'Arn' | 'Path' | 'CreateDate' | 'Tags' | 'PermissionsBoundary'>,
  Name: string | undefined,
  Id: string | undefined,
): PrincipalSubject['principal'] {
  const { Arn, Path, CreateDate, Tags } = d;
  return snapshotPrincipal({ Type, Arn, Name, Path, CreateDate, Id, Tags, PermissionsBoundaryArn: d.PermissionsBoundary?.PermissionsBoundaryArn });
}

/** as GetGroup answers it: no tags, no boundary */

function groupPrincipal(g: GroupDetail): PrincipalSubject['principal'] {
  return snapshotPrincipal({ Type: 'group', Arn: g.Arn, Name: g.GroupName, Path: g.Path, CreateDate: g.CreateDate, Id: g.GroupId });
}
