import { ListAccountsCommand, type Account } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { awsError, inputError } from '../../errors.js';
import { awsCall, type CollectContext } from '../call.js';
import { MAX_RESULTS, paginateTokens } from '../paginate.js';
import type { AccountScope } from './types.js';

const ACCOUNT_ID = /^[0-9]{12}$/;

/** The caller as STS sees it: its account, and the partition its ARN names (aws, aws-cn, aws-us-gov). */
export interface Caller {
  account: string;
  partition: string;
}

export async function callerIdentity(ctx: CollectContext): Promise<Caller> {
  const { Account, Arn } = await awsCall(ctx, { action: 'sts:GetCallerIdentity', resource: 'the caller' }, (c, o) =>
    c.sts.send(new GetCallerIdentityCommand({}), o),
  );
  if (Account === undefined) throw awsError('STS GetCallerIdentity named no account');
  return { account: Account, partition: Arn?.split(':')[1] ?? 'aws' };
}

/** a list's ids checked before any call: twelve digits each, each once, in order */
export function checkAccountList(ids: readonly string[]): string[] {
  const bad = ids.find((id) => !ACCOUNT_ID.test(id));
  if (bad !== undefined) throw inputError(`bad account id ${JSON.stringify(bad)}: expected 12 digits`);
  if (ids.length === 0) throw inputError('no account to run: the account list is empty');
  return [...new Set(ids)].sort();
}

/**
 * The accounts of the scope: the caller's own, the list, or the organization's ACTIVE accounts (ListAccounts, from the
 * management account or a delegated administrator), by id. A suspended or closing account can be neither assumed
 * into nor read.
 */
export async function scopeAccounts(ctx: CollectContext, scope: AccountScope, caller: () => Promise<Caller>): Promise<string[]> {
  switch (scope.kind) {
    case 'current':
      return [(await caller()).account];
    case 'list':
      return checkAccountList(scope.ids);
    case 'organization': {
      const accounts = await paginateTokens(
        ctx,
        { action: 'organizations:ListAccounts', resource: 'the organization' },
        (NextToken, c, o) => c.organizations.send(new ListAccountsCommand({ NextToken, MaxResults: MAX_RESULTS }), o),
        'Accounts',
      );
      return accounts
        .filter(isActive)
        .map((a) => a.Id ?? '')
        .sort();
    }
  }
}

/** State replaces the Status AWS retires in September 2026; an answer with only Status is read by it */
function isActive(a: Account): boolean {
  return a.State !== undefined ? a.State === 'ACTIVE' : a.Status === 'ACTIVE';
}
