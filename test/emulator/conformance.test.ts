import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetAccountAuthorizationDetailsCommand,
  GetPolicyCommand,
  GetGroupCommand,
  GetGroupPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetUserCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupPoliciesCommand,
  ListGroupsForUserCommand,
  ListUserPoliciesCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListEntitiesForPolicyCommand,
  ListPolicyVersionsCommand,
  ListRolePoliciesCommand,
  PutGroupPolicyCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorFixture, type RunningEmulator } from '../../emulator/index.js';
import { smallAccount } from './helpers.js';
import { startMoto, type Moto } from './moto.js';

/**
 * Conformance: the same fixture served by the emulator and written into moto_server through IAM write calls (moto
 * only; leastpriv never writes), then the read operations the collector uses are compared as the SDK parses them.
 *
 * Normalisations, each because the two legitimately differ:
 * - RoleId/PolicyId/UserId/GroupId: random in moto, derived from the ARN in the emulator → both must be 16-32 letters
 *   or digits, then compared as "<id>" (moto's PolicyIds lack IAM's ANPA prefix and its UserIds/GroupIds are 20
 *   lower-case characters; the emulator's look like IAM's: AROA/ANPA/AIDA/AGPA + 17 upper-case characters).
 * - CreateDate/UpdateDate (GetPolicy's, and GetPolicyVersion's PolicyVersion.CreateDate, which the analysis reads to
 *   spot recently granted permissions): moto stamps the wall clock at creation, the emulator uses the fixture → both
 *   must be Dates, compared as "<date>". The emulator's values are checked against the fixture in operations.test.ts.
 * - RoleLastUsed: moto has no usage (always {}); the emulator derives it from the fixture's usage → dropped.
 * - GetPolicy Tags: moto writes an empty <Tags/> (SDK: []) for an untagged policy, the emulator omits the element
 *   (as both do for an untagged role) → an empty Tags list counts as absent.
 * - GetPolicy PermissionsBoundaryUsageCount: IAM returns it, moto does not → dropped.
 * - GetPolicyVersion Document: IAM URL-encodes it (RFC 3986, API docs; the emulator does), moto returns it decoded →
 *   the emulator's must be encoded, then both are compared decoded. Inline documents and trust policies are encoded by
 *   both, byte for byte the same, and compared raw.
 * - GetGroup, ListGroupPolicies: moto omits IsTruncated when false (IAM lists always carry it; moto's role and user
 *   lists do) → for group operations a false IsTruncated counts as absent; moto adds each member's Tags, which IAM's listings leave out ("resource-listing
 *   operations return a subset of the attributes ... this operation does not return tags") → Users[].Tags dropped.
 * - Error messages: moto's wording varies ("Role ghost not found", "Policy Document ghost not attached to role r1");
 *   the emulator uses IAM's ("The role with name ghost cannot be found.") → errors compare by SDK exception name and
 *   HTTP status only.
 * - ListPolicyVersions, ListEntitiesForPolicy: the API documents no order; moto lists versions oldest first and roles
 *   by their random RoleId, the emulator versions newest first (the AWS CLI example) and entities by name → each list is
 *   sorted before comparing. moto also returns each version's Document, which IAM leaves out of this listing (API
 *   docs) → the emulator's must have none, moto's is dropped. moto answers ListEntitiesForPolicy of an unknown policy
 *   with empty lists (IAM documents NoSuchEntity, which the emulator returns, see policies.test.ts) and ignores
 *   PolicyUsageFilter → neither is compared here.
 * - GetAccountAuthorizationDetails: moto lists principals and attached policies in creation order (the emulator by
 *   name, as its other listings), returns the trust policy decoded (only here; IAM encodes it), leaves PolicyName and
 *   PolicyId out of ManagedPolicyDetail and writes Description "" → lists sorted, trust policy decoded, the two fields
 *   checked on the emulator's side then dropped, an empty Description counts as absent. moto lists every AWS-managed
 *   policy it ships (IAM only the ones in use) and does not paginate → only the Role/User/Group/LocalManagedPolicy
 *   filters are compared.
 * - AWS-managed policies: moto ships its own copies of them (real documents, AWS dates and version ids); the fixture's
 *   AWS-managed documents are hand-written → only customer-managed policies are compared by GetPolicy/GetPolicyVersion;
 *   AWS-managed ones are compared in ListAttachedRolePolicies only.
 */
const fixture: EmulatorFixture = smallAccount();
const text = (doc: unknown): string => (typeof doc === 'string' ? doc : JSON.stringify(doc));
const tagList = (tags: Record<string, string> | undefined) =>
  tags ? Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) : undefined;

async function seedMoto(iam: IAMClient): Promise<void> {
  for (const p of fixture.policies ?? []) {
    if (p.arn?.startsWith('arn:aws:iam::aws:')) continue;
    const versions = p.versions ?? [{ versionId: 'v1', document: p.document ?? {} }];
    const [first, ...rest] = versions;
    await iam.send(
      new CreatePolicyCommand({
        PolicyName: p.name,
        Path: p.path,
        Description: p.description,
        PolicyDocument: text(first?.document),
        Tags: tagList(p.tags),
      }),
    );
    const arn = `arn:aws:iam::${fixture.accountId}:policy${p.path ?? '/'}${p.name}`;
    for (const v of rest) {
      await iam.send(
        new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: text(v.document), SetAsDefault: v.versionId === p.defaultVersionId }),
      );
    }
  }
  for (const r of fixture.roles ?? []) {
    await iam.send(
      new CreateRoleCommand({
        RoleName: r.name,
        Path: r.path,
        Description: r.description,
        MaxSessionDuration: r.maxSessionDuration,
        AssumeRolePolicyDocument: text(
          r.assumeRolePolicyDocument ?? {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
          },
        ),
        PermissionsBoundary: r.permissionsBoundaryArn,
        Tags: tagList(r.tags),
      }),
    );
    for (const p of r.inlinePolicies ?? []) {
      await iam.send(new PutRolePolicyCommand({ RoleName: r.name, PolicyName: p.name, PolicyDocument: text(p.document) }));
    }
    for (const arn of r.attachedPolicies ?? []) await iam.send(new AttachRolePolicyCommand({ RoleName: r.name, PolicyArn: arn }));
  }
  for (const g of fixture.groups ?? []) {
    await iam.send(new CreateGroupCommand({ GroupName: g.name, Path: g.path }));
    for (const p of g.inlinePolicies ?? []) {
      await iam.send(new PutGroupPolicyCommand({ GroupName: g.name, PolicyName: p.name, PolicyDocument: text(p.document) }));
    }
    for (const arn of g.attachedPolicies ?? []) await iam.send(new AttachGroupPolicyCommand({ GroupName: g.name, PolicyArn: arn }));
  }
  for (const u of fixture.users ?? []) {
    await iam.send(new CreateUserCommand({ UserName: u.name, Path: u.path, Tags: tagList(u.tags), PermissionsBoundary: u.permissionsBoundaryArn }));
    for (const g of u.groups ?? []) await iam.send(new AddUserToGroupCommand({ UserName: u.name, GroupName: g }));
    for (const p of u.inlinePolicies ?? []) {
      await iam.send(new PutUserPolicyCommand({ UserName: u.name, PolicyName: p.name, PolicyDocument: text(p.document) }));
    }
    for (const arn of u.attachedPolicies ?? []) await iam.send(new AttachUserPolicyCommand({ UserName: u.name, PolicyArn: arn }));
  }
}

const ID_KEYS = new Set(['RoleId', 'PolicyId', 'UserId', 'GroupId']);
const DATE_KEYS = new Set(['CreateDate', 'UpdateDate']);

function normalise(value: unknown, parent = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => normalise(v, parent));
  if (value instanceof Date || value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === '$metadata' || k === 'RoleLastUsed' || k === 'PermissionsBoundaryUsageCount') continue;
    if (k === 'Tags' && Array.isArray(v) && (v.length === 0 || parent === 'Users')) continue;
    if (k === 'Document' && typeof v === 'string') out[k] = decodeURIComponent(v);
    else if (ID_KEYS.has(k) && typeof v === 'string' && /^[A-Za-z0-9]{16,32}$/.test(v)) out[k] = '<id>';
    else if (DATE_KEYS.has(k) && v instanceof Date) out[k] = '<date>';
    else out[k] = normalise(v, k);
  }
  return out;
}

function withoutFalseIsTruncated(value: unknown): unknown {
  const { IsTruncated, ...rest } = value as { IsTruncated?: boolean };
  return IsTruncated === false ? rest : value;
}

let moto: Moto | undefined;
let emulator: RunningEmulator;
const clients: { emulator?: IAMClient; moto?: IAMClient } = {};

const client = (endpoint: string) =>
  new IAMClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDCONFORMANCE', secretAccessKey: 'x' } });

beforeAll(async () => {
  [moto, emulator] = await Promise.all([startMoto(), startEmulator({ fixture })]);
  clients.moto = client(moto.endpoint);
  clients.emulator = client(emulator.endpoint);
  await seedMoto(clients.moto);
}, 60_000);

afterAll(async () => {
  await Promise.all([moto?.stop(), emulator?.stop()]);
});

/** IAMClient.send without its per-command overloads, so one helper can take any IAM command */
const sendAny = (c: IAMClient, command: object): Promise<unknown> =>
  (c.send as (cmd: object) => Promise<unknown>).call(c, command);

/** sends the same command to both and returns what the SDK parsed, normalised */
async function both(make: () => object): Promise<[unknown, unknown]> {
  const [a, b] = await Promise.all([sendAny(clients.emulator!, make()), sendAny(clients.moto!, make())]);
  return [normalise(a), normalise(b)];
}

describe.each((fixture.roles ?? []).map((r) => [r.name]))('role %s: emulator and moto_server agree', (roleName) => {
  it('GetRole', async () => {
    const [emu, mot] = await both(() => new GetRoleCommand({ RoleName: roleName }));
    expect(emu).toEqual(mot);
  });

  it('ListRolePolicies and GetRolePolicy of each', async () => {
    const [emu, mot] = await both(() => new ListRolePoliciesCommand({ RoleName: roleName }));
    expect(emu).toEqual(mot);
    for (const PolicyName of (emu as { PolicyNames: string[] }).PolicyNames) {
      const [e, m] = await both(() => new GetRolePolicyCommand({ RoleName: roleName, PolicyName }));
      expect(e).toEqual(m);
    }
  });

  it('ListAttachedRolePolicies, then GetPolicy and GetPolicyVersion of each customer-managed one', async () => {
    const [emu, mot] = await both(() => new ListAttachedRolePoliciesCommand({ RoleName: roleName }));
    expect(emu).toEqual(mot);
    const arns = (emu as { AttachedPolicies: { PolicyArn: string }[] }).AttachedPolicies.map((p) => p.PolicyArn);
    const boundary = fixture.roles?.find((r) => r.name === roleName)?.permissionsBoundaryArn;
    for (const PolicyArn of [...arns, ...(boundary ? [boundary] : [])]) {
      if (PolicyArn.startsWith('arn:aws:iam::aws:')) continue;
      const [e, m] = await both(() => new GetPolicyCommand({ PolicyArn }));
      expect(e).toEqual(m);
      const versions = ['v1', 'v2'].filter((v) =>
        (fixture.policies ?? []).some((p) => PolicyArn.endsWith(`/${p.name}`) && (p.versions ?? [{ versionId: 'v1' }]).some((x) => x.versionId === v)),
      );
      for (const VersionId of versions) {
        const raw = await clients.emulator!.send(new GetPolicyVersionCommand({ PolicyArn, VersionId }));
        expect(raw.PolicyVersion?.Document).toMatch(/^%7B/);
        const [ev, mv] = await both(() => new GetPolicyVersionCommand({ PolicyArn, VersionId }));
        expect(ev).toEqual(mv);
      }
    }
  });
});

describe('users and groups: emulator and moto_server agree', () => {
  it.each((fixture.users ?? []).map((u) => [u.name]))('user %s: GetUser, ListGroupsForUser, inline and attached', async (UserName) => {
    for (const make of [
      () => new GetUserCommand({ UserName }),
      () => new ListGroupsForUserCommand({ UserName }),
      () => new ListUserPoliciesCommand({ UserName }),
      () => new ListAttachedUserPoliciesCommand({ UserName }),
    ]) {
      const [emu, mot] = await both(make);
      expect(emu).toEqual(mot);
    }
  });

  it.each((fixture.groups ?? []).map((g) => [g.name]))('group %s: GetGroup, inline and attached', async (GroupName) => {
    for (const make of [
      () => new GetGroupCommand({ GroupName }),
      () => new ListGroupPoliciesCommand({ GroupName }),
      () => new ListAttachedGroupPoliciesCommand({ GroupName }),
    ]) {
      const [emu, mot] = await both(make);
      expect(withoutFalseIsTruncated(emu)).toEqual(withoutFalseIsTruncated(mot));
    }
    for (const p of fixture.groups?.find((g) => g.name === GroupName)?.inlinePolicies ?? []) {
      const [emu, mot] = await both(() => new GetGroupPolicyCommand({ GroupName, PolicyName: p.name }));
      expect(emu).toEqual(mot);
    }
  });
});

/** listings whose order neither IAM's docs nor moto fix: each list sorted by its first string field */
function sortedLists(value: unknown): unknown {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(withoutFalseIsTruncated(value) as Record<string, unknown>)) {
    const key = (x: unknown) => String(Object.values(x as Record<string, unknown>).find((f) => typeof f === 'string'));
    out[k] = Array.isArray(v) ? [...v].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)) : v;
  }
  return out;
}

describe('policy listings: emulator and moto_server agree', () => {
  const customerManaged = (fixture.policies ?? []).filter((p) => !p.arn).map((p) => [`arn:aws:iam::${fixture.accountId}:policy${p.path ?? '/'}${p.name}`]);
  const attached = [...new Set([...(fixture.roles ?? []), ...(fixture.users ?? []), ...(fixture.groups ?? [])].flatMap((e) => e.attachedPolicies ?? []))];

  it.each(customerManaged)('ListPolicyVersions %s', async (PolicyArn) => {
    const [emu, mot] = await both(() => new ListPolicyVersionsCommand({ PolicyArn }));
    // IAM's listing carries no Document (API docs), the emulator's neither; moto adds it
    const versions = (out: unknown) => (out as { Versions: Record<string, unknown>[] }).Versions;
    expect(versions(emu).every((v) => !('Document' in v))).toBe(true);
    const motoWithout = { ...(mot as object), Versions: versions(mot).map(({ Document: _d, ...v }) => v) };
    expect(sortedLists(emu)).toEqual(sortedLists(motoWithout));
  });

  it.each(attached.map((a) => [a]))('ListEntitiesForPolicy %s', async (PolicyArn) => {
    const [emu, mot] = await both(() => new ListEntitiesForPolicyCommand({ PolicyArn }));
    expect(sortedLists(emu)).toEqual(sortedLists(mot));
  });
});

describe('GetAccountAuthorizationDetails: emulator and moto_server agree', () => {
  type Row = Record<string, unknown>;
  /** by a key: moto lists principals and attachments in creation order, the emulator by name (as its other listings) */
  const by = (list: unknown, key: string): Row[] =>
    [...((list as Row[] | undefined) ?? [])].sort((a, b) => String(a[key]).localeCompare(String(b[key])));
  const decoded = (doc: unknown) => (typeof doc === 'string' && doc.startsWith('%7B') ? decodeURIComponent(doc) : doc);

  it.each([['Role'], ['User'], ['Group']] as const)('Filter %s', async (type) => {
    const [emu, mot] = await both(() => new GetAccountAuthorizationDetailsCommand({ Filter: [type] }));
    const raw = await clients.emulator!.send(new GetAccountAuthorizationDetailsCommand({ Filter: [type] }));
    // IAM encodes the trust policy here as in GetRole (the emulator does); moto returns it decoded in GAAD only
    for (const r of raw.RoleDetailList ?? []) expect(r.AssumeRolePolicyDocument).toMatch(/^%7B/);
    const pick = (out: unknown) =>
      by((out as Record<string, unknown>)[`${type}DetailList`], `${type}Name`).map((row) => ({
        ...row,
        ...(row.AssumeRolePolicyDocument ? { AssumeRolePolicyDocument: decoded(row.AssumeRolePolicyDocument) } : {}),
        AttachedManagedPolicies: by(row.AttachedManagedPolicies, 'PolicyName'),
      }));
    expect(pick(emu)).toEqual(pick(mot));
  });

  it('Filter LocalManagedPolicy: every customer-managed policy with all its versions', async () => {
    const [emu, mot] = await both(() => new GetAccountAuthorizationDetailsCommand({ Filter: ['LocalManagedPolicy'] }));
    // moto leaves PolicyName and PolicyId out of ManagedPolicyDetail (the model has both; the emulator's PolicyName is
    // the ARN's last part) and writes an empty Description where none was given
    const pick = (out: unknown, isEmulator: boolean) =>
      by((out as Row).Policies, 'Arn').map(({ PolicyName, PolicyId, Description, ...p }) => {
        if (isEmulator) expect([PolicyName, PolicyId]).toEqual([String(p.Arn).split('/').at(-1), '<id>']);
        return { ...p, ...(Description ? { Description } : {}), PolicyVersionList: by(p.PolicyVersionList, 'VersionId') };
      });
    expect(pick(emu, true)).toEqual(pick(mot, false));
  });
});

describe('errors: emulator and moto_server agree', () => {
  const failure = async (c: IAMClient, make: () => object) => {
    try {
      await sendAny(c, make());
    } catch (e) {
      const err = e as { name: string; message: string; $metadata: { httpStatusCode?: number } };
      return { name: err.name, message: err.message, status: err.$metadata.httpStatusCode };
    }
    throw new Error('expected a failure');
  };
  it.each([
    ['GetRole', () => new GetRoleCommand({ RoleName: 'ghost' })],
    ['GetRolePolicy', () => new GetRolePolicyCommand({ RoleName: 'app-role', PolicyName: 'ghost' })],
    ['GetPolicy', () => new GetPolicyCommand({ PolicyArn: `arn:aws:iam::${fixture.accountId}:policy/ghost` })],
    ['ListPolicyVersions', () => new ListPolicyVersionsCommand({ PolicyArn: `arn:aws:iam::${fixture.accountId}:policy/ghost` })],
  ])('%s of something missing: NoSuchEntity, 404', async (_name, make) => {
    const [emu, mot] = await Promise.all([failure(clients.emulator!, make), failure(clients.moto!, make)]);
    expect({ name: emu.name, status: emu.status }).toEqual({ name: mot.name, status: mot.status });
  });
});
