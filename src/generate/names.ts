import type { PolicyRef } from '../analyze/types.js';

const MAX_POLICY_NAME = 128;

/**
 * Name of the principal-specific customer-managed policy that replaces a shared or AWS-managed one:
 * `<principal>-<policy>[-part]`, with `-leastpriv` added when that name is already taken by one of the principal's
 * managed policies (managed-policy names are unique per account, case-insensitively).
 */
export function replacementName(principalName: string, policyName: string, part: number | undefined, taken: ReadonlySet<string>): string {
  const suffix = part === undefined ? '' : `-${part}`;
  const plain = `${principalName}-${policyName}`.slice(0, MAX_POLICY_NAME - suffix.length) + suffix;
  if (!taken.has(plain.toLowerCase())) return plain;
  const marked = `-leastpriv${suffix}`;
  return `${principalName}-${policyName}`.slice(0, MAX_POLICY_NAME - marked.length) + marked;
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
