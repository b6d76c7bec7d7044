import type { Analysis, PolicyAnalysis } from '../analyze/types.js';
import { AWS_LIMITS, fitsInlineAggregate, policySize } from '../policy/index.js';
import type { InputOverLimit } from './types.js';

/**
 * The input documents IAM would not accept as they stand, measured as AWS counts (see policy/size.ts): the inline
 * policies of the principal, and of each group a user's inline policies come from, against that entity type's
 * aggregate limit; each customer-managed policy against the managed-policy limit. AWS-managed policies are AWS's own
 * and may be larger. Such an input cannot be applied as is, whatever the proposal removes. Pure.
 */
export function inputOverLimits(analysis: Analysis): InputOverLimit[] {
  const out: InputOverLimit[] = [];
  const owners = new Map<string, PolicyAnalysis[]>();
  for (const pa of analysis.policies) {
    if (pa.ref.kind !== 'inline') continue;
    const owner = pa.ref.source.Type === 'group' ? pa.ref.source.GroupName : '';
    owners.set(owner, [...(owners.get(owner) ?? []), pa]);
  }
  // only a principal has inline policies
  const ownType = analysis.subjectKind === 'principal' ? analysis.principal.Type : 'role';
  for (const [group, policies] of owners) {
    const fit = fitsInlineAggregate(group ? 'group' : ownType, policies.map((p) => p.policy));
    if (fit.fits) continue;
    out.push({ kind: 'inline-aggregate', policyNames: policies.map((p) => p.ref.policyName), ...(group ? { group } : {}), size: fit.size, limit: fit.limit });
  }
  const measured = new Set<string>();
  for (const pa of analysis.policies) {
    if (pa.ref.kind !== 'managed' || pa.ref.managedBy !== 'customer' || measured.has(pa.ref.policyArn ?? '')) continue;
    measured.add(pa.ref.policyArn ?? '');
    const size = policySize(pa.policy);
    if (size > AWS_LIMITS.managedPolicy) out.push({ kind: 'managed-policy', policyNames: [pa.ref.policyName], size, limit: AWS_LIMITS.managedPolicy });
  }
  return out;
}
