import {
  DescribeOrganizationCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListRootsCommand,
} from '@aws-sdk/client-organizations';
import { afterEach, describe, expect, it } from 'vitest';
import { classifyAwsError } from '../../src/collect/aws-errors.js';
import { createLimiter } from '../../src/collect/concurrency.js';
import type { CollectContext } from '../../src/collect/call.js';
import { accountsBelow, readOrganization } from '../../src/collect/org-structure.js';
import { parseOrganizationEntitySelector, parseScpSelector, subjectName } from '../../src/collect/subject-ref.js';
import { failure, mockedClients, sdkError, type MockedClients } from './mock-clients.js';

/** The Organizations collector's error lines, paths and paginator, on stubbed clients. */
let m: MockedClients;
const ctx = (): CollectContext => ({ clients: m.clients, signal: new AbortController().signal });
afterEach(() => m?.organizations.reset());

const ORG = { Id: 'o-abcdefghij', RootId: 'r-ab12', ManagementAccountId: '111122223333' };

describe('error lines of Organizations calls', () => {
  const call = { action: 'organizations:DescribePolicy', resource: 'p-abcdefgh' } as const;

  it('AccessDenied names the credentials needed', async () => {
    const e = await classifyAwsError(sdkError('AccessDeniedException', 'User: x is not authorized', 403), call);
    expect(e.message).toBe(
      "access denied: the caller lacks organizations:DescribePolicy (on p-abcdefgh); use the organization's management-account credentials, or a delegated administrator's (docs/collect.md)",
    );
  });

  it('an AccessDenied on the IAM report operations says the same', async () => {
    const e = await classifyAwsError(sdkError('AccessDenied', 'no', 403), { action: 'iam:GenerateOrganizationsAccessReport', resource: 'o-x/r-y' });
    expect(e.message).toMatch(/; use the organization's management-account credentials/);
  });

  it('an IAM AccessDenied elsewhere keeps its line', async () => {
    const e = await classifyAwsError(sdkError('AccessDenied', 'no', 403), { action: 'iam:GetRole', resource: 'r' });
    expect(e.message).toBe('access denied: the caller lacks iam:GetRole (on r). See docs/required-permissions.json');
  });

  it('AWSOrganizationsNotInUseException: not in an organization', async () => {
    const e = await classifyAwsError(sdkError('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.'), call);
    expect(e.message).toMatch(/^organizations:DescribePolicy: the credentials' account is not in an organization; use /);
  });

  it("the not-found exceptions take the call's own words", async () => {
    for (const name of ['PolicyNotFoundException', 'ChildNotFoundException', 'ParentNotFoundException', 'TargetNotFoundException', 'AccountNotFoundException']) {
      const e = await classifyAwsError(sdkError(name, 'gone'), { ...call, notFound: () => 'SCP p-abcdefgh not found' });
      expect(e.message).toBe('SCP p-abcdefgh not found');
    }
  });

  it('TooManyRequestsException past every retry: the throttling line', async () => {
    const e = await classifyAwsError(sdkError('TooManyRequestsException', 'Rate exceeded', 429, 12), call);
    expect(e.message).toBe('AWS kept throttling organizations:DescribePolicy after 12 attempts; retry later or raise AWS_MAX_ATTEMPTS');
  });
});

describe('ids and paths', () => {
  it('parses each kind of entity path', () => {
    expect(parseOrganizationEntitySelector({ type: 'organization-entity', path: 'o-abcdefghij/r-ab12/' })).toMatchObject({
      path: 'o-abcdefghij/r-ab12',
      entityType: 'ROOT',
      entityId: 'r-ab12',
    });
    expect(parseOrganizationEntitySelector({ type: 'organization-entity', path: 'o-abcdefghij/r-ab12/ou-ab12-11111111/ou-ab12-22222222' })).toMatchObject({
      entityType: 'ORGANIZATIONAL_UNIT',
      entityId: 'ou-ab12-22222222',
      ous: ['ou-ab12-11111111', 'ou-ab12-22222222'],
    });
    expect(parseOrganizationEntitySelector({ type: 'organization-entity', path: 'o-abcdefghij/r-ab12/ou-ab12-11111111/222233334444' })).toMatchObject({
      entityType: 'ACCOUNT',
      account: '222233334444',
    });
  });

  it('refuses a path that is not one, and an id that is not an SCP id', () => {
    for (const path of ['', 'o-abcdefghij', 'r-ab12/o-abcdefghij', 'o-abcdefghij/r-ab12/222233334444/222233334444', 'o-abcdefghij/r-ab12/ou-x']) {
      expect(() => parseOrganizationEntitySelector({ type: 'organization-entity', path }), path).toThrow(/^bad entity path/);
    }
    for (const id of ['p-short', 'policy', 'p-has-dash1', '']) expect(() => parseScpSelector({ type: 'scp', id }), id).toThrow(/^bad SCP id/);
    expect(parseScpSelector({ type: 'scp', id: 'p-FullAWSAccess' }).id).toBe('p-FullAWSAccess');
  });

  it('names the output folder before any call: the policy id, or the last path segment', () => {
    expect(subjectName({ type: 'scp', id: 'p-abcdefgh' })).toBe('p-abcdefgh');
    expect(subjectName({ type: 'organization-entity', path: 'o-abcdefghij/r-ab12/ou-ab12-11111111' })).toBe('ou-ab12-11111111');
  });
});

describe('createLimiter', () => {
  it('keeps its bound over nested calls, and runs every one', async () => {
    const limit = createLimiter(3);
    let active = 0;
    let peak = 0;
    let ran = 0;
    const leaf = () =>
      limit(async () => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setImmediate(r));
        active--;
        ran++;
      });
    // a tree walk: each node's call, then its children's, none holding a slot while the children run
    const node = async (depth: number): Promise<void> => {
      await leaf();
      if (depth < 3) await Promise.all([node(depth + 1), node(depth + 1), node(depth + 1)]);
    };
    await node(0);
    expect(ran).toBe(1 + 3 + 9 + 27);
    expect(peak).toBe(3);
  });
});

describe('the NextToken paginator and the walk', () => {
  it('follows NextToken, leaves the management account out, sorts by Id', async () => {
    m = mockedClients();
    const joined = new Date('2024-01-01T00:00:00Z');
    m.organizations
      .on(ListAccountsForParentCommand, { ParentId: 'r-ab12', NextToken: undefined })
      .resolves({ Accounts: [{ Id: '333344445555', Name: 'b', JoinedTimestamp: joined }], NextToken: 't1' })
      .on(ListAccountsForParentCommand, { ParentId: 'r-ab12', NextToken: 't1' })
      .resolves({ Accounts: [], NextToken: 't2' })
      .on(ListAccountsForParentCommand, { ParentId: 'r-ab12', NextToken: 't2' })
      .resolves({ Accounts: [{ Id: '111122223333', Name: 'mgmt', JoinedTimestamp: joined }, { Id: '222233334444', Name: 'a', JoinedTimestamp: joined, Status: 'ACTIVE' }] });
    m.organizations.on(ListOrganizationalUnitsForParentCommand).resolves({ OrganizationalUnits: [] });
    const accounts = await accountsBelow(ctx(), ORG, { id: 'r-ab12', type: 'ROOT', path: 'o-abcdefghij/r-ab12' });
    expect(accounts).toEqual([
      { Id: '222233334444', Name: 'a', Path: 'o-abcdefghij/r-ab12/222233334444', JoinedTimestamp: '2024-01-01T00:00:00.000Z', Status: 'ACTIVE' },
      { Id: '333344445555', Name: 'b', Path: 'o-abcdefghij/r-ab12/333344445555', JoinedTimestamp: '2024-01-01T00:00:00.000Z' },
    ]);
  });

  it('a NextToken handed twice is an error, not a loop', async () => {
    m = mockedClients();
    m.organizations.on(DescribeOrganizationCommand).resolves({ Organization: { Id: 'o-abcdefghij', MasterAccountId: '111122223333' } });
    m.organizations.on(ListRootsCommand).resolves({ Roots: [], NextToken: 'same' });
    const e = await failure(readOrganization(ctx()));
    expect(e.message).toBe('organizations:ListRoots handed the same NextToken twice for the organization');
  });
});
