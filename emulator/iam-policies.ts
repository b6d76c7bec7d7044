import type { Entity, ManagedPolicy, PolicyVersion } from './account.js';
import { invalidInput, noSuchEntity } from './api-error.js';
import { byCodePoint, enumParam, paginate, pathPrefix, required, type QueryContext, type QueryHandler } from './context.js';
import { tags, urlEncode } from './iam-entities.js';
import type { XmlValue } from './xml.js';

/** IAM read operations on managed policies: the policy, its versions, and the entities it is attached to. */

const POLICY_ARN = /^arn:aws:iam::(aws|[0-9]{12}):policy\/.+/;

export function managedPolicy(ctx: QueryContext): ManagedPolicy {
  const arn = required(ctx, 'PolicyArn');
  if (!POLICY_ARN.test(arn)) throw invalidInput(`ARN ${arn} is not valid.`);
  const p = ctx.account.policies.get(arn);
  if (!p) throw noSuchEntity(`Policy ${arn} was not found.`);
  return p;
}

/** the policy as ListPolicies returns it: IAM's listings leave out Tags (API docs) */
export function policyShape(p: ManagedPolicy): Record<string, XmlValue> {
  return {
    PolicyName: p.name,
    PolicyId: p.id,
    Arn: p.arn,
    Path: p.path,
    DefaultVersionId: p.defaultVersionId,
    AttachmentCount: p.attachmentCount,
    PermissionsBoundaryUsageCount: p.boundaryUsageCount,
    IsAttachable: true,
    Description: p.description,
    CreateDate: p.createDate,
    UpdateDate: p.updateDate,
  };
}

const getPolicy: QueryHandler = (ctx) => {
  const p = managedPolicy(ctx);
  return { Policy: { ...policyShape(p), Tags: tags(p.tags) } };
};

const getPolicyVersion: QueryHandler = (ctx) => {
  const p = managedPolicy(ctx);
  const versionId = required(ctx, 'VersionId');
  if (!/^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$/.test(versionId)) throw invalidInput(`Version ${versionId} is not valid.`);
  const v = p.versions.find((x) => x.versionId === versionId);
  if (!v) throw noSuchEntity(`Policy ${p.arn} version ${versionId} does not exist or is not attachable.`);
  return { PolicyVersion: versionShape(p, v) };
};

/** a version with its URL-encoded document, as GetPolicyVersion and GetAccountAuthorizationDetails return it */
export function versionShape(p: ManagedPolicy, v: PolicyVersion): Record<string, XmlValue> {
  return {
    Document: urlEncode(v.text),
    VersionId: v.versionId,
    IsDefaultVersion: v.versionId === p.defaultVersionId,
    CreateDate: v.createDate,
  };
}

const versionNumber = (versionId: string): number => Number(versionId.slice(1));

/** newest first, as in the AWS CLI's example output (the API documents no order) */
export function versionsNewestFirst(p: ManagedPolicy): PolicyVersion[] {
  return [...p.versions].sort((a, b) => versionNumber(b.versionId) - versionNumber(a.versionId));
}

const listPolicyVersions: QueryHandler = (ctx) => {
  const p = managedPolicy(ctx);
  // the listing carries no Document (API docs)
  const versions = versionsNewestFirst(p).map((v) => ({ VersionId: v.versionId, IsDefaultVersion: v.versionId === p.defaultVersionId, CreateDate: v.createDate }));
  const { page, IsTruncated, Marker } = paginate(ctx, versions);
  return { Versions: page, IsTruncated, Marker };
};

const ENTITY_FILTERS = ['Role', 'User', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'] as const;
const USAGE_FILTERS = ['PermissionsPolicy', 'PermissionsBoundary'] as const;
type UsageFilter = (typeof USAGE_FILTERS)[number];

/** attached as a permissions policy, or used as the entity's permissions boundary (roles and users only) */
function uses(e: Entity, arn: string, usage: UsageFilter | undefined): boolean {
  const attached = usage !== 'PermissionsBoundary' && e.attached.includes(arn);
  const boundary = usage !== 'PermissionsPolicy' && e.permissionsBoundaryArn === arn;
  return attached || boundary;
}

const ENTITY_LISTS = [
  { type: 'group', filter: 'Group', list: 'PolicyGroups', name: 'GroupName', id: 'GroupId' },
  { type: 'user', filter: 'User', list: 'PolicyUsers', name: 'UserName', id: 'UserId' },
  { type: 'role', filter: 'Role', list: 'PolicyRoles', name: 'RoleName', id: 'RoleId' },
] as const;

const listEntitiesForPolicy: QueryHandler = (ctx) => {
  const p = managedPolicy(ctx);
  const entityFilter = enumParam(ctx, 'EntityFilter', ENTITY_FILTERS);
  const usage = enumParam(ctx, 'PolicyUsageFilter', USAGE_FILTERS);
  const prefix = pathPrefix(ctx);
  const maps = { group: ctx.account.groups, user: ctx.account.users, role: ctx.account.roles };
  // one sequence (groups, users, roles; each by name) paged as a whole, so MaxItems counts entities of every kind;
  // the *ManagedPolicy filters name no entity kind and so match none
  const reached = ENTITY_LISTS.filter((kind) => entityFilter === undefined || entityFilter === kind.filter).flatMap((kind) =>
    [...maps[kind.type].values()]
      .filter((e) => e.path.startsWith(prefix) && uses(e, p.arn, usage))
      .sort((a, b) => byCodePoint(a.name, b.name)),
  );
  const { page, IsTruncated, Marker } = paginate(ctx, reached);
  const lists: Record<string, XmlValue> = {};
  for (const kind of ENTITY_LISTS) {
    lists[kind.list] = page.filter((e) => e.type === kind.type).map((e) => ({ [kind.name]: e.name, [kind.id]: e.id }));
  }
  return { ...lists, IsTruncated, Marker };
};

export const policyHandlers: Record<string, QueryHandler> = {
  GetPolicy: getPolicy,
  GetPolicyVersion: getPolicyVersion,
  ListPolicyVersions: listPolicyVersions,
  ListEntitiesForPolicy: listEntitiesForPolicy,
};
