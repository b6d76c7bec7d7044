import { createHash } from 'node:crypto';
import type {
  EmulatorFixture,
  FixtureAccountContent,
  FixtureCaller,
  FixtureOrganization,
  FixturePolicyDocument,
  FixturePrincipalBase,
  FixtureUsageEvent,
} from './fixture-types.js';
import { FixtureError } from './fixture.js';
import { expandGenerated } from './generate.js';

/**
 * The account the emulator serves, built once from a validated fixture: every default filled in, every reference
 * resolved, so the request handlers only look things up.
 */
export type EntityType = 'role' | 'user' | 'group';

export interface InlinePolicy {
  name: string;
  /** the document text exactly as IAM would store it (JSON.stringify of an object, or the fixture's string) */
  text: string;
}

export interface Entity {
  type: EntityType;
  name: string;
  path: string;
  id: string;
  arn: string;
  createDate: Date;
  inline: InlinePolicy[];
  attached: string[];
  tags: { Key: string; Value: string }[];
  permissionsBoundaryArn?: string;
  /** roles only */
  description?: string;
  maxSessionDuration?: number;
  assumeRolePolicyText?: string;
  /** users only: group names, canonical casing */
  groups: string[];
}

export interface PolicyVersion {
  versionId: string;
  text: string;
  createDate: Date;
}

export interface ManagedPolicy {
  arn: string;
  name: string;
  path: string;
  id: string;
  awsManaged: boolean;
  description?: string;
  createDate: Date;
  updateDate: Date;
  versions: PolicyVersion[];
  defaultVersionId: string;
  tags: { Key: string; Value: string }[];
  /** computed: roles + users + groups the policy is attached to */
  attachmentCount: number;
  /** computed: principals using it as permissions boundary */
  boundaryUsageCount: number;
}

export interface UsageEvent {
  service: string;
  action?: string;
  time: Date;
  region: string;
}

export interface Caller {
  arn: string;
  userId: string;
  account: string;
  /** lower-case "service:operation" */
  denied: ReadonlySet<string>;
  /** lower-case action, exact resource ARN */
  deniedOn: readonly { action: string; resource: string }[];
}

export interface Account {
  id: string;
  now: Date;
  roles: Map<string, Entity>;
  users: Map<string, Entity>;
  groups: Map<string, Entity>;
  policies: Map<string, ManagedPolicy>;
  /** principal ARN → events, sorted by time */
  usage: Map<string, UsageEvent[]>;
  /** the home account's only: who the fixture's access keys are */
  callers: Map<string, Caller>;
  defaultCaller: Caller;
  /** the home account's only (it is the organization's management account unless the fixture says otherwise) */
  organization?: FixtureOrganization;
  /** operations refused to callers who assumed a role in this account (member accounts' `denied`) */
  sessionDenied: ReadonlySet<string>;
}

const DAY_MS = 86_400_000;
/** principals without a createDate are old enough for any usage window the analysis may ask about */
const DEFAULT_AGE_DAYS = 730;

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** AWS unique ids are a 4-letter prefix and 17 base32-ish characters; derived from the ARN so they are stable. */
export function deriveId(prefix: string, seed: string): string {
  const digest = createHash('sha256').update(seed).digest();
  let out = prefix;
  for (let i = 0; out.length < 21; i++) out += ID_ALPHABET[(digest[i] ?? 0) % 32];
  return out;
}

export function documentText(doc: FixturePolicyDocument): string {
  return typeof doc === 'string' ? doc : JSON.stringify(doc);
}

function tagList(tags: Record<string, string> | undefined): { Key: string; Value: string }[] {
  return Object.entries(tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
}

const DEFAULT_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

function key(name: string): string {
  // IAM names are unique case-insensitively and looked up without regard to case
  return name.toLowerCase();
}

type Content = Pick<Account, 'roles' | 'users' | 'groups' | 'policies' | 'usage'>;

/** The home account first, then each member account, by account id. */
export function buildAccounts(fixture: EmulatorFixture): Map<string, Account> {
  const home = buildAccount(fixture);
  const accounts = new Map([[home.id, home]]);
  (fixture.memberAccounts ?? []).forEach((m, n) => {
    if (accounts.has(m.accountId)) {
      throw new FixtureError(`fixture: memberAccounts[${n}] has account id ${m.accountId}, which is already the home account or another member's`);
    }
    const content = buildContent(expandGenerated(m, m.accountId, `memberAccounts[${n}].`), m.accountId, home.now);
    accounts.set(m.accountId, {
      id: m.accountId,
      now: home.now,
      ...content,
      callers: new Map(),
      defaultCaller: home.defaultCaller,
      sessionDenied: lowerSet(m.denied),
    });
  });
  return accounts;
}

export function buildAccount(fixture: EmulatorFixture): Account {
  const now = new Date(fixture.now);
  const acct = fixture.accountId;
  const { roles, users, groups, policies, usage } = buildContent(expandGenerated(fixture, acct, ''), acct, now);

  const knownIds = (arn: string): string | undefined => {
    // an assumed-role session's UserId is "RoleId:session"; a user's is its UserId
    const session = /^arn:aws:sts::\d{12}:assumed-role\/([^/]+)\/(.+)$/.exec(arn);
    if (session) {
      const role = roles.get(key(session[1] ?? ''));
      return `${role?.id ?? deriveId('AROA', session[1] ?? '')}:${session[2] ?? ''}`;
    }
    return [...users.values()].find((u) => u.arn === arn)?.id;
  };
  const callers = new Map<string, Caller>();
  for (const c of fixture.callers ?? []) callers.set(c.accessKeyId, toCaller(c, acct, knownIds));
  const defaultCaller = toCaller(
    fixture.defaultCaller ?? { arn: `arn:aws:iam::${acct}:user/emulator-default` },
    acct,
    knownIds,
  );

  const account: Account = { id: acct, now, roles, users, groups, policies, usage, callers, defaultCaller, sessionDenied: new Set() };
  if (fixture.organization) account.organization = fixture.organization;
  return account;
}

function buildContent(content: FixtureAccountContent, acct: string, now: Date): Content {
  const defaultCreate = new Date(now.getTime() - DEFAULT_AGE_DAYS * DAY_MS);
  const fixture = content;

  const entity = (type: EntityType, base: FixturePrincipalBase, idPrefix: string): Entity => {
    const path = base.path ?? '/';
    const arn = `arn:aws:iam::${acct}:${type}${path}${base.name}`;
    return {
      type,
      name: base.name,
      path,
      id: base.id ?? deriveId(idPrefix, arn),
      arn,
      createDate: base.createDate ? new Date(base.createDate) : defaultCreate,
      inline: (base.inlinePolicies ?? []).map((p) => ({ name: p.name, text: documentText(p.document) })),
      attached: [...(base.attachedPolicies ?? [])],
      tags: [],
      groups: [],
    };
  };

  const roles = new Map<string, Entity>();
  for (const r of fixture.roles ?? []) {
    const e = entity('role', r, 'AROA');
    e.tags = tagList(r.tags);
    if (r.permissionsBoundaryArn) e.permissionsBoundaryArn = r.permissionsBoundaryArn;
    if (r.description !== undefined) e.description = r.description;
    e.maxSessionDuration = r.maxSessionDuration ?? 3600;
    e.assumeRolePolicyText = r.assumeRolePolicyDocument ? documentText(r.assumeRolePolicyDocument) : DEFAULT_TRUST;
    addUnique(roles, e, 'roles');
  }
  const groups = new Map<string, Entity>();
  for (const g of fixture.groups ?? []) addUnique(groups, entity('group', g, 'AGPA'), 'groups');
  const users = new Map<string, Entity>();
  for (const u of fixture.users ?? []) {
    const e = entity('user', u, 'AIDA');
    e.tags = tagList(u.tags);
    if (u.permissionsBoundaryArn) e.permissionsBoundaryArn = u.permissionsBoundaryArn;
    e.groups = (u.groups ?? []).map((g) => {
      const group = groups.get(key(g));
      if (!group) throw new FixtureError(`fixture: user ${u.name} is in group ${g}, which is not declared in groups`);
      return group.name;
    });
    addUnique(users, e, 'users');
  }

  const policies = new Map<string, ManagedPolicy>();
  for (const p of fixture.policies ?? []) {
    const path = p.path ?? '/';
    const arn = p.arn ?? `arn:aws:iam::${acct}:policy${path}${p.name ?? ''}`;
    const name = p.name ?? arn.slice(arn.lastIndexOf('/') + 1);
    const awsManaged = arn.startsWith('arn:aws:iam::aws:policy/');
    if (!awsManaged && !arn.startsWith(`arn:aws:iam::${acct}:policy/`)) {
      throw new FixtureError(`fixture: policy ${arn} is neither AWS-managed nor in account ${acct}`);
    }
    const arnPath = arn.slice(arn.indexOf(':policy') + ':policy'.length, arn.lastIndexOf('/') + 1);
    const createDate = p.createDate ? new Date(p.createDate) : defaultCreate;
    const versions: PolicyVersion[] = p.versions
      ? p.versions.map((v) => ({
          versionId: v.versionId,
          text: documentText(v.document),
          createDate: v.createDate ? new Date(v.createDate) : createDate,
        }))
      : [{ versionId: 'v1', text: documentText(p.document ?? '{}'), createDate }];
    const ids = versions.map((v) => v.versionId);
    const twice = ids.find((id, i) => ids.indexOf(id) !== i);
    if (twice) throw new FixtureError(`fixture: policy ${arn} declares version ${twice} twice`);
    const defaultVersionId = p.defaultVersionId ?? 'v1';
    if (!versions.some((v) => v.versionId === defaultVersionId)) {
      throw new FixtureError(`fixture: policy ${arn} has defaultVersionId ${defaultVersionId} but no such version`);
    }
    if (policies.has(arn)) throw new FixtureError(`fixture: policy ${arn} is declared twice`);
    const policy: ManagedPolicy = {
      arn,
      name,
      path: arnPath,
      id: p.id ?? deriveId('ANPA', arn),
      awsManaged,
      createDate,
      // IAM: "when a policy has more than one version, ... the date and time when the most recent version was created"
      updateDate: p.updateDate ? new Date(p.updateDate) : new Date(Math.max(...versions.map((v) => v.createDate.getTime()))),
      versions,
      defaultVersionId,
      tags: tagList(p.tags),
      attachmentCount: 0,
      boundaryUsageCount: 0,
    };
    if (p.description !== undefined) policy.description = p.description;
    policies.set(arn, policy);
  }

  for (const e of [...roles.values(), ...users.values(), ...groups.values()]) {
    for (const a of e.attached) {
      const p = policies.get(a);
      if (!p) throw new FixtureError(`fixture: ${e.type} ${e.name} attaches ${a}, which is not declared in policies`);
      p.attachmentCount++;
    }
    if (e.permissionsBoundaryArn) {
      const p = policies.get(e.permissionsBoundaryArn);
      if (p) p.boundaryUsageCount++;
    }
  }

  const usage = new Map<string, UsageEvent[]>();
  const principalArns = new Set([...roles.values(), ...users.values()].map((e) => e.arn));
  for (const [arn, events] of Object.entries(fixture.usage ?? {})) {
    if (!principalArns.has(arn)) throw new FixtureError(`fixture: usage for ${arn}, which is not a declared role or user`);
    usage.set(arn, toEvents(events));
  }
  return { roles, users, groups, policies, usage };
}

const lowerSet = (list: readonly string[] | undefined): ReadonlySet<string> => new Set((list ?? []).map((d) => d.toLowerCase()));

export function toEvents(events: readonly FixtureUsageEvent[]): UsageEvent[] {
  return events
    .map((ev) => {
      const out: UsageEvent = { service: ev.service, time: new Date(ev.time), region: ev.region ?? 'us-east-1' };
      if (ev.action !== undefined) out.action = ev.action;
      return out;
    })
    .sort((a, b) => a.time.getTime() - b.time.getTime());
}

function addUnique(map: Map<string, Entity>, e: Entity, what: string): void {
  if (map.has(key(e.name))) throw new FixtureError(`fixture: ${what} has ${e.name} twice (names are case-insensitive)`);
  map.set(key(e.name), e);
}

function toCaller(
  c: Omit<FixtureCaller, 'accessKeyId'>,
  account: string,
  knownIds: (arn: string) => string | undefined,
): Caller {
  return {
    arn: c.arn,
    userId: c.userId ?? knownIds(c.arn) ?? deriveId('AIDA', c.arn),
    account: c.arn.split(':')[4] || account,
    denied: lowerSet(c.denied),
    deniedOn: (c.deniedOn ?? []).map((d) => ({ action: d.action.toLowerCase(), resource: d.resource })),
  };
}

export function lookupEntity(map: Map<string, Entity>, name: string): Entity | undefined {
  return map.get(key(name));
}

const ENTITY_ARN = /^arn:aws:iam::([0-9]{12}):(role|user|group)(\/.*)?\/([^/]+)$/;

/** The role, user or group an ARN names in this account (path and all), if it exists. */
export function entityOfArn(account: Account, arn: string): Entity | undefined {
  const m = ENTITY_ARN.exec(arn);
  if (!m || m[1] !== account.id) return undefined;
  const map = m[2] === 'role' ? account.roles : m[2] === 'user' ? account.users : account.groups;
  const e = lookupEntity(map, m[4] ?? '');
  return e?.arn === arn ? e : undefined;
}

/**
 * Removes a principal as if it had been deleted: listings and Get* no longer show it, its attachments and boundary
 * no longer count, a deleted group's members leave it, and its usage is gone. False when there is no such principal.
 */
export function removeEntity(account: Account, arn: string): boolean {
  const e = entityOfArn(account, arn);
  if (!e) return false;
  const map = e.type === 'role' ? account.roles : e.type === 'user' ? account.users : account.groups;
  map.delete(key(e.name));
  for (const a of e.attached) {
    const p = account.policies.get(a);
    if (p) p.attachmentCount--;
  }
  const boundary = e.permissionsBoundaryArn ? account.policies.get(e.permissionsBoundaryArn) : undefined;
  if (boundary) boundary.boundaryUsageCount--;
  if (e.type === 'group') for (const u of account.users.values()) u.groups = u.groups.filter((g) => key(g) !== key(e.name));
  account.usage.delete(arn);
  return true;
}
