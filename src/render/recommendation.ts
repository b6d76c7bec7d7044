import type {
  Analysis,
  Decision,
  ManagedPolicySummary,
  OrgEntitySummary,
  ScpSummary,
  ObservationWindow,
  PolicyRef,
  PrincipalSummary,
  RecentDefaultVersion,
  ReportSummary,
  ServiceEntityUse,
} from '../analyze/types.js';
import type { Counts, Generation, InputOverLimit, PolicyAction, PolicyReason, ProposedPolicy, StatementChange } from '../generate/types.js';
import type { HighRiskKept } from '../generate/high-risk.js';
import type { RemovedAfterUse } from '../generate/removed-after-use.js';
import type { PolicyDocument } from '../policy/types.js';
import { planWhy } from './plan-why.js';
import { renderLimit, renderWarning, type RenderedLimit, type RenderedWarning } from './warning-text.js';

export const RECOMMENDATION_SCHEMA_VERSION = 1 as const;

/** A set of actions as a reviewer reads it: services that go (or stay) entirely, then single actions. */
export interface ActionSetSummary {
  /** services of which every action the policy granted is in the set */
  readonly wholeServices: readonly { readonly service: string; readonly actions: number }[];
  /** the remaining actions, `service:Action`, sorted */
  readonly actions: readonly string[];
}

/** The policy as the snapshot names it (PolicyRef without the index), then the plan. */
export interface RecommendedPolicy extends Omit<PolicyRef, 'snapshotIndex'> {
  readonly action: PolicyAction;
  readonly reason: PolicyReason;
  readonly why: string;
  readonly removed: ActionSetSummary;
  /** what the policy grants and the proposal still grants (from this policy's point of view) */
  readonly kept: ActionSetSummary;
  /** patterns unknown to the catalog, kept verbatim */
  readonly keptUnknown: readonly string[];
  readonly keptDespiteUnused: ActionSetSummary;
  readonly statements: readonly StatementChange[];
  readonly original: PolicyDocument;
  readonly proposed: readonly ProposedPolicy[];
  readonly introducedWildcards: readonly string[];
  /** with reason policy-version-too-recent: the default version's date and age against the threshold */
  readonly evidence?: RecentDefaultVersion;
}

/** Listed once: the type and recommendation.json's schema enum both derive from it. */
export const OUTCOMES = ['reductions-recommended', 'no-change', 'observation-window-too-short'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** What the recommendation is about: `subjectKind` names the field that describes it. */
export type RecommendationSubject =
  | { readonly subjectKind: 'principal'; readonly principal: PrincipalSummary }
  | { readonly subjectKind: 'managed-policy'; readonly managedPolicy: ManagedPolicySummary }
  | { readonly subjectKind: 'scp'; readonly scp: ScpSummary }
  | { readonly subjectKind: 'organization-entity'; readonly entity: OrgEntitySummary };

/** The machine-readable result; schemas/recommendation.schema.json. Everything the renderers need is in here. */
export type Recommendation = RecommendationHead & RecommendationSubject & RecommendationBody;

interface RecommendationHead {
  readonly schemaVersion: typeof RECOMMENDATION_SCHEMA_VERSION;
  readonly tool: { readonly name: 'leastpriv'; readonly version: string };
  readonly catalogVersion: string;
  /** when that catalog was built (ISO-8601): actions AWS added later are unknown to it */
  readonly catalogUpdatedAt: string;
}

interface RecommendationBody {
  readonly report: ReportSummary;
  readonly referenceTime: string;
  readonly referenceTimeSource: ObservationWindow['referenceTimeSource'];
  readonly thresholdDays: number;
  readonly serviceThresholds: Readonly<Record<string, number>>;
  readonly neverRemove: readonly string[];
  readonly observationWindow: ObservationWindow;
  readonly outcome: Outcome;
  readonly summary: {
    readonly before: Counts;
    readonly after: Counts;
    readonly servicesRemoved: readonly string[];
    readonly highRiskRemoved: readonly string[];
    /** high-risk actions the proposal still grants: what remains dangerous, and whether on every resource */
    readonly highRiskKept: readonly HighRiskKept[];
    /** removals whose evidence has a last use (rare paths such as failure handling may still need them) */
    readonly removedAfterUse: readonly RemovedAfterUse[];
    readonly policies: Readonly<Record<PolicyAction, number>>;
  };
  readonly policies: readonly RecommendedPolicy[];
  readonly decisions: readonly Decision[];
  /** only when the report has EntityDetails (a group's): who used each service, in the report's order */
  readonly entityUse?: readonly ServiceEntityUse[];
  readonly warnings: readonly RenderedWarning[];
  readonly limits: readonly RenderedLimit[];
  /** the input documents over AWS's size limits as they stand: the input cannot be applied as is (empty when all fit) */
  readonly inputOverLimits: readonly InputOverLimit[];
}

/**
 * Groups `actions` against what a policy granted: a service is listed whole when every action the policy granted in
 * it is in the set and each is governed by a service-wide decision (so one decision explains the row).
 */
export function summarizeActions(
  actions: readonly string[],
  granted: readonly string[],
  serviceWide: (actionId: string) => boolean,
): ActionSetSummary {
  const serviceOf = (a: string): string => a.slice(0, a.indexOf(':'));
  const grantedPerService = new Map<string, number>();
  for (const a of new Set(granted)) grantedPerService.set(serviceOf(a), (grantedPerService.get(serviceOf(a)) ?? 0) + 1);
  const perService = new Map<string, string[]>();
  for (const a of new Set(actions)) {
    const list = perService.get(serviceOf(a)) ?? [];
    list.push(a);
    perService.set(serviceOf(a), list);
  }
  const wholeServices: { service: string; actions: number }[] = [];
  const rest: string[] = [];
  for (const [service, list] of [...perService].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (list.length === grantedPerService.get(service) && list.every(serviceWide)) wholeServices.push({ service, actions: list.length });
    else rest.push(...list);
  }
  return { wholeServices, actions: rest.sort() };
}

/** The subject's name: the output folder and the file names of a run are made of it. */
export function subjectName(rec: RecommendationSubject): string {
  switch (rec.subjectKind) {
    case 'principal':
      return rec.principal.Name;
    case 'managed-policy':
      return rec.managedPolicy.Name;
    case 'scp':
      return rec.scp.Name;
    case 'organization-entity':
      return rec.entity.Path.split('/').pop() ?? rec.entity.Id;
  }
}

/** The subject's ARN (an SCP's id, an entity's path). */
export function subjectArn(rec: RecommendationSubject): string {
  switch (rec.subjectKind) {
    case 'principal':
      return rec.principal.Arn;
    case 'managed-policy':
      return rec.managedPolicy.Arn;
    case 'scp':
      return rec.scp.Id;
    case 'organization-entity':
      return rec.entity.Path;
  }
}

function subjectOf(a: Analysis): RecommendationSubject {
  switch (a.subjectKind) {
    case 'principal':
      return { subjectKind: 'principal', principal: a.principal };
    case 'managed-policy':
      return { subjectKind: 'managed-policy', managedPolicy: a.managedPolicy };
    case 'scp':
      return { subjectKind: 'scp', scp: a.scp };
    case 'organization-entity':
      return { subjectKind: 'organization-entity', entity: a.entity };
  }
}

export function buildRecommendation(input: { analysis: Analysis; generation: Generation; toolVersion: string }): Recommendation {
  const { analysis: a, generation: g } = input;
  const reductions = g.before.actions !== g.after.actions || g.plans.some((p) => p.action !== 'keep');
  const outcome: Outcome =
    a.window.status === 'too-short' ? 'observation-window-too-short' : reductions ? 'reductions-recommended' : 'no-change';
  const serviceWide = (actionId: string): boolean => a.verdicts.get(actionId)?.scope === 'service';
  const policies: RecommendedPolicy[] = g.plans.map((plan) => {
    const pa = a.policies[plan.ref.snapshotIndex];
    const granted = pa ? pa.statements.flatMap((s) => s.allowed) : [];
    const r = plan.ref;
    const removedSet = new Set(plan.removed);
    const summarize = (set: readonly string[]): ActionSetSummary => summarizeActions(set, granted, serviceWide);
    return {
      policyName: r.policyName,
      kind: r.kind,
      ...(r.managedBy ? { managedBy: r.managedBy } : {}),
      ...(r.policyArn ? { policyArn: r.policyArn } : {}),
      ...(r.attachmentCount !== undefined ? { attachmentCount: r.attachmentCount } : {}),
      ...(r.defaultVersionId ? { defaultVersionId: r.defaultVersionId } : {}),
      ...(r.defaultVersionCreateDate ? { defaultVersionCreateDate: r.defaultVersionCreateDate } : {}),
      source: r.source,
      action: plan.action,
      reason: plan.reason,
      why: planWhy(plan.facts),
      removed: summarize(plan.removed),
      kept: summarize(granted.filter((x) => !removedSet.has(x))),
      keptUnknown: pa ? [...new Set(pa.statements.flatMap((s) => s.unknown))].sort() : [],
      keptDespiteUnused: summarize(plan.keptDespiteUnused),
      statements: plan.statements,
      original: plan.original,
      proposed: plan.proposed,
      introducedWildcards: plan.introducedWildcards,
      ...(plan.evidence ? { evidence: plan.evidence } : {}),
    };
  });
  const count = (action: PolicyAction): number => g.plans.filter((p) => p.action === action).length;
  return {
    schemaVersion: RECOMMENDATION_SCHEMA_VERSION,
    tool: { name: 'leastpriv', version: input.toolVersion },
    catalogVersion: a.catalogVersion,
    catalogUpdatedAt: a.catalogUpdatedAt,
    ...subjectOf(a),
    report: a.report,
    referenceTime: a.window.referenceTime,
    referenceTimeSource: a.window.referenceTimeSource,
    thresholdDays: a.thresholdDays,
    serviceThresholds: a.serviceThresholds,
    neverRemove: a.neverRemove,
    observationWindow: a.window,
    outcome,
    summary: {
      before: g.before,
      after: g.after,
      servicesRemoved: g.servicesRemoved,
      highRiskRemoved: g.highRiskRemoved,
      highRiskKept: g.highRiskKept,
      removedAfterUse: g.removedAfterUse,
      policies: { keep: count('keep'), update: count('update'), replace: count('replace'), remove: count('remove'), create: count('create') },
    },
    policies,
    decisions: a.decisions,
    ...(a.entityUse ? { entityUse: a.entityUse } : {}),
    warnings: [...a.warnings, ...g.warnings].map(renderWarning),
    limits: g.limits.map(renderLimit),
    inputOverLimits: g.inputOverLimits,
  };
}
