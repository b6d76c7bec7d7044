import type { Analysis, PolicyAnalysis, PolicyRef } from '../analyze/types.js';
import type { Catalog } from '../catalog/catalog.js';
import { AWS_LIMITS, policySize, toPolicyDocument } from '../policy/index.js';
import type { PolicyDocument } from '../policy/types.js';
import type { PlanFacts } from './plan-facts.js';
import type { PolicyPlan, ProposedPolicy, StatementChange } from './types.js';

/** A plan before file names are assigned (they depend on every plan). */
export type DraftPlan = Omit<PolicyPlan, 'proposed'> & { readonly proposed: readonly Omit<ProposedPolicy, 'file'>[] };

export const sorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

export function proposedKind(ref: PolicyRef): ProposedPolicy['kind'] {
  if (ref.kind === 'inline') return 'inline';
  return ref.managedBy === 'aws' ? 'aws-managed' : 'customer-managed';
}

export function asProposed(name: string, kind: ProposedPolicy['kind'], document: PolicyDocument): Omit<ProposedPolicy, 'file'> {
  return {
    name,
    kind,
    document,
    size: policySize(document),
    ...(kind === 'customer-managed' ? { limit: AWS_LIMITS.managedPolicy } : {}),
  };
}

function unchangedStatements(pa: PolicyAnalysis): StatementChange[] {
  return pa.statements.map((s) => ({
    index: s.index,
    ...(s.Sid ? { Sid: s.Sid } : {}),
    effect: s.effect,
    change: 'unchanged',
    removedActions: 0,
  }));
}

/** The original kept as it is: nothing goes, or what would go cannot go from this policy. */
export function keepPlan(pa: PolicyAnalysis, facts: PlanFacts, keptDespiteUnused: readonly string[] = []): DraftPlan {
  const original = toPolicyDocument(pa.policy);
  return {
    ref: pa.ref,
    action: 'keep',
    reason: facts.reason,
    facts,
    original,
    removed: [],
    keptDespiteUnused,
    statements: unchangedStatements(pa),
    proposed: [asProposed(pa.ref.policyName, proposedKind(pa.ref), original)],
    introducedWildcards: [],
  };
}

/** An update whose proposal is one document the trimming produced (and a fit made room for). */
export function updatePlan(
  pa: PolicyAnalysis,
  trimmed: { readonly lost: readonly string[]; readonly notLost: readonly string[]; readonly statements: readonly StatementChange[] },
  fitted: { readonly facts: PlanFacts; readonly proposed: Omit<ProposedPolicy, 'file'>; readonly introducedWildcards: readonly string[] },
): DraftPlan {
  return {
    ref: pa.ref,
    action: 'update',
    reason: fitted.facts.reason,
    facts: fitted.facts,
    original: toPolicyDocument(pa.policy),
    removed: trimmed.lost,
    keptDespiteUnused: trimmed.notLost,
    statements: trimmed.statements,
    introducedWildcards: fitted.introducedWildcards,
    proposed: [fitted.proposed],
  };
}

/** What planning one policy (keep/update/replace/remove) needs. */
export interface PlanContext<A extends Analysis = Analysis> {
  readonly analysis: A;
  readonly catalog: Catalog;
  /** lower-case names of the principal's managed policies and of the replacements planned so far, which a new
   *  replacement must not reuse (replacementName adds each name it chooses) */
  readonly takenNames: Set<string>;
}

