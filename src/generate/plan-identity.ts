import type { Analysis, PolicyAnalysis, PolicyRef } from '../analyze/types.js';
import { expandStatement, rewritePolicy, toPolicyDocument, type StatementKeep } from '../policy/index.js';
import type { NormalizedStatement } from '../policy/types.js';
import { fitManaged } from './fit.js';
import { replacementName } from './names.js';
import { asProposed, keepPlan, sorted, type DraftPlan, type PlanContext } from './plan.js';
import type { HeldByUncatalogued, SharedBeyondPrincipal } from './plan-facts.js';
import type { StatementChange } from './types.js';
import { keepWholeServices } from './whole-services.js';

/**
 * The planner for a principal's identity policies: the first rule that holds the policy back decides, in this order
 * (a reason about the whole principal before a reason about the policy); a policy no rule holds is trimmed.
 */

/** what every rule looks at: the policy's analysis and what it could lose */
interface PolicyView {
  readonly pa: PolicyAnalysis;
  readonly ctx: PlanContext;
  /** removable actions no held statement still grants (a held statement keeps granting its unused actions) */
  readonly removable: readonly string[];
  /** unused actions held by statements that also grant, in use, what the catalog cannot name */
  readonly held: readonly string[];
  readonly heldBy: HeldByUncatalogued;
}

type Rule = (view: PolicyView) => DraftPlan | undefined;

const windowTooShort: Rule = ({ pa, ctx }) => {
  const w = ctx.analysis.window;
  if (w.status !== 'too-short') return undefined;
  return keepPlan(pa, {
    reason: 'observation-window-too-short',
    coveredDays: w.coveredDays,
    dataStart: w.dataStart,
    referenceTime: w.referenceTime,
    thresholdDays: w.thresholdDays,
  });
};

const versionTooRecent: Rule = ({ pa, ctx, held }) => {
  if (!pa.recentVersion) return undefined;
  const facts = { reason: 'policy-version-too-recent', version: pa.recentVersion, referenceTime: ctx.analysis.window.referenceTime } as const;
  return { ...keepPlan(pa, facts, held), evidence: pa.recentVersion };
};

const nothingRemovable: Rule = ({ pa, removable, held, heldBy }) =>
  removable.length > 0
    ? undefined
    : keepPlan(pa, { reason: 'nothing-removed', because: held.length ? 'held' : 'none-unused', held: heldBy }, held);

const reachesThroughGroup: Rule = ({ pa, removable, held }) =>
  pa.ref.source.Type !== 'group'
    ? undefined
    : keepPlan(pa, { reason: 'group-policy-kept', groupName: pa.ref.source.GroupName }, sorted([...removable, ...held]));

const sharedAndKeptByConfig: Rule = ({ pa, ctx, removable, held }) => {
  const shared = sharedBeyondPrincipal(pa.ref, ctx.analysis);
  if (shared === undefined || ctx.analysis.sharedPolicies !== 'keep') return undefined;
  return keepPlan(pa, { reason: 'shared-policy-kept', shared }, sorted([...removable, ...held]));
};

const RULES: readonly Rule[] = [windowTooShort, versionTooRecent, nothingRemovable, reachesThroughGroup, sharedAndKeptByConfig];

export function planIdentityPolicy(pa: PolicyAnalysis, ctx: PlanContext): DraftPlan {
  const heldGrants = new Set(pa.statements.filter((s) => s.hold).flatMap((s) => s.allowed));
  const held = sorted(pa.statements.flatMap((s) => s.keptDespiteUnused ?? []));
  const view: PolicyView = {
    pa,
    ctx,
    removable: sorted(pa.statements.flatMap((s) => s.removable)).filter((a) => !heldGrants.has(a)),
    held,
    heldBy: { actions: held.length, statements: pa.statements.filter((s) => (s.keptDespiteUnused?.length ?? 0) > 0).length },
  };
  for (const rule of RULES) {
    const plan = rule(view);
    if (plan) return plan;
  }
  return trimPlan(view);
}

/**
 * Why a new version of this customer-managed policy would change more than this principal's own attachment, or
 * undefined when it would not. AttachmentCount alone misses two cases: the policy is also a permissions boundary (its
 * own or others'; AttachmentCount does not count boundary use, and trimming a boundary takes permissions away from
 * whoever it bounds), and the same policy also reaches a user through a group (an understated count).
 */
function sharedBeyondPrincipal(ref: PolicyRef, analysis: Analysis): SharedBeyondPrincipal | undefined {
  if (ref.kind !== 'managed' || ref.managedBy !== 'customer') return undefined;
  const principalType = analysis.principal.Type;
  if ((ref.attachmentCount ?? 1) > 1) return { kind: 'attached-elsewhere', attachmentCount: ref.attachmentCount ?? 1 };
  if (ref.policyArn === analysis.principal.PermissionsBoundaryArn) return { kind: 'own-boundary', principalType };
  if ((ref.permissionsBoundaryUsageCount ?? 0) > 0) return { kind: 'boundary-of-others', principals: ref.permissionsBoundaryUsageCount ?? 0 };
  const same = analysis.policies.filter((p) => p.ref.policyArn === ref.policyArn && p.ref.snapshotIndex !== ref.snapshotIndex);
  if (same.length === 0) return undefined;
  const via = same.map((p) => (p.ref.source.Type === 'group' ? `group ${p.ref.source.GroupName}` : 'this principal'));
  return { kind: 'through-groups', principalType, via: [...new Set(via)] };
}

/** No rule holds the policy: narrow its statements, then say how the trimmed document takes the original's place. */
function trimPlan(view: PolicyView): DraftPlan {
  const { pa, ctx, removable, held, heldBy } = view;
  const { catalog, analysis } = ctx;
  const ref = pa.ref;
  const keep = new Map<number, StatementKeep>();
  for (const s of pa.statements) {
    if (s.effect !== 'Allow' || s.removable.length === 0) continue;
    const gone = new Set(s.removable);
    keep.set(s.index, { actions: new Set(s.allowed.filter((a) => !gone.has(a))), unknown: new Set(s.unknown) });
  }
  const rewrite = rewritePolicy(catalog, pa.policy, keep);
  const document = keepWholeServices({ catalog, document: rewrite.document, original: pa.policy, provenance: rewrite.provenance });
  // what the policy really stops granting: a pattern the rewrite keeps verbatim (a wildcard in the service prefix,
  // `*:*`) still grants the unused actions it matches, and those must not be reported as removed
  const stillGranted = new Set(
    rewrite.policy.statements.filter((s) => s.Effect === 'Allow').flatMap((s) => expandStatement(catalog, s).actions),
  );
  const lost = removable.filter((a) => !stillGranted.has(a));
  const notLost = sorted([...held, ...removable.filter((a) => stillGranted.has(a))]);
  if (lost.length === 0) return keepPlan(pa, { reason: 'nothing-removed', because: 'service-wildcard', held: heldBy }, notLost);

  const dropped = new Set(rewrite.dropped);
  const outputOf = new Map(rewrite.provenance.filter((p) => p.change === 'narrowed').map((p) => [p.inputIndex, p.outputIndex]));
  const statements: StatementChange[] = pa.statements.map((s) => {
    const out = outputOf.get(s.index);
    const outAllowed = out === undefined ? undefined : new Set(expandStatement(catalog, rewrite.policy.statements[out] as NormalizedStatement).actions);
    const removedActions = dropped.has(s.index) ? s.removable.length : outAllowed ? s.removable.filter((a) => !outAllowed.has(a)).length : 0;
    return {
      index: s.index,
      ...(s.Sid ? { Sid: s.Sid } : {}),
      effect: s.effect,
      change: dropped.has(s.index) ? 'dropped' : removedActions > 0 ? 'narrowed' : 'unchanged',
      removedActions,
    };
  });
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
  const shared = sharedBeyondPrincipal(ref, analysis);
  const inPlace = shared === undefined && ref.managedBy === 'customer';
  const fit = fitManaged(catalog, document, { allowSplit: !inPlace, original: pa.policy });
  if (fit.kind === 'too-large') {
    const facts = { reason: 'size-limit-kept-original', limit: { kind: 'managed-policy', message: fit.message } } as const;
    return keepPlan(pa, facts, sorted([...removable, ...held]));
  }
  const withWildcards = { ...base, introducedWildcards: fit.introducedWildcards };
  if (inPlace) {
    const facts = { reason: 'customer-managed-new-version', ...notes } as const;
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
