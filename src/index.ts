/**
 * leastpriv's library API. The CLI (src/cli) is a thin shell over what is exported here.
 * Internal helpers are not re-exported.
 */
export { LeastprivError, type ErrorKind } from './errors.js';
export type { Catalog, CatalogAction, AccessLevel } from './catalog/catalog.js';
export { loadCatalog } from './catalog/load.js';
export * from './snapshot/types.js';
export type * from './policy/types.js';
// the policy engine
export * from './policy/index.js';

// the offline pipeline: snapshot → analysis → generation → rendering
// the snapshot's PrincipalType wins over the engine's same-named size type in `export *`
export type { PrincipalType } from './snapshot/types.js';
export { recommend, recommendWith, type RecommendInput } from './recommend.js';
export { analyze, type AnalyzeInput } from './analyze/analyze.js';
export { resolveConfig, validateConfig, DEFAULT_NEVER_REMOVE, DEFAULT_UNUSED_DAYS, type AnalysisConfig, type ConfigFile } from './analyze/config.js';
export type * from './analyze/types.js';
export { generate, type GenerateInput } from './generate/generate.js';
export type * from './generate/types.js';
export { validateSnapshot } from './snapshot/validate.js';
export { SNAPSHOT_SCHEMA } from './snapshot/schema.js';
export { CONFIG_SCHEMA } from './analyze/config-schema.js';
export { buildRecommendation, subjectName, subjectArn, RECOMMENDATION_SCHEMA_VERSION, type Recommendation, type RecommendedPolicy, type ActionSetSummary, type Outcome } from './render/recommendation.js';
export { renderFiles, renderDiff, renderRecommendationJson } from './render/files.js';
export { renderExplanation } from './render/explanation.js';
export { unifiedDiff } from './render/diff.js';
export { writeDirectoryAtomically } from './output/write.js';

// account-wide runs: the runner (the collector is handed in), the offline replay, index.md and summary.json
export { runAccountBatch, type AccountBatchOptions, type BatchTarget } from './batch/run-accounts.js';
export { replaySnapshotDir, type ReplayOptions } from './batch/replay.js';
export type { AccountCollector, AccountResult, BatchEvent, BatchRecommendOptions, BatchResult, SubjectResult, SubjectStatus } from './batch/types.js';
export type { AccountRunEvent, AccountRunOptions, AccountScope, AccountSelection, SubjectKey } from './collect/account/types.js';
export { renderIndexMarkdown } from './render/index-md.js';
export { renderSummaryJson, buildSummary, type Summary } from './render/summary.js';
export { SUMMARY_SCHEMA } from './render/summary-schema.js';
export { OUTPUT_MARKER } from './output/ownership.js';

// the collector (the only part that talks to AWS)
export { collectSnapshot, type CollectOptions } from './collect/collect-snapshot.js';
export {
  createAwsClients,
  destroyAwsClients,
  type AwsClients,
  type AwsConnectionOptions,
} from './collect/clients.js';
export type { RetryMode } from './collect/retry-strategy.js';
export type { RateGovernor } from './collect/rate/governor.js';
export type { ApiCallEvent, CollectProgressEvent } from './collect/call.js';
export type { PrincipalSelector } from './collect/principal-ref.js';
export type { ManagedPolicySelector, SubjectSelector } from './collect/subject-ref.js';
export { COLLECTOR_ACTIONS, type CollectorAction } from './collect/actions.js';
// account-wide runs: every selected subject of one or more accounts, one snapshot each
export { collectAccounts, DEFAULT_REPORT_CONCURRENCY } from './collect/account/collect-accounts.js';
export type * from './collect/account/types.js';
