import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { awsCall, type CollectContext } from './call.js';

/**
 * "role X not found in account Y": the account comes from STS GetCallerIdentity, asked only on this path. `named`:
 * the account the caller's ARN names, when it has one, so a mismatch says which credentials to use.
 */
export async function notFoundInAccount(ctx: CollectContext, what: string, named: string | undefined): Promise<string> {
  let account: string | undefined;
  try {
    const identity = await awsCall(ctx, { action: 'sts:GetCallerIdentity', resource: 'the caller' }, (c, o) =>
      c.sts.send(new GetCallerIdentityCommand({}), o),
    );
    account = identity.Account;
  } catch {
    // the message is still useful without the account
  }
  const where = account !== undefined ? `account ${account}` : "the credentials' account";
  const other =
    named !== undefined && account !== undefined && named !== account
      ? ` (the ARN names account ${named}; collect with credentials from that account)`
      : '';
  return `${what} not found in ${where}${other}`;
}
