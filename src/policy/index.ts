/** The policy engine: parse/normalise, expand, rewrite, compact, size accounting. Pure: no I/O, no clock. */
export { parsePolicy, formatProblem } from './parse.js';
export { toPolicyDocument, stringifyPolicy } from './print.js';
export { POLICY_SCHEMA } from './schema.js';
export type * from './types.js';
