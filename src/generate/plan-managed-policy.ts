import type { ManagedPolicyAnalysis, PolicyAnalysis } from '../analyze/types.js';
import { toPolicyDocument } from '../policy/index.js';
import { fitManaged, type ManagedFit } from './fit.js';
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

/**
 * The trimmed document that fits and removes the most, for a customer-managed policy that is updated in place (one
 * document, 6,144 characters): narrowed as is, else compacted future-safely (fitManaged), else with the statements
 * whose narrowing grows the document most carried as written, one at a time, until it fits. Each statement kept
 * whole gives up only its own unused actions; the policy is never given up as a whole while the original fits.
 */
function fitInPlace(view: View): { trimmed: Trimmed; fit: ManagedFit; keptWhole: ReadonlySet<number> } {
  const { pa, ctx, removable, held } = view;
  const keepWhole = new Set<number>();
  for (;;) {
    const trimmed = trimPolicy({ catalog: ctx.catalog, pa, removable, held, keepWhole });
    const fit = fitManaged(ctx.catalog, trimmed.document, { allowSplit: false, original: pa.policy });
    // only a statement whose narrowed form is larger than the original can make room by going back
    const grows = [...trimmed.growth].filter(([index, by]) => by > 0 && !keepWhole.has(index)).sort(([ia, a], [ib, b]) => b - a || ia - ib);
    const next = grows[0];
    if (fit.kind === 'fits' || next === undefined) return { trimmed, fit, keptWhole: keepWhole };
    keepWhole.add(next[0]);
  }
}

function keptWholeFacts(pa: PolicyAnalysis, keptWhole: ReadonlySet<number>): KeptWhole[] {
  return pa.statements
    .filter((s) => keptWhole.has(s.index))
    .map((s) => ({ index: s.index, ...(s.Sid ? { Sid: s.Sid } : {}), unusedActions: s.removable.length }));
}

function trimPlan(view: View): DraftPlan {
  const { pa, ctx, heldBy } = view;
  const { analysis, catalog } = ctx;
  const mp = analysis.managedPolicy;
  const entities = mp.attachedEntities.length;
  const inPlace = mp.ManagedBy === 'customer';
  const { trimmed, fit, keptWhole } = inPlace
    ? fitInPlace(view)
    : (() => {
        const t = trimPolicy({ catalog, pa, removable: view.removable, held: view.held });
        return { trimmed: t, fit: fitManaged(catalog, t.document, { allowSplit: true, original: pa.policy }), keptWhole: new Set<number>() };
      })();
  const { document, lost, notLost, statements } = trimmed;
  if (lost.length === 0) return keepPlan(pa, { reason: 'nothing-removed', because: 'service-wildcard', held: heldBy }, notLost);
  if (fit.kind === 'too-large') {
    const facts = { reason: 'size-limit-kept-original', limit: { kind: 'managed-policy', message: fit.message } } as const;
    return keepPlan(pa, facts, allUnused(view));
  }
  const ref = pa.ref;
  const base = { ref, original: toPolicyDocument(pa.policy), removed: lost, keptDespiteUnused: notLost, statements };
  const notes = { denyOnly: document.Statement.every((s) => s.Effect === 'Deny'), held: heldBy };
  if (document.Statement.length === 0) {
    const facts = { reason: 'no-statement-left', policyKind: 'managed', entities } as const;
    return { ...base, introducedWildcards: [], action: 'remove', reason: facts.reason, facts, proposed: [] };
  }
  const withWildcards = { ...base, introducedWildcards: fit.introducedWildcards };
  const whole = keptWholeFacts(pa, keptWhole);
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
