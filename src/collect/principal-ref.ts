import { inputError } from '../errors.js';
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

const ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):(role|user|group)((?:\/[\x21-\x7e]*)?\/)([\w+=,.@-]+)$/;
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
  const match = ARN.exec(arn ?? '');
  if (!match) throw inputError(`bad ${type} ARN '${arn}': expected arn:aws:iam::<account-id>:${type}/<name>`);
  const [, , account, arnType, , arnName] = match;
  if (arnType !== type) throw inputError(`'${arn}' is a ${arnType} ARN, not a ${type} ARN`);
  return { type, name: arnName ?? '', arn: arn ?? '', account: account ?? '' };
}

/** The principal type an IAM role, user or group ARN names; undefined for anything else. */
export function principalTypeOfArn(arn: string): PrincipalType | undefined {
  return ARN.exec(arn)?.[3] as PrincipalType | undefined;
}

/** True when `value` is a valid IAM role, user or group name. */
export function isPrincipalName(value: string): boolean {
  return NAME.test(value);
}

/** The account ID inside an IAM ARN. */
export function accountOfArn(arn: string): string | undefined {
  return /^arn:[^:]+:iam::(\d{12}):/.exec(arn)?.[1];
}
