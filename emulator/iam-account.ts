import type { Account, Entity, InlinePolicy, ManagedPolicy } from './account.js';
import { constraintError } from './api-error.js';
import { byCodePoint, enumParam, optional, paginate, pathPrefix, type QueryContext, type QueryHandler } from './context.js';
import {
  attachedPolicies,
  boundary,
  groupShape,
  groupsOf,
  lastUsed,
  roleShape,
  tags,
  urlEncode,
  userShape,
} from './iam-entities.js';
import { policyShape, versionShape, versionsNewestFirst } from './iam-policies.js';
import type { XmlValue } from './xml.js';

/**
 * IAM's account-wide read operations: GetAccountAuthorizationDetails and the ListRoles/ListUsers/ListGroups/
 * ListPolicies listings. Every nested list uses the order of the per-principal operations (inline policies in creation
 * order, attached policies by name, groups in membership order, versions newest first) and every document is encoded
 * exactly as GetRolePolicy/GetPolicyVersion encode it, so a collector reading either way sees the same data.
 */

const ENTITY_TYPES = ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'] as const;
type EntityType = (typeof ENTITY_TYPES)[number];

const byName = <T extends { name: string }>(items: Iterable<T>): T[] => [...items].sort((a, b) => byCodePoint(a.name, b.name));

/** Filter.member.N; none given = every type */
function filterTypes(ctx: QueryContext): Set<EntityType> {
  const given: string[] = [];
  for (let n = 1; ctx.params.has(`Filter.member.${n}`); n++) given.push(ctx.params.get(`Filter.member.${n}`) ?? '');
  const bad = given.find((v) => !(ENTITY_TYPES as readonly string[]).includes(v));
  if (bad !== undefined) {
    throw constraintError(
      `Value '[${given.join(', ')}]' at 'filter' failed to satisfy constraint: ` +
        `Member must satisfy constraint: [Member must satisfy enum value set: [${ENTITY_TYPES.join(', ')}]]`,
    );
  }
  return new Set(given.length > 0 ? (given as EntityType[]) : ENTITY_TYPES);
}

const inlineList = (list: InlinePolicy[]): XmlValue[] =>
  list.map((p) => ({ PolicyName: p.name, PolicyDocument: urlEncode(p.text) }));

function userDetail(account: Account, u: Entity): Record<string, XmlValue> {
  return {
    ...userShape(u),
    UserPolicyList: inlineList(u.inline),
    GroupList: groupsOf(account, u).map((g) => g.name),
    AttachedManagedPolicies: attachedPolicies(account, u),
    PermissionsBoundary: boundary(u),
    Tags: tags(u.tags),
  };
}

function groupDetail(account: Account, g: Entity): Record<string, XmlValue> {
  return { ...groupShape(g), GroupPolicyList: inlineList(g.inline), AttachedManagedPolicies: attachedPolicies(account, g) };
}

function roleDetail(ctx: QueryContext, r: Entity): Record<string, XmlValue> {
  const { Description: _d, MaxSessionDuration: _m, ...listed } = roleShape(r);
  return {
    ...listed,
    // the emulator models no instance profiles
    InstanceProfileList: [],
    RolePolicyList: inlineList(r.inline),
    AttachedManagedPolicies: attachedPolicies(ctx.account, r),
    PermissionsBoundary: boundary(r),
    Tags: tags(r.tags),
    RoleLastUsed: lastUsed(ctx, r),
  };
}

function policyDetail(p: ManagedPolicy): Record<string, XmlValue> {
  return { ...policyShape(p), PolicyVersionList: versionsNewestFirst(p).map((v) => versionShape(p, v)) };
}

/** AWS lists every customer-managed policy but only the AWS-managed ones in use (attached, or a boundary) */
const inUse = (p: ManagedPolicy): boolean => p.attachmentCount > 0 || p.boundaryUsageCount > 0;

type ListName = 'UserDetailList' | 'GroupDetailList' | 'RoleDetailList' | 'Policies';
/** one item of the concatenated sequence: which list it goes to, and how to build it (only when on the page) */
type Item = { list: ListName; build: () => Record<string, XmlValue> };

function accountItems(ctx: QueryContext, types: Set<EntityType>): Item[] {
  const { account } = ctx;
  const items: Item[] = [];
  const add = <T extends { name: string }>(list: ListName, from: Iterable<T>, build: (x: T) => Record<string, XmlValue>) => {
    for (const x of byName(from)) items.push({ list, build: () => build(x) });
  };
  if (types.has('User')) add('UserDetailList', account.users.values(), (u) => userDetail(account, u));
  if (types.has('Group')) add('GroupDetailList', account.groups.values(), (g) => groupDetail(account, g));
  if (types.has('Role')) add('RoleDetailList', account.roles.values(), (r) => roleDetail(ctx, r));
  const wanted = (p: ManagedPolicy): boolean =>
    p.awsManaged ? types.has('AWSManagedPolicy') && inUse(p) : types.has('LocalManagedPolicy');
  add('Policies', [...account.policies.values()].filter(wanted), policyDetail);
  return items;
}

const getAccountAuthorizationDetails: QueryHandler = (ctx) => {
  // one sequence (users, groups, roles, policies; each by name) paged as a whole, so MaxItems counts items of every
  // list; details are built for the page only, so 1-item pages over a large account stay cheap
  const { page, IsTruncated, Marker } = paginate(ctx, accountItems(ctx, filterTypes(ctx)));
  const lists: Record<ListName, XmlValue[]> = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] };
  for (const item of page) lists[item.list].push(item.build());
  return { ...lists, IsTruncated, Marker };
};

/** ListRoles/ListUsers/ListGroups: every principal of the kind under PathPrefix, by name */
function listPrincipals(
  pick: (a: Account) => Map<string, Entity>,
  list: string,
  shape: (e: Entity) => Record<string, XmlValue>,
): QueryHandler {
  return (ctx) => {
    const prefix = pathPrefix(ctx);
    const matching = byName(pick(ctx.account).values()).filter((e) => e.path.startsWith(prefix));
    const { page, IsTruncated, Marker } = paginate(ctx, matching);
    return { [list]: page.map(shape), IsTruncated, Marker };
  };
}

const SCOPES = ['All', 'AWS', 'Local'] as const;
const USAGE = ['PermissionsPolicy', 'PermissionsBoundary'] as const;

function booleanParam(ctx: QueryContext, name: string): boolean {
  const v = optional(ctx, name);
  if (v === undefined || v === 'false') return false;
  if (v === 'true') return true;
  const member = `${name.charAt(0).toLowerCase()}${name.slice(1)}`;
  throw constraintError(`Value '${v}' at '${member}' failed to satisfy constraint: Member must be a boolean`);
}

/**
 * ListPolicies. PolicyUsageFilter PermissionsBoundary: the policies some principal uses as its boundary;
 * PermissionsPolicy: the others, or those also attached (a policy can be both). OnlyAttached: AttachmentCount > 0.
 */
const listPolicies: QueryHandler = (ctx) => {
  const scope = enumParam(ctx, 'Scope', SCOPES) ?? 'All';
  const onlyAttached = booleanParam(ctx, 'OnlyAttached');
  const usage = enumParam(ctx, 'PolicyUsageFilter', USAGE);
  const prefix = pathPrefix(ctx);
  const matching = byName(ctx.account.policies.values()).filter(
    (p) =>
      (scope === 'All' || (scope === 'AWS') === p.awsManaged) &&
      (!onlyAttached || p.attachmentCount > 0) &&
      (usage !== 'PermissionsBoundary' || p.boundaryUsageCount > 0) &&
      (usage !== 'PermissionsPolicy' || p.boundaryUsageCount === 0 || p.attachmentCount > 0) &&
      p.path.startsWith(prefix),
  );
  const { page, IsTruncated, Marker } = paginate(ctx, matching);
  return { Policies: page.map(policyShape), IsTruncated, Marker };
};

export const accountHandlers: Record<string, QueryHandler> = {
  GetAccountAuthorizationDetails: getAccountAuthorizationDetails,
  ListRoles: listPrincipals((a) => a.roles, 'Roles', roleShape),
  ListUsers: listPrincipals((a) => a.users, 'Users', userShape),
  ListGroups: listPrincipals((a) => a.groups, 'Groups', groupShape),
  ListPolicies: listPolicies,
};
