import { stringifyPolicy } from '../policy/index.js';
import type { PolicyDocument } from '../policy/types.js';

/**
 * AWS Organizations limits an SCP to 5,120 characters. Unlike IAM, it is not documented to leave whitespace out, and
 * users meet "You have exceeded the maximum policy size" on pretty-printed documents; so the size that counts here
 * is that of the file as written (2-space JSON, UTF-8 bytes), exactly what `--content file://…` sends.
 */
export const SCP_SIZE_LIMIT = 5120;

/** AWS's default quota of SCPs attached to one root, OU or account */
export const SCPS_PER_TARGET = 5;

export const scpSize = (doc: PolicyDocument): number => Buffer.byteLength(stringifyPolicy(doc), 'utf8');
