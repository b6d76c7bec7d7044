import type { ErrorObject } from 'ajv';
import { POLICY_KINDS, POLICY_SOURCE_TYPES } from './types.js';

/** ajv's JSON-pointer instancePath (`/policies/0/PolicyName`) as a JSONPath a reader can follow (`$.policies[0].PolicyName`). */
export function jsonPath(instancePath: string): string {
  if (instancePath === '') return '$';
  return (
    '$' +
    instancePath
      .split('/')
      .slice(1)
      .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((seg) => (/^\d+$/.test(seg) ? `[${seg}]` : /^[A-Za-z_$][\w$]*$/.test(seg) ? `.${seg}` : `[${JSON.stringify(seg)}]`))
      .join('')
  );
}

/** Hints for patterns whose regex would mean nothing to a reader, keyed by the schema definition that holds them. */
const PATTERN_HINTS: ReadonlyArray<readonly [string, string]> = [
  ['principalArn', 'is not a valid IAM role, user or group ARN (arn:aws:iam::<12-digit account>:role/<name>)'],
  ['policyArn', 'is not a valid IAM policy ARN (arn:aws:iam::<account>|aws:policy/<name>)'],
  ['isoDate', 'is not an ISO-8601 date-time with a time zone (e.g. 2026-11-20T10:00:00Z)'],
  ['/name/', 'is not a valid IAM name (1-128 of letters, digits and +=,.@_-)'],
];

/** Values of the discriminator tags of the snapshot schema (ajv's error does not carry them). */
const DISCRIMINATOR_VALUES: Record<string, readonly string[]> = { Kind: POLICY_KINDS, Type: POLICY_SOURCE_TYPES };

function describe(err: ErrorObject): { path: string; message: string } {
  const path = jsonPath(err.instancePath);
  const params = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case 'additionalProperty':
    case 'additionalProperties':
      return { path: `${path}.${String(params['additionalProperty'])}`, message: 'is not a known field' };
    case 'required':
      return { path: `${path}.${String(params['missingProperty'])}`, message: 'is required' };
    case 'enum':
      return {
        path,
        message: `must be one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'discriminator': {
      const tag = String(params['tag']);
      const allowed = DISCRIMINATOR_VALUES[tag];
      return {
        path: `${path}.${tag}`,
        message: allowed
          ? `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`
          : `${JSON.stringify(params['tagValue'])} is not a known ${tag}`,
      };
    }
    case 'const':
      return { path, message: `must be ${JSON.stringify(params['allowedValue'])}` };
    case 'pattern': {
      const hint = PATTERN_HINTS.find(([def]) => err.schemaPath.includes(def.startsWith('/') ? def : `/${def}/`));
      const value = JSON.stringify(err.data);
      return { path, message: `${value} ${hint ? hint[1] : `must match ${String(params['pattern'])}`}` };
    }
    default:
      return { path, message: err.message ?? 'is invalid' };
  }
}

/** Options every leastpriv ajv instance uses: `verbose` puts the offending value in errors, so messages can quote it. */
export const AJV_OPTIONS = { verbose: true, strict: true } as const;

/**
 * One line for the first (deepest, most specific) ajv error: `$.principal.Arn: "x" is not a valid … ARN`. ajv
 * reports errors in schema order; a discriminator error or a type error on a parent is less useful than the
 * deepest one, so the longest instance path wins.
 */
export function firstAjvError(errors: readonly ErrorObject[] | null | undefined): string {
  if (!errors || errors.length === 0) return '$: is invalid';
  const sorted = [...errors].sort((a, b) => b.instancePath.length - a.instancePath.length);
  const best = sorted[0] as ErrorObject;
  const { path, message } = describe(best);
  return `${path}: ${message}`;
}
