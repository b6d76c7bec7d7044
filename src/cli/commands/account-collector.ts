import type { AccountCollector } from '../../batch/types.js';
import { collectAccounts } from '../../collect/account/collect-accounts.js';

/** THE place the account-wide commands get their collector from (tests inject a fake through the CLI hooks instead). */
export function accountCollector(): AccountCollector {
  return collectAccounts;
}
