import { lookupEntity, type Account, type Entity, type ManagedPolicy } from './account.js';
import { noSuchEntity, validationError } from './api-error.js';
import { byCodePoint, paginate, pathPrefix, required, type QueryContext, type QueryHandler } from './context.js';
import type { XmlValue } from './xml.js';

/** IAM read operations on roles, users and groups. Documents are URL-encoded as IAM does. */

/**
 * IAM percent-encodes policy documents "according to RFC 3986" (API docs): everything but A-Z a-z 0-9 - . _ ~, so
 * also the ! ' ( ) * that encodeURIComponent keeps. The JS SDK hands the encoded string to the caller unchanged.
 */
export const urlEncode = (text: string): string =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

type Kind = 'role' | 'user' | 'group';
const NAME_PARAM: Record<Kind, string> = { role: 'RoleName', user: 'UserName', group: 'GroupName' };

function mapOf(ctx: QueryContext, kind: Kind): Map<string, Entity> {
  return kind === 'role' ? ctx.account.roles : kind === 'user' ? ctx.account.users : ctx.account.groups;
}

function entity(ctx: QueryContext, kind: Kind): Entity {
  const name = required(ctx, NAME_PARAM[kind]);
  const e = lookupEntity(mapOf(ctx, kind), name);
  if (!e) throw noSuchEntity(`The ${kind} with name ${name} cannot be found.`);
  return e;
}

export function boundary(e: Entity): XmlValue {
  return e.permissionsBoundaryArn
    ? { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: e.permissionsBoundaryArn }
    : undefined;
}

export function tags(list: { Key: string; Value: string }[]): XmlValue {
  return list.length > 0 ? list : undefined;
}

/** approximated by the role's latest activity up to `now` (IAM's is its latest assumption) */
export function lastUsed(ctx: QueryContext, e: Entity): XmlValue {
  const events = (ctx.account.usage.get(e.arn) ?? []).filter((ev) => ev.time <= ctx.account.now);
  const last = events[events.length - 1];
  return last ? { LastUsedDate: last.time, Region: last.region } : {};
}

export function userShape(u: Entity): Record<string, XmlValue> {
  return { Path: u.path, UserName: u.name, UserId: u.id, Arn: u.arn, CreateDate: u.createDate };
}

export function groupShape(g: Entity): Record<string, XmlValue> {
  return { Path: g.path, GroupName: g.name, GroupId: g.id, Arn: g.arn, CreateDate: g.createDate };
}

/** the role as ListRoles returns it: IAM's listings leave out PermissionsBoundary, RoleLastUsed and Tags (API docs) */
export function roleShape(r: Entity): Record<string, XmlValue> {
  return {
    Path: r.path,
    RoleName: r.name,
    RoleId: r.id,
    Arn: r.arn,
    CreateDate: r.createDate,
    AssumeRolePolicyDocument: urlEncode(r.assumeRolePolicyText ?? ''),
    Description: r.description,
    MaxSessionDuration: r.maxSessionDuration,
  };
}

const getRole: QueryHandler = (ctx) => {
  const r = entity(ctx, 'role');
  return { Role: { ...roleShape(r), PermissionsBoundary: boundary(r), Tags: tags(r.tags), RoleLastUsed: lastUsed(ctx, r) } };
};

const getUser: QueryHandler = (ctx) => {
  // without UserName, GetUser describes the calling IAM user; other credentials must name one
  if (ctx.params.get('UserName') === null) {
    const self = /:user\/(?:.*\/)?([^/]+)$/.exec(ctx.caller.arn)?.[1];
    if (!self) throw validationError('Must specify userName when calling with non-User credentials');
    ctx.params.set('UserName', self);
  }
  const u = entity(ctx, 'user');
  return { User: { ...userShape(u), PermissionsBoundary: boundary(u), Tags: tags(u.tags) } };
};

const getGroup: QueryHandler = (ctx) => {
  const g = entity(ctx, 'group');
  const members = [...ctx.account.users.values()].filter((u) => u.groups.includes(g.name));
  const { page, IsTruncated, Marker } = paginate(ctx, members);
  return { Group: groupShape(g), Users: page.map(userShape), IsTruncated, Marker };
};

function listInline(kind: Kind): QueryHandler {
  return (ctx) => {
    const e = entity(ctx, kind);
    // fixture (creation) order, as moto lists them; the API documents no order
    const names = e.inline.map((p) => p.name);
    const { page, IsTruncated, Marker } = paginate(ctx, names);
    return { PolicyNames: page, IsTruncated, Marker };
  };
}

function getInline(kind: Kind): QueryHandler {
  return (ctx) => {
    const e = entity(ctx, kind);
    const policyName = required(ctx, 'PolicyName');
    const p = e.inline.find((x) => x.name.toLowerCase() === policyName.toLowerCase());
    if (!p) throw noSuchEntity(`The ${kind} policy with name ${policyName} cannot be found.`);
    return { [NAME_PARAM[kind]]: e.name, PolicyName: p.name, PolicyDocument: urlEncode(p.text) };
  };
}

/** the entity's attached policies under `prefix`, by name in code-point order (as moto lists them; the API documents no order) */
export function attachedPolicies(account: Account, e: Entity, prefix = '/'): { PolicyName: string; PolicyArn: string }[] {
  return e.attached
    .map((arn) => account.policies.get(arn))
    .filter((p): p is ManagedPolicy => p !== undefined && p.path.startsWith(prefix))
    .sort((a, b) => byCodePoint(a.name, b.name))
    .map((p) => ({ PolicyName: p.name, PolicyArn: p.arn }));
}

/** the user's groups in membership (fixture) order */
export function groupsOf(account: Account, u: Entity): Entity[] {
  return u.groups.map((g) => lookupEntity(account.groups, g)).filter((g): g is Entity => g !== undefined);
}

function listAttached(kind: Kind): QueryHandler {
  return (ctx) => {
    const e = entity(ctx, kind);
    const attached = attachedPolicies(ctx.account, e, pathPrefix(ctx));
    const { page, IsTruncated, Marker } = paginate(ctx, attached);
    return { AttachedPolicies: page, IsTruncated, Marker };
  };
}

const listGroupsForUser: QueryHandler = (ctx) => {
  const u = entity(ctx, 'user');
  const groups = groupsOf(ctx.account, u).map(groupShape);
  const { page, IsTruncated, Marker } = paginate(ctx, groups);
  return { Groups: page, IsTruncated, Marker };
};

export const entityHandlers: Record<string, QueryHandler> = {
  GetRole: getRole,
  GetUser: getUser,
  GetGroup: getGroup,
  ListRolePolicies: listInline('role'),
  ListUserPolicies: listInline('user'),
  ListGroupPolicies: listInline('group'),
  GetRolePolicy: getInline('role'),
  GetUserPolicy: getInline('user'),
  GetGroupPolicy: getInline('group'),
  ListAttachedRolePolicies: listAttached('role'),
  ListAttachedUserPolicies: listAttached('user'),
  ListAttachedGroupPolicies: listAttached('group'),
  ListGroupsForUser: listGroupsForUser,
};

/** The resource an AccessDenied message names for this call: the principal's or policy's ARN, else "*". */
export function resourceOf(ctx: QueryContext): string {
  const p = ctx.params;
  const acct = ctx.account.id;
  for (const kind of ['role', 'user', 'group'] as const) {
    const name = p.get(NAME_PARAM[kind]);
    if (name) return lookupEntity(mapOf(ctx, kind), name)?.arn ?? `arn:aws:iam::${acct}:${kind}/${name}`;
  }
  return p.get('PolicyArn') ?? p.get('Arn') ?? p.get('RoleArn') ?? '*';
}
