/**
 * leastpriv's library API. The CLI (src/cli) is a thin shell over what is exported here.
 * Internal helpers are not re-exported.
 */
export { LeastprivError, type ErrorKind } from './errors.js';
export type { Catalog, CatalogAction, AccessLevel } from './catalog/catalog.js';
export { loadCatalog } from './catalog/load.js';
export * from './snapshot/types.js';
export type * from './policy/types.js';
// policy engine exports (issue 2) go below this line
export * from './policy/index.js';

// recommend (offline pipeline, issue 3) exports go below this line

// collect (AWS SDK collector, issue 4) exports go below this line
export { collectSnapshot, type CollectOptions } from './collect/collect-snapshot.js';
export {
  createAwsClients,
  destroyAwsClients,
  type AwsClients,
  type AwsConnectionOptions,
} from './collect/clients.js';
export type { ApiCallEvent } from './collect/call.js';
export type { PrincipalSelector } from './collect/principal-ref.js';
export { COLLECTOR_ACTIONS, type CollectorAction } from './collect/actions.js';
