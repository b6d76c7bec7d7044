import {
  DescribeAccountCommand,
  DescribeOrganizationCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListParentsCommand,
  ListRootsCommand,
  type Account as SdkAccount,
} from '@aws-sdk/client-organizations';
import { awsError } from '../errors.js';
import type { OrgAccount, ScpSubject } from '../snapshot/types.js';
import { awsCall, type CollectContext } from './call.js';
import { createLimiter, type Limiter } from './concurrency.js';
import { definedOnly, requiredIsoDate } from './dates.js';
import { MAX_RESULTS, paginateTokens } from './paginate.js';

/** Organizations calls in flight at once while walking the tree: its rate limits are per account, and low */
export const ORG_CALLS_IN_FLIGHT = 4;

export type Organization = ScpSubject['organization'];
export type OrgEntityType = 'ROOT' | 'ORGANIZATIONAL_UNIT' | 'ACCOUNT';

/** DescribeOrganization and ListRoots, together: the organization id, its root and its management account. */
export async function readOrganization(ctx: CollectContext): Promise<Organization> {
  const [{ Organization: org }, roots] = await Promise.all([
    awsCall(ctx, { action: 'organizations:DescribeOrganization', resource: 'the organization' }, (c, o) =>
      c.organizations.send(new DescribeOrganizationCommand({}), o),
    ),
    paginateTokens(
      ctx,
      { action: 'organizations:ListRoots', resource: 'the organization' },
      (NextToken, c, o) => c.organizations.send(new ListRootsCommand({ NextToken, MaxResults: MAX_RESULTS }), o),
      'Roots',
    ),
  ]);
  const rootId = roots[0]?.Id;
  if (org?.Id === undefined || org.MasterAccountId === undefined || rootId === undefined) {
    throw awsError('DescribeOrganization or ListRoots left out the organization id, its management account or its root');
  }
  return { Id: org.Id, RootId: rootId, ManagementAccountId: org.MasterAccountId };
}

/**
 * Entity paths by ListParents up to the root, each id asked once per collection (targets and accounts share their
 * OUs). `notFound` words a missing id.
 */
export function pathResolver(ctx: CollectContext, org: Organization): (id: string) => Promise<string> {
  const rootPath = `${org.Id}/${org.RootId}`;
  const cache = new Map<string, Promise<string>>([[org.RootId, Promise.resolve(rootPath)]]);
  const resolve = (id: string): Promise<string> => {
    let entry = cache.get(id);
    if (entry === undefined) {
      entry = (async () => {
        const parents = await paginateTokens(
          ctx,
          { action: 'organizations:ListParents', resource: id, notFound: () => `${id} not found in organization ${org.Id}` },
          (NextToken, c, o) => c.organizations.send(new ListParentsCommand({ ChildId: id, NextToken, MaxResults: MAX_RESULTS }), o),
          'Parents',
        );
        const parent = parents[0]?.Id;
        if (parent === undefined) throw awsError(`ListParents named no parent for ${id}`);
        return `${await resolve(parent)}/${id}`;
      })();
      cache.set(id, entry);
    }
    return entry;
  };
  return resolve;
}

/**
 * The member accounts below an entity (the account itself for an account), each with its path, the management
 * account left out (SCPs do not apply to it). OUs are walked down with ListOrganizationalUnitsForParent and
 * ListAccountsForParent, ORG_CALLS_IN_FLIGHT list calls at a time over the whole walk.
 */
export async function accountsBelow(
  ctx: CollectContext,
  org: Organization,
  entity: { id: string; type: OrgEntityType; path: string },
  /** shared by the walks of one collection (an SCP's targets), so that together they keep the bound */
  limit: Limiter = createLimiter(ORG_CALLS_IN_FLIGHT),
): Promise<OrgAccount[]> {
  if (entity.type === 'ACCOUNT') {
    if (entity.id === org.ManagementAccountId) return [];
    const { Account } = await awsCall(
      ctx,
      { action: 'organizations:DescribeAccount', resource: entity.id, notFound: () => `account ${entity.id} not found in organization ${org.Id}` },
      (c, o) => c.organizations.send(new DescribeAccountCommand({ AccountId: entity.id }), o),
    );
    if (Account === undefined) throw awsError(`DescribeAccount returned no account for ${entity.id}`);
    return [orgAccount(Account, entity.path)];
  }
  const out: OrgAccount[] = [];
  const walk = async (parentId: string, parentPath: string): Promise<void> => {
    const notFound = (): string => `${parentId} disappeared from organization ${org.Id} while being read; run again`;
    const [ous, accounts] = await Promise.all([
      limit(() =>
        paginateTokens(
          ctx,
          { action: 'organizations:ListOrganizationalUnitsForParent', resource: parentId, notFound },
          (NextToken, c, o) =>
            c.organizations.send(new ListOrganizationalUnitsForParentCommand({ ParentId: parentId, NextToken, MaxResults: MAX_RESULTS }), o),
          'OrganizationalUnits',
        ),
      ),
      limit(() =>
        paginateTokens(
          ctx,
          { action: 'organizations:ListAccountsForParent', resource: parentId, notFound },
          (NextToken, c, o) => c.organizations.send(new ListAccountsForParentCommand({ ParentId: parentId, NextToken, MaxResults: MAX_RESULTS }), o),
          'Accounts',
        ),
      ),
    ]);
    for (const a of accounts) if (a.Id !== org.ManagementAccountId) out.push(orgAccount(a, `${parentPath}/${a.Id ?? ''}`));
    // every level's lists go through the one limiter: the whole walk keeps ORG_CALLS_IN_FLIGHT
    await Promise.all(ous.flatMap((ou) => (ou.Id !== undefined ? [walk(ou.Id, `${parentPath}/${ou.Id}`)] : [])));
  };
  await walk(entity.id, entity.path);
  return sortAccounts(out);
}

/** by Id, each account once (an SCP's targets can overlap: an OU and an account below it) */
export function sortAccounts(accounts: readonly OrgAccount[]): OrgAccount[] {
  const byId = new Map(accounts.map((a) => [a.Id, a]));
  return [...byId.values()].sort((a, b) => (a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0));
}

function orgAccount(a: SdkAccount, path: string): OrgAccount {
  const id = a.Id ?? '';
  return definedOnly({
    Id: id,
    Name: a.Name ?? id,
    Path: path,
    JoinedTimestamp: requiredIsoDate(a.JoinedTimestamp, `JoinedTimestamp of account ${id}`),
    Status: a.Status,
  });
}
