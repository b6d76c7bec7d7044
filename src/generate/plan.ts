import type { Analysis, PolicyAnalysis, PolicyRef, RecentDefaultVersion } from '../analyze/types.js';
import type { Catalog } from '../catalog/catalog.js';
import { AWS_LIMITS, expandStatement, policySize, rewritePolicy, toPolicyDocument, type StatementKeep } from '../policy/index.js';
import type { NormalizedStatement, PolicyDocument } from '../policy/types.js';
import { counted, formatDateTime, plural } from '../text.js';
import { fitManaged } from './fit.js';
import { replacementName } from './names.js';
import { keepWholeServices } from './whole-services.js';
import type { PolicyAction, PolicyPlan, PolicyReason, ProposedPolicy, StatementChange } from './types.js';

/** A plan before file names are assigned (they depend on every plan). */
export type DraftPlan = Omit<PolicyPlan, 'proposed'> & { readonly proposed: readonly Omit<ProposedPolicy, 'file'>[] };

const sorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

function proposedKind(ref: PolicyRef): ProposedPolicy['kind'] {
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
export function keepPlan(pa: PolicyAnalysis, reason: PolicyReason, why: string, keptDespiteUnused: readonly string[] = []): DraftPlan {
  const original = toPolicyDocument(pa.policy);
  return {
    ref: pa.ref,
    action: 'keep',
    reason,
    why,
    original,
    removed: [],
    keptDespiteUnused,
    statements: unchangedStatements(pa),
    proposed: [asProposed(pa.ref.policyName, proposedKind(pa.ref), original)],
    introducedWildcards: [],
  };
}

/** What planning one policy (keep/update/replace/remove) needs. */
export interface PlanContext {
  readonly analysis: Analysis;
  readonly catalog: Catalog;
  /** lower-case names of the principal's managed policies and of the replacements planned so far, which a new
   *  replacement must not reuse (replacementName adds each name it chooses) */
  readonly takenNames: Set<string>;
}

/**
 * Why a new version of this customer-managed policy would change more than this principal's own attachment, or
 * undefined when it would not. AttachmentCount alone misses two cases: the policy is also a permissions boundary (its
 * own or others'; AttachmentCount does not count boundary use, and trimming a boundary takes permissions away from
 * whoever it bounds), and the same policy also reaches a user through a group (an understated count).
 */
function sharedBeyondPrincipal(ref: PolicyRef, analysis: Analysis): string | undefined {
  if (ref.kind !== 'managed' || ref.managedBy !== 'customer') return undefined;
  if ((ref.attachmentCount ?? 1) > 1) return `is attached to ${ref.attachmentCount} principals`;
  if (ref.policyArn === analysis.principal.PermissionsBoundaryArn) return `is also this ${analysis.principal.Type}'s permissions boundary`;
  if ((ref.permissionsBoundaryUsageCount ?? 0) > 0) {
    return `is the permissions boundary of ${counted(ref.permissionsBoundaryUsageCount ?? 0, 'principal')} (PermissionsBoundaryUsageCount)`;
  }
  const same = analysis.policies.filter((p) => p.ref.policyArn === ref.policyArn && p.ref.snapshotIndex !== ref.snapshotIndex);
  if (same.length > 0) {
    const groups = same.map((p) => (p.ref.source.Type === 'group' ? `group ${p.ref.source.GroupName}` : 'this principal'));
    return `also reaches this ${analysis.principal.Type} through ${[...new Set(groups)].join(', ')}`;
  }
  return undefined;
}

function recentVersionWhy(v: RecentDefaultVersion, referenceTime: string): string {
  const when =
    Date.parse(v.versionCreateDate) > Date.parse(referenceTime)
      ? 'after the reference time'
      : `${counted(v.daysSinceVersion, 'day')} before the reference time, less than the ${v.thresholdDays}-day threshold`;
  return (
    `Its default version ${v.versionId} was created ${formatDateTime(v.versionCreateDate)}, ${when}: what it grants may have been ` +
    `granted only then, so the report cannot show it unused yet. Nothing is removed from it; run again from ` +
    `${formatDateTime(v.trimmableFrom)} to trim it.`
  );
}

export function planPolicy(pa: PolicyAnalysis, ctx: PlanContext): DraftPlan {
  const { analysis, catalog } = ctx;
  const ref = pa.ref;
  // a held statement (see analyze) still grants its unused actions, so the policy does not lose them
  const heldGrants = new Set(pa.statements.filter((s) => s.hold).flatMap((s) => s.allowed));
  const removable = sorted(pa.statements.flatMap((s) => s.removable)).filter((a) => !heldGrants.has(a));
  const held = sorted(pa.statements.flatMap((s) => s.keptDespiteUnused ?? []));
  const holding = pa.statements.filter((s) => (s.keptDespiteUnused?.length ?? 0) > 0).length;
  const heldNote = held.length
    ? ` ${counted(held.length, 'unused action')} ${plural(held.length, 'stays', 'stay')} with ` +
      `${plural(holding, 'a statement that also grants', 'statements that also grant')} what the catalog cannot name and the ` +
      'report shows in use (see the warnings).'
    : '';
  if (analysis.window.status === 'too-short') {
    const w = analysis.window;
    return keepPlan(
      pa,
      'observation-window-too-short',
      `The data covers ${counted(w.coveredDays, 'day')} (${formatDateTime(w.dataStart)} to ${formatDateTime(w.referenceTime)}), less than the ${w.thresholdDays}-day threshold: nothing can be proven unused.`,
    );
  }
  if (pa.recentVersion) {
    return { ...keepPlan(pa, 'policy-version-too-recent', recentVersionWhy(pa.recentVersion, analysis.window.referenceTime), held), evidence: pa.recentVersion };
  }
  if (removable.length === 0) {
    return keepPlan(
      pa,
      'nothing-removed',
      held.length ? `Nothing this policy grants can go.${heldNote}` : 'No permission of this policy is proven unused.',
      held,
    );
  }
  if (ref.source.Type === 'group') {
    return keepPlan(
      pa,
      'group-policy-kept',
      `This policy reaches the user through group ${ref.source.GroupName}; trimming it would change the permissions of ` +
        `every member of the group, so it is kept. Review the group with a group report, or move the user out of it.`,
      sorted([...removable, ...held]),
    );
  }
  const sharedWith = sharedBeyondPrincipal(ref, analysis);
  const shared = sharedWith !== undefined;
  if (shared && analysis.sharedPolicies === 'keep') {
    return keepPlan(
      pa,
      'shared-policy-kept',
      `This customer-managed policy ${sharedWith ?? 'is shared'}; the configuration says shared policies are kept (sharedPolicies: "keep").`,
      sorted([...removable, ...held]),
    );
  }

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
  if (lost.length === 0) {
    return keepPlan(
      pa,
      'nothing-removed',
      'What is unused here is granted by a pattern with a wildcard in the service prefix (such as `*:*`), which is ' +
        `never narrowed: the policy stays as it is.${heldNote}`,
      notLost,
    );
  }
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
  const original = toPolicyDocument(pa.policy);
  const base = { ref, original, removed: lost, keptDespiteUnused: notLost, statements, introducedWildcards: [] };
  const denyOnly = document.Statement.every((s) => s.Effect === 'Deny');
  const denyNote = denyOnly ? ' No Allow is left; its Deny statements stay so that no denial is lifted.' : '';

  if (document.Statement.length === 0) {
    const how = ref.kind === 'inline' ? 'delete it' : 'detach it from this principal';
    return { ...base, action: 'remove', reason: 'no-statement-left', why: `Nothing this policy grants is used: ${how}.`, proposed: [] };
  }
  if (ref.kind === 'inline') {
    return {
      ...base,
      action: 'update',
      reason: 'inline-trimmed',
      why: `The inline policy is replaced by its trimmed document.${denyNote}${heldNote}`,
      proposed: [asProposed(ref.policyName, 'inline', document)],
    };
  }
  const inPlace = !shared && ref.managedBy === 'customer';
  const fit = fitManaged(catalog, document, { allowSplit: !inPlace, original: pa.policy });
  if (fit.kind === 'too-large') {
    return {
      ...keepPlan(pa, 'size-limit-kept-original', `The trimmed policy cannot be made to fit AWS limits (${fit.message}); the original is kept.`, sorted([...removable, ...held])),
    };
  }
  const withWildcards = { ...base, introducedWildcards: fit.introducedWildcards };
  if (inPlace) {
    return {
      ...withWildcards,
      action: 'update',
      reason: 'customer-managed-new-version',
      why: `Attached only to this principal: publish the trimmed document as the new default version.${denyNote}${heldNote}`,
      proposed: fit.documents.map((d) => asProposed(ref.policyName, 'customer-managed', d)),
    };
  }
  const parts = fit.documents.length;
  const proposed = fit.documents.map((d, i) =>
    asProposed(
      replacementName({ principalName: analysis.principal.Name, policyName: ref.policyName, ...(parts > 1 ? { part: i + 1 } : {}), taken: ctx.takenNames }),
      'customer-managed',
      d,
    ),
  );
  const split = parts > 1 ? ` It is split into ${parts} policies to fit the 6,144-character managed-policy limit.` : '';
  const why: Record<'shared' | 'aws', string> = {
    shared:
      ((ref.attachmentCount ?? 1) > 1
        ? `Attached to ${ref.attachmentCount} principals, so it is not narrowed in place: detach it from this principal and ` +
          'attach a principal-specific copy holding what is kept; the other principals keep the original.'
        : `This policy ${sharedWith ?? 'is shared'}, so it is not narrowed in place: detach it from this principal and ` +
          'attach a principal-specific copy holding what is kept; the original stays as it is.') +
      `${split}${denyNote}`,
    aws:
      `AWS-managed policies cannot be edited: detach it and attach a new customer-managed policy holding what is kept.${split}${denyNote} ` +
      `The ${plural(parts, 'copy no longer follows', 'copies no longer follow')} AWS's updates to ${ref.policyName}: AWS adds actions to ` +
      `its managed policies as services grow, and ${plural(parts, 'this copy', 'these copies')} will not get them.`,
  };
  const action: PolicyAction = 'replace';
  return {
    ...withWildcards,
    action,
    reason: shared ? 'shared-policy-replaced' : 'aws-managed-replaced',
    why: why[shared ? 'shared' : 'aws'] + heldNote,
    proposed,
  };
}
