import type { AccountCollector } from '../batch/types.js';
import type { Catalog } from '../catalog/catalog.js';

/** What tests and benchmarks hand the CLI instead of the real thing. */
export interface CliHooks {
  /** skip loading the catalog again */
  readonly catalog?: Catalog;
  /** the account-wide collector (a fake emitting events); src/cli/commands/account-collector.ts otherwise */
  readonly collectAccounts?: AccountCollector;
}
