/** The policy engine: parse/normalise, expand, rewrite, compact, size accounting. Pure: no I/O, no clock. */
export { parsePolicy, formatProblem } from './parse.js';
export { toPolicyDocument, stringifyPolicy } from './print.js';
export { POLICY_SCHEMA } from './schema.js';
export { rewritePolicy, type RewriteResult, type StatementKeep, type StatementProvenance } from './rewrite.js';
export { expandPattern, expandStatement, expandPatterns, hasWildcard, type PatternExpansion, type StatementExpansion } from './expand.js';
export type * from './types.js';
