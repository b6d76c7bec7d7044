import type { ManagedPolicyAnalysis } from '../analyze/types.js';
import { toPolicyDocument } from '../policy/index.js';
import { fitManaged, fitManagedInPlace, type ManagedFit } from './fit.js';
import { policyReplacementName } from './names.js';
import { asProposed, keepPlan, type DraftPlan, type PlanContext } from './plan.js';
import type { KeptWhole } from './plan-facts.js';
import { allUnused, firstRule, nothingRemovable, policyView, windowTooShort, type PolicyView, type Rule } from './plan-view.js';
import { trimPolicy, type Trimmed } from './trim.js';

/**
 * The planner for a managed policy as the subject, for everyone it is attached to. Its report is already the union
 * over those entities, so a use by any of them keeps a permission (the analysis's verdicts). The first rule that
 * holds the policy back decides: a reason about the whole policy (nothing attached, also a boundary, too young)
 * before what the data shows.
 */

type View = PolicyView<ManagedPolicyAnalysis>;
type PolicyRule = Rule<ManagedPolicyAnalysis>;

// attached to nothing, the report lists every service as never used: that proves nothing about anyone
const notAttached: PolicyRule = (v) =>
  v.ctx.analysis.managedPolicy.attachedEntities.length > 0 ? undefined : keepPlan(v.pa, { reason: 'policy-not-attached', managedBy: v.ctx.analysis.managedPolicy.ManagedBy }, allUnused(v));

// a permissions boundary limits its principals without granting; their use of it never shows in this report
const boundaryUse: PolicyRule = (v) => {
  const principals = v.ctx.analysis.managedPolicy.PermissionsBoundaryUsageCount;
  return principals === 0 ? undefined : keepPlan(v.pa, { reason: 'policy-is-permissions-boundary', principals }, allUnused(v));
};

const RULES: readonly PolicyRule[] = [notAttached, boundaryUse, windowTooShort, nothingRemovable];

export function planManagedPolicySubject(analysis: ManagedPolicyAnalysis, ctx: PlanContext<ManagedPolicyAnalysis>): DraftPlan[] {
  const pa = analysis.policies[0];
  return pa === undefined ? [] : [firstRule(RULES, policyView(pa, ctx), trimPlan)];
}

/** a customer-managed replacement may be split into several policies: no search needed */
function replacement(view: View): { trimmed: Trimmed; fit: ManagedFit; whole: readonly KeptWhole[] } {
  const { pa, ctx, removable, held } = view;
  const trimmed = trimPolicy({ catalog: ctx.catalog, pa, removable, held });
  return { trimmed, fit: fitManaged(ctx.catalog, trimmed.document, { allowSplit: true, original: pa.policy }), whole: [] };
}

function trimPlan(view: View): DraftPlan {
  const { pa, ctx, heldBy } = view;
  const { analysis, catalog } = ctx;
  const mp = analysis.managedPolicy;
  const entities = mp.attachedEntities.length;
  const inPlace = mp.ManagedBy === 'customer';
  const { trimmed, fit, whole } = inPlace ? fitManagedInPlace({ catalog, pa, removable: view.removable, held: view.held }) : replacement(view);
  const { document, lost, notLost, statements } = trimmed;
  if (fit.kind === 'too-large') {
    const facts = { reason: 'size-limit-kept-original', limit: { kind: 'managed-policy', message: fit.message } } as const;
    return keepPlan(pa, facts, allUnused(view));
  }
  if (lost.length === 0) return keepPlan(pa, { reason: 'nothing-removed', because: 'service-wildcard', held: heldBy }, notLost);
  const ref = pa.ref;
  const base = { ref, original: toPolicyDocument(pa.policy), removed: lost, keptDespiteUnused: notLost, statements };
  const notes = { denyOnly: document.Statement.every((s) => s.Effect === 'Deny'), held: heldBy };
  if (document.Statement.length === 0) {
    const facts = { reason: 'no-statement-left', policyKind: 'managed', entities } as const;
    return { ...base, introducedWildcards: [], action: 'remove', reason: facts.reason, facts, proposed: [] };
  }
  const withWildcards = { ...base, introducedWildcards: fit.introducedWildcards };
  if (inPlace) {
    const facts = { reason: 'managed-policy-new-version', entities, keptWhole: whole, ...notes } as const;
    const proposed = fit.documents.map((d) => asProposed(ref.policyName, 'customer-managed', d));
    return { ...withWildcards, action: 'update', reason: facts.reason, facts, proposed };
  }
  const parts = fit.documents.length;
  const proposed = fit.documents.map((d, i) =>
    asProposed(policyReplacementName({ policyName: ref.policyName, ...(parts > 1 ? { part: i + 1 } : {}) }), 'customer-managed', d),
  );
  const facts = { reason: 'managed-policy-replaced', policyName: ref.policyName, entities, parts, keptWhole: whole, ...notes } as const;
  return { ...withWildcards, action: 'replace', reason: facts.reason, facts, proposed };
}
