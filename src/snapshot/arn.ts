import type { PrincipalType } from './types.js';

/**
 * The one reading of IAM ARNs (`arn:<partition>:iam::<account>:<type><path><name>`) for collect, snapshot, render
 * and cli. The snapshot's JSON Schema states the same shapes as patterns of its own (they are the schema).
 */
export interface IamArn {
  /** aws, aws-cn, aws-us-gov, aws-iso-b, … */
  partition: string;
  /** 12 digits, or `aws` for an AWS-managed policy */
  account: string;
  resourceType: IamResourceType;
  /** `/`, or `/…/` of printable ASCII (IAM's path rule) */
  path: string;
  name: string;
}

export type IamResourceType = PrincipalType | 'policy';

// IAM paths hold any printable ASCII between slashes; names are IAM's name characters
const IAM_ARN = /^arn:(aws(?:-[a-z]+)*):iam::(\d{12}|aws):(role|user|group|policy)(\/(?:[\x21-\x7e]*\/)?)([\w+=,.@-]+)$/;

/** The parts of an IAM role, user, group or policy ARN; undefined for anything else. */
export function parseIamArn(arn: string): IamArn | undefined {
  const m = IAM_ARN.exec(arn);
  if (!m) return undefined;
  const parsed: IamArn = {
    partition: m[1] as string,
    account: m[2] as string,
    resourceType: m[3] as IamResourceType,
    path: m[4] as string,
    name: m[5] as string,
  };
  // only policies live in the pseudo-account `aws`
  return parsed.account === 'aws' && parsed.resourceType !== 'policy' ? undefined : parsed;
}

/** The parts of an IAM role, user or group ARN; undefined for anything else (a policy ARN included). */
export function parsePrincipalArn(arn: string): (IamArn & { resourceType: PrincipalType }) | undefined {
  const parsed = parseIamArn(arn);
  return parsed && parsed.resourceType !== 'policy' ? { ...parsed, resourceType: parsed.resourceType } : undefined;
}

/** AWS-managed policies live in the pseudo-account `aws` (arn:aws:iam::aws:policy/...) and cannot be edited. */
export function isAwsManagedPolicyArn(arn: string): boolean {
  return parseIamArn(arn)?.account === 'aws';
}

/** True when the value is meant as an ARN of any kind, well-formed or not. */
export function looksLikeArn(value: string): boolean {
  return value.startsWith('arn:');
}
