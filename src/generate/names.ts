import type { PolicyRef } from '../analyze/types.js';

/** IAM's limit on a policy name (characters [\w+=,.@-]; every part of a replacement name is made of them already) */
const MAX_POLICY_NAME = 128;
/** role and user names are at most 64 characters (groups 128): a principal part longer than this may be cut */
const PRINCIPAL_ROOM = 64;
const FOR = '-trimmed-for-';

export interface ReplacementNameRequest {
  /** the principal the copy is for */
  readonly principalName: string;
  /** the shared or AWS-managed policy the copy replaces */
  readonly policyName: string;
  /** 1, 2, … when the copy is split into several policies */
  readonly part?: number;
  /** lower-case names already in use; the chosen name is added */
  readonly taken: Set<string>;
}

/**
 * Name of the principal-specific customer-managed policy that replaces a shared or AWS-managed one:
 * `<policy>-trimmed-for-<principal>[-part]`. It says what it is — a trimmed copy, for one principal — where
 * `<principal>-<policy>` read like the AWS policy itself. Over 128 characters the policy part is cut first, then a
 * principal part over 64. `-leastpriv` (then `-leastpriv2`, `-leastpriv3`, …) is added while the name is already
 * taken — by one of the principal's managed policies or by another replacement of this recommendation.
 * Managed-policy names are unique per account, case-insensitively: a customer-managed "ReadOnly" and the AWS-managed
 * "ReadOnly" would otherwise both be replaced by one "ReadOnly-trimmed-for-app", and the second create-policy would
 * fail while its attach-policy attached the first one.
 */
export function replacementName(request: ReplacementNameRequest): string {
  const { principalName, policyName, part, taken } = request;
  const suffix = part === undefined ? '' : `-${part}`;
  let name = composeName(policyName, principalName, suffix);
  for (let n = 1; taken.has(name.toLowerCase()); n++) name = composeName(policyName, principalName, `-leastpriv${n === 1 ? '' : n}${suffix}`);
  taken.add(name.toLowerCase());
  return name;
}

function composeName(policy: string, principal: string, suffix: string): string {
  const room = MAX_POLICY_NAME - FOR.length - suffix.length;
  const principalPart = principal.slice(0, Math.max(PRINCIPAL_ROOM, room - policy.length));
  return `${policy.slice(0, room - principalPart.length)}${FOR}${principalPart}${suffix}`;
}

/**
 * Name of the customer-managed policy that replaces an AWS-managed one for everyone it is attached to:
 * `<policy>-trimmed[-part]`, cut to IAM's 128 characters.
 */
export function policyReplacementName(request: { readonly policyName: string; readonly part?: number }): string {
  const suffix = `-trimmed${request.part === undefined ? '' : `-${request.part}`}`;
  return `${request.policyName.slice(0, MAX_POLICY_NAME - suffix.length)}${suffix}`;
}

export interface FileNameRequest {
  readonly name: string;
  readonly ref: PolicyRef;
}

/**
 * One file per proposed policy, named after it. Names can collide (an inline and a managed policy both called
 * "app", two groups with an inline "base"; case-insensitive file systems): colliding ones are qualified by where they
 * come from, and a counter settles anything still equal. Deterministic: depends on input order only.
 */
export function assignFileNames(requests: readonly FileNameRequest[]): string[] {
  const counts = new Map<string, number>();
  for (const r of requests) counts.set(r.name.toLowerCase(), (counts.get(r.name.toLowerCase()) ?? 0) + 1);
  const used = new Set<string>();
  return requests.map((r) => {
    let base = r.name;
    if ((counts.get(r.name.toLowerCase()) ?? 0) > 1) {
      const from = r.ref.source.Type === 'group' ? `group-${r.ref.source.GroupName}-` : '';
      base = `${from}${r.ref.kind === 'inline' ? 'inline' : 'managed'}-${r.name}`;
    }
    let candidate = base;
    for (let n = 2; used.has(candidate.toLowerCase()); n++) candidate = `${base}-${n}`;
    used.add(candidate.toLowerCase());
    return `policies/${candidate}.json`;
  });
}
