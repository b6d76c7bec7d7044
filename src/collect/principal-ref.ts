import { inputError } from '../errors.js';
import { parsePrincipalArn } from '../snapshot/arn.js';
import type { PrincipalType } from '../snapshot/types.js';

/** The principal to collect, as the caller names it: by ARN, or by name in the credentials' own account. */
export interface PrincipalSelector {
  type: PrincipalType;
  arn?: string;
  name?: string;
}

/** A validated selector: always a name (IAM's Get* calls take names), plus the account and ARN when one was given. */
export interface PrincipalRef {
  type: PrincipalType;
  name: string;
  arn?: string;
  account?: string;
}

const NAME = /^[\w+=,.@-]{1,128}$/;

export function parsePrincipalSelector(selector: PrincipalSelector): PrincipalRef {
  const { type, arn, name } = selector;
  if ((arn === undefined) === (name === undefined)) {
    throw inputError(`name the ${type} to collect by ARN or by name (exactly one of them)`);
  }
  if (name !== undefined) {
    if (!NAME.test(name)) throw inputError(`bad ${type} name '${name}': IAM names use letters, digits and +=,.@_-`);
    return { type, name };
  }
  const parsed = parsePrincipalArn(arn ?? '');
  if (!parsed) throw inputError(`bad ${type} ARN '${arn}': expected arn:aws:iam::<account-id>:${type}/<name>`);
  if (parsed.resourceType !== type) throw inputError(`'${arn}' is a ${parsed.resourceType} ARN, not a ${type} ARN`);
  return { type, name: parsed.name, arn: arn ?? '', account: parsed.account };
}

/** True when `value` is a valid IAM role, user or group name. */
export function isPrincipalName(value: string): boolean {
  return NAME.test(value);
}
