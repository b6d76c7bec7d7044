/** The policy engine: parse/normalise, expand, rewrite, compact, size accounting. Pure: no I/O, no clock. */
export { parsePolicy, formatProblem } from './parse.js';
export { toPolicyDocument, stringifyPolicy } from './print.js';
export { POLICY_SCHEMA } from './schema.js';
export { rewritePolicy, type RewriteResult, type StatementKeep, type StatementProvenance } from './rewrite.js';
export { expandPattern, expandStatement, expandPatterns, hasWildcard, hasServiceWildcard, type PatternExpansion, type StatementExpansion } from './expand.js';
export { globToRegExp } from './glob.js';
export { grantsEverything } from './covers.js';
export type * from './types.js';
export { compactActions, compactPolicy, type CompactedActions } from './compact.js';
export { AWS_LIMITS, policySize, fitsManaged, fitsInlineAggregate, splitManagedPolicy } from './size.js';

/** The catalog version every output records (iam-data package version). */
export function iamDataVersion(catalog: { readonly version: string }): string {
  return catalog.version;
}
