import type { AccountCollector } from '../../batch/types.js';
import { usageError } from '../../errors.js';

/**
 * THE place the account-wide commands get their collector from: src/collect/account's collectAccounts, wired here
 * when that collector is part of the build. Until then every live account-wide run stops here with one line (after
 * the flags and the output paths were checked, before any call to AWS).
 */
export function accountCollector(): AccountCollector {
  return () => Promise.reject(usageError('account-wide collection is not available in this build'));
}
