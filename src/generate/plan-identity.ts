import type { PolicyAnalysis, PolicyRef, PrincipalAnalysis } from '../analyze/types.js';
import { toPolicyDocument } from '../policy/index.js';
import { fitManaged, fitManagedInPlace } from './fit.js';
import { replacementName } from './names.js';
import { asProposed, keepPlan, sorted, updatePlan, type DraftPlan, type PlanContext } from './plan.js';
import type { PolicyDocument } from '../policy/types.js';
import type { KeptWhole, SharedBeyondPrincipal } from './plan-facts.js';
import { firstRule, nothingRemovable, policyView, windowTooShort, type PolicyView, type Rule } from './plan-view.js';
import { trimPolicy, type Trimmed } from './trim.js';

/**
 * The planner for a principal's identity policies: the first rule that holds the policy back decides, in this order
 * (a reason about the whole principal before a reason about the policy); a policy no rule holds is trimmed.
 */

type View = PolicyView<PrincipalAnalysis>;
type PrincipalRule = Rule<PrincipalAnalysis>;

const versionTooRecent: PrincipalRule = ({ pa, ctx, held }) => {
  if (!pa.recentVersion) return undefined;
  const facts = { reason: 'policy-version-too-recent', version: pa.recentVersion, referenceTime: ctx.analysis.window.referenceTime } as const;
  return { ...keepPlan(pa, facts, held), evidence: pa.recentVersion };
};

const reachesThroughGroup: PrincipalRule = ({ pa, removable, held }) =>
  pa.ref.source.Type !== 'group'
    ? undefined
    : keepPlan(pa, { reason: 'group-policy-kept', groupName: pa.ref.source.GroupName }, sorted([...removable, ...held]));

const sharedAndKeptByConfig: PrincipalRule = ({ pa, ctx, removable, held }) => {
  const shared = sharedBeyondPrincipal(pa.ref, ctx.analysis);
  if (shared === undefined || ctx.analysis.sharedPolicies !== 'keep') return undefined;
  return keepPlan(pa, { reason: 'shared-policy-kept', shared }, sorted([...removable, ...held]));
};

const RULES: readonly PrincipalRule[] = [windowTooShort, versionTooRecent, nothingRemovable, reachesThroughGroup, sharedAndKeptByConfig];

export function planIdentityPolicy(pa: PolicyAnalysis, ctx: PlanContext<PrincipalAnalysis>): DraftPlan {
  return firstRule(RULES, policyView(pa, ctx), trimPlan);
}

/**
 * Why a new version of this customer-managed policy would change more than this principal's own attachment, or
 * undefined when it would not. AttachmentCount alone misses two cases: the policy is also a permissions boundary (its
 * own or others'; AttachmentCount does not count boundary use, and trimming a boundary takes permissions away from
 * whoever it bounds), and the same policy also reaches a user through a group (an understated count).
 */
function sharedBeyondPrincipal(ref: PolicyRef, analysis: PrincipalAnalysis): SharedBeyondPrincipal | undefined {
  if (ref.kind !== 'managed' || ref.managedBy !== 'customer') return undefined;
  const principalType = analysis.principal.Type;
  if ((ref.attachmentCount ?? 1) > 1) return { kind: 'attached-elsewhere', attachmentCount: ref.attachmentCount ?? 1, policyArn: ref.policyArn ?? '' };
  if (ref.policyArn === analysis.principal.PermissionsBoundaryArn) return { kind: 'own-boundary', principalType };
  if ((ref.permissionsBoundaryUsageCount ?? 0) > 0) return { kind: 'boundary-of-others', principals: ref.permissionsBoundaryUsageCount ?? 0 };
  const same = analysis.policies.filter((p) => p.ref.policyArn === ref.policyArn && p.ref.snapshotIndex !== ref.snapshotIndex);
  if (same.length === 0) return undefined;
  const via = same.map((p) => (p.ref.source.Type === 'group' ? `group ${p.ref.source.GroupName}` : 'this principal'));
  return { kind: 'through-groups', principalType, via: [...new Set(via)] };
}

/**
 * An inline policy whose trimmed document was made to fit the principal's inline aggregate (generate.ts): its plan,
 * from what the fit search chose.
 */
export function fittedInlinePlan(
  pa: PolicyAnalysis,
  ctx: PlanContext<PrincipalAnalysis>,
  fitted: { trimmed: Trimmed; document: PolicyDocument; introducedWildcards: readonly string[]; keptWhole: readonly KeptWhole[] },
): DraftPlan {
  const view = policyView(pa, ctx);
  if (fitted.trimmed.lost.length === 0) return keepPlan(pa, { reason: 'nothing-removed', because: 'service-wildcard', held: view.heldBy }, fitted.trimmed.notLost);
  const facts = {
    reason: 'inline-trimmed',
    denyOnly: fitted.document.Statement.every((s) => s.Effect === 'Deny'),
    held: view.heldBy,
    ...(fitted.keptWhole.length ? { keptWhole: fitted.keptWhole } : {}),
  } as const;
  return updatePlan(pa, fitted.trimmed, { facts, proposed: asProposed(pa.ref.policyName, 'inline', fitted.document), introducedWildcards: fitted.introducedWildcards });
}

/** No rule holds the policy: narrow its statements, then say how the trimmed document takes the original's place. */
function trimPlan(view: View): DraftPlan {
  const { pa, ctx, removable, held, heldBy } = view;
  const { catalog, analysis } = ctx;
  const ref = pa.ref;
  const shared = ref.kind === 'managed' ? sharedBeyondPrincipal(ref, analysis) : undefined;
  const inPlace = ref.kind === 'managed' && shared === undefined && ref.managedBy === 'customer';
  // updated in place, the one document must fit: the search keeps parts as written where it must
  const searched = inPlace ? fitManagedInPlace({ catalog, pa, removable, held }) : undefined;
  if (searched?.fit.kind === 'too-large') {
    const facts = { reason: 'size-limit-kept-original', limit: { kind: 'managed-policy', message: searched.fit.message } } as const;
    return keepPlan(pa, facts, sorted([...removable, ...held]));
  }
  const { document, lost, notLost, statements } = searched?.trimmed ?? trimPolicy({ catalog, pa, removable, held });
  if (lost.length === 0) return keepPlan(pa, { reason: 'nothing-removed', because: 'service-wildcard', held: heldBy }, notLost);

  const base = { ref, original: toPolicyDocument(pa.policy), removed: lost, keptDespiteUnused: notLost, statements, introducedWildcards: [] };
  const notes = { denyOnly: document.Statement.every((s) => s.Effect === 'Deny'), held: heldBy };

  if (document.Statement.length === 0) {
    const facts = { reason: 'no-statement-left', policyKind: ref.kind } as const;
    return { ...base, action: 'remove', reason: facts.reason, facts, proposed: [] };
  }
  if (ref.kind === 'inline') {
    const facts = { reason: 'inline-trimmed', ...notes } as const;
    return { ...base, action: 'update', reason: facts.reason, facts, proposed: [asProposed(ref.policyName, 'inline', document)] };
  }
  const fit = searched?.fit ?? fitManaged(catalog, document, { allowSplit: true, original: pa.policy });
  if (fit.kind === 'too-large') {
    const facts = { reason: 'size-limit-kept-original', limit: { kind: 'managed-policy', message: fit.message } } as const;
    return keepPlan(pa, facts, sorted([...removable, ...held]));
  }
  const withWildcards = { ...base, introducedWildcards: fit.introducedWildcards };
  if (inPlace) {
    const whole = searched?.whole ?? [];
    const facts = { reason: 'customer-managed-new-version', ...notes, ...(whole.length ? { keptWhole: whole } : {}) } as const;
    const proposed = fit.documents.map((d) => asProposed(ref.policyName, 'customer-managed', d));
    return { ...withWildcards, action: 'update', reason: facts.reason, facts, proposed };
  }
  const parts = fit.documents.length;
  const proposed = fit.documents.map((d, i) =>
    asProposed(
      replacementName({ principalName: analysis.principal.Name, policyName: ref.policyName, ...(parts > 1 ? { part: i + 1 } : {}), taken: ctx.takenNames }),
      'customer-managed',
      d,
    ),
  );
  const facts =
    shared !== undefined
      ? ({ reason: 'shared-policy-replaced', shared, parts, ...notes } as const)
      : ({ reason: 'aws-managed-replaced', policyName: ref.policyName, parts, ...notes } as const);
  return { ...withWildcards, action: 'replace', reason: facts.reason, facts, proposed };
}
