import type { PolicyRef } from '../analyze/types.js';

const MAX_POLICY_NAME = 128;

/**
 * Name of the principal-specific customer-managed policy that replaces a shared or AWS-managed one:
 * `<principal>-<policy>[-part]`, with `-leastpriv` (then `-leastpriv2`, `-leastpriv3`, …) added while that name is
 * already taken — by one of the principal's managed policies or by another replacement of this recommendation.
 * Managed-policy names are unique per account, case-insensitively: a customer-managed "ReadOnly" and the AWS-managed
 * "ReadOnly" would otherwise both be replaced by one "app-ReadOnly", and the second create-policy would fail while its
 * attach-policy attached the first one. The chosen name is added to `taken`.
 */
export function replacementName(principalName: string, policyName: string, part: number | undefined, taken: Set<string>): string {
  const suffix = part === undefined ? '' : `-${part}`;
  const base = `${principalName}-${policyName}`;
  let name = base.slice(0, MAX_POLICY_NAME - suffix.length) + suffix;
  for (let n = 1; taken.has(name.toLowerCase()); n++) {
    const marked = `-leastpriv${n === 1 ? '' : n}${suffix}`;
    name = base.slice(0, MAX_POLICY_NAME - marked.length) + marked;
  }
  taken.add(name.toLowerCase());
  return name;
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
