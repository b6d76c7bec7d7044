import { inputError } from '../errors.js';
import { parseIamArn } from '../snapshot/arn.js';
import { parsePrincipalSelector, type PrincipalSelector } from './principal-ref.js';

/** A managed policy to collect as the subject: by ARN only (an AWS-managed policy has no account to look a name up in). */
export interface ManagedPolicySelector {
  type: 'managed-policy';
  arn: string;
}

/** What one collection is about: a role, user or group, or a managed policy. */
export type SubjectSelector = PrincipalSelector | ManagedPolicySelector;

/** A validated managed-policy selector: the ARN and what it names. */
export interface ManagedPolicyRef {
  type: 'managed-policy';
  arn: string;
  name: string;
  /** 12 digits, or `aws` for an AWS-managed policy */
  account: string;
}

export function isManagedPolicySelector(selector: SubjectSelector): selector is ManagedPolicySelector {
  return selector.type === 'managed-policy';
}

export function parseManagedPolicySelector(selector: ManagedPolicySelector): ManagedPolicyRef {
  const parsed = parseIamArn(selector.arn);
  if (parsed === undefined) {
    throw inputError(`bad managed policy ARN '${selector.arn}': expected arn:aws:iam::<account-id or aws>:policy/<path><name>`);
  }
  if (parsed.resourceType !== 'policy') {
    throw inputError(`'${selector.arn}' is a ${parsed.resourceType} ARN, not a managed policy ARN`);
  }
  return { type: 'managed-policy', arn: selector.arn, name: parsed.name, account: parsed.account };
}

/** The subject's name (a principal's or a policy's): the recommendation's output folder is named after it. */
export function subjectName(selector: SubjectSelector): string {
  return isManagedPolicySelector(selector) ? parseManagedPolicySelector(selector).name : parsePrincipalSelector(selector).name;
}
