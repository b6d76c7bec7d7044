import type { Analysis, OrgEntityAnalysis, PolicyAnalysis, PrincipalAnalysis } from '../analyze/types.js';
import type { Catalog } from '../catalog/catalog.js';
import { invariantError } from '../errors.js';
import { expandStatement, fitsInlineAggregate, globToRegExp, parsePolicy } from '../policy/index.js';
import { catalogAgeWarning } from './catalog-age.js';
import { futureSafeCompaction } from './future-safe.js';
import { inputOverLimits } from './input-limits.js';
import type { PolicyDocument } from '../policy/types.js';
import { highRiskKept, isHighRisk } from './high-risk.js';
import { assignFileNames } from './names.js';
import { asProposed, keepPlan, type DraftPlan, type PlanContext } from './plan.js';
import { fittedInlinePlan, planIdentityPolicy } from './plan-identity.js';
import { fitSearch } from './fit-search.js';
import { policyView } from './plan-view.js';
import { planManagedPolicySubject } from './plan-managed-policy.js';
import { planGuardrail } from './plan-guardrail.js';
import { planScp } from './plan-scp.js';
import { SCPS_PER_TARGET } from './scp-size.js';
import { removedAfterUse } from './removed-after-use.js';
import type { Counts, Generation, LimitFinding, PolicyPlan } from './types.js';

/** Default quota of managed policies attached to one role, user or group (raisable to 20). */
const MANAGED_POLICY_QUOTA = 10;

export interface GenerateInput {
  readonly analysis: Analysis;
  readonly catalog: Catalog;
  /** a deny-list guardrail's break-glass principals (`aws:PrincipalArn` patterns its Deny does not apply to) */
  readonly exemptPrincipalArns?: readonly string[];
}

/** The planner of each kind of subject, behind one plan type. */
function planSubject(input: GenerateInput, limits: LimitFinding[]): DraftPlan[] {
  const { analysis, catalog } = input;
  const takenNames = new Set(analysis.policies.filter((p) => p.ref.kind === 'managed').map((p) => p.ref.policyName.toLowerCase()));
  switch (analysis.subjectKind) {
    case 'principal':
      return planPrincipal({ analysis, catalog, takenNames }, limits);
    case 'managed-policy':
      return sizeFindings(planManagedPolicySubject(analysis, { analysis, catalog, takenNames }), limits);
    case 'scp':
      return sizeFindings(planScp(analysis, { analysis, catalog, takenNames }), limits);
    case 'organization-entity':
      return quotaOfTarget(planGuardrail({ analysis, exemptPrincipalArns: input.exemptPrincipalArns ?? [], neverDeny: analysis.neverDeny }), analysis, limits);
  }
}

/** AWS allows a few SCPs per root, OU or account: attaching the guardrail's parts must not exceed that */
function quotaOfTarget(drafts: DraftPlan[], analysis: OrgEntityAnalysis, limits: LimitFinding[]): DraftPlan[] {
  const attached = analysis.entity.attachedPolicies.length + drafts.reduce((n, d) => n + (d.action === 'create' ? d.proposed.length : 0), 0);
  if (attached > SCPS_PER_TARGET) limits.push({ code: 'scp-quota', attached, quota: SCPS_PER_TARGET, target: analysis.entity.Path });
  return drafts;
}

/** Each policy by its rules, then what the principal's policies must meet together (inline aggregate, quota). */
function planPrincipal(ctx: PlanContext<PrincipalAnalysis>, limits: LimitFinding[]): DraftPlan[] {
  const drafts = sizeFindings(ctx.analysis.policies.map((pa) => planIdentityPolicy(pa, ctx)), limits);
  const fitted = fitInlineAggregate(drafts, ctx, limits);
  checkManagedQuota(fitted, ctx.analysis, limits);
  return fitted;
}

function sizeFindings(drafts: DraftPlan[], limits: LimitFinding[]): DraftPlan[] {
  for (const d of drafts) {
    if (d.facts.reason === 'size-limit-kept-original' && d.facts.limit.kind === 'managed-policy') {
      limits.push({ code: 'managed-policy-too-large', policyName: d.ref.policyName, why: d.facts.limit.message });
    }
  }
  return drafts;
}

/**
 * Turns an analysis into proposed policies, one plan per original policy. Pure. Checks its own result: the proposals
 * grant no catalog action the originals did not, keep every unknown pattern and every Deny statement.
 */
export function generate(input: GenerateInput): Generation {
  const { analysis, catalog } = input;
  const limits: LimitFinding[] = [];
  const drafts = planSubject(input, limits);

  const requests = drafts.flatMap((d) => d.proposed.map((p) => ({ name: p.name, ref: d.ref })));
  const files = assignFileNames(requests);
  let n = 0;
  const plans: PolicyPlan[] = drafts.map((d) => ({
    ...d,
    proposed: d.proposed.map((p) => ({ ...p, file: files[n++] as string })),
  }));

  const before = countGrants(analysis.policies);
  const afterDocs = plans.flatMap((p) => p.proposed.map((d) => d.document));
  const after = countDocuments(afterDocs, catalog);
  verify({ analysis, plans, beforeActions: before.actionSet, afterActions: after.actionSet, before, after });

  const servicesRemoved = [...before.serviceSet].filter((s) => !after.serviceSet.has(s)).sort();
  const highRiskRemoved = [...before.actionSet].filter((a) => !after.actionSet.has(a) && isHighRisk(catalog, a)).sort();
  const ageWarning = catalogAgeWarning(analysis, plans);
  return {
    plans,
    before: before.counts,
    after: after.counts,
    servicesRemoved,
    highRiskRemoved,
    highRiskKept: highRiskKept(catalog, plans.flatMap((p) => p.proposed)),
    removedAfterUse: removedAfterUse(analysis, plans),
    limits,
    inputOverLimits: inputOverLimits(analysis),
    warnings: ageWarning ? [ageWarning] : [],
  };
}

/**
 * The principal's own inline policies share one size limit. When their trimmed documents exceed it, the fit search
 * (fit-search.ts) finds the proposal that removes the most while the aggregate fits: compacted first, then parts of
 * statements carried as written where they take the most room for the fewest unused actions. Only when nothing fits
 * (the originals themselves exceed the limit, say) are the originals kept.
 */
function fitInlineAggregate(drafts: DraftPlan[], ctx: PlanContext<PrincipalAnalysis>, limits: LimitFinding[]): DraftPlan[] {
  const { analysis, catalog } = ctx;
  const type = analysis.principal.Type;
  const own = (d: DraftPlan): boolean => d.ref.kind === 'inline' && d.ref.source.Type === 'principal';
  const measure = (ds: readonly DraftPlan[]) => fitsInlineAggregate(type, ds.filter(own).flatMap((d) => d.proposed.map((p) => p.document)));
  if (measure(drafts).fits) return drafts;
  const pa = (d: DraftPlan): PolicyAnalysis => analysis.policies[d.ref.snapshotIndex] as PolicyAnalysis;
  // what the trimmed documents total once compacted: the first search's starting point
  let trimmedSize = measure(drafts).size;
  const limit = measure(drafts).limit;
  const sizeKept = (d: DraftPlan): DraftPlan =>
    keepPlan(
      pa(d),
      { reason: 'size-limit-kept-original', limit: { kind: 'inline-aggregate', size: trimmedSize, limit, principalType: type } },
      [...d.removed, ...d.keptDespiteUnused].sort(),
    );
  // a policy the search had to carry whole goes back to its original, which may be larger than the search's form of
  // it (a statement another one covers is dropped there): the rest is searched again beside the original
  const plans = new Map<DraftPlan, DraftPlan>();
  let pool = drafts.filter((d) => own(d) && d.action === 'update');
  let keptForSize = false;
  let first = true;
  while (pool.length > 0) {
    const fixed = drafts.filter((d) => own(d) && !pool.includes(d)).flatMap((d) => (plans.get(d) ?? d).proposed.map((p) => p.document));
    const result = fitSearch({
      catalog,
      policies: pool.map((d) => {
        const view = policyView(pa(d), ctx);
        return { pa: view.pa, removable: view.removable, held: view.held };
      }),
      prepare: (t, p) => {
        const r = futureSafeCompaction(catalog, t.document, p.policy);
        return { kind: 'fits', documents: [r.document], introducedWildcards: r.introducedWildcards };
      },
      measure: (docs) => fitsInlineAggregate(type, [...fixed, ...docs.flat()]),
    });
    if (first) trimmedSize = result.trimmedSize;
    first = false;
    if (!result.fits) {
      for (const d of pool) plans.set(d, sizeKept(d));
      keptForSize = true;
      break;
    }
    const whole = pool.filter((_, i) => (result.policies[i]?.trimmed.lost.length ?? 0) === 0);
    if (whole.length === 0) {
      pool.forEach((d, i) => {
        const r = result.policies[i];
        const document = r?.prepared.documents[0];
        if (r === undefined || document === undefined || r.prepared.kind !== 'fits') return;
        plans.set(d, fittedInlinePlan(pa(d), ctx, { trimmed: r.trimmed, document, introducedWildcards: r.prepared.introducedWildcards, keptWhole: r.keptWhole }));
      });
      break;
    }
    for (const d of whole) plans.set(d, sizeKept(d));
    keptForSize = true;
    pool = pool.filter((d) => !whole.includes(d));
  }
  const out = drafts.map((d) => plans.get(d) ?? d);
  const final = measure(out);
  if (keptForSize) {
    limits.push(
      final.fits
        ? { code: 'inline-aggregate-exceeded', over: 'trimmed', size: trimmedSize, limit, principalType: type }
        : { code: 'inline-aggregate-exceeded', over: 'input', size: final.size, limit: final.limit, principalType: type },
    );
  }
  return out;
}

function checkManagedQuota(drafts: readonly DraftPlan[], analysis: PrincipalAnalysis, limits: LimitFinding[]): void {
  const attached = drafts
    .filter((d) => d.ref.kind === 'managed' && d.ref.source.Type === 'principal')
    .reduce((n, d) => n + d.proposed.length, 0);
  if (attached > MANAGED_POLICY_QUOTA) {
    limits.push({ code: 'managed-policy-quota', attached, quota: MANAGED_POLICY_QUOTA, principalType: analysis.principal.Type });
  }
}

/**
 * A service held for an uncatalogued name in use keeps its part of the statement as written: the proposal must still
 * certainly grant that name (a pattern with the literal service, or `*`; never read through a wildcard in a service
 * prefix). Checked against the documents that take the policy's place.
 */
function checkHeldStillGranted(analysis: Analysis, plan: PolicyPlan): void {
  if (plan.action === 'keep') return;
  const pa = analysis.policies[plan.ref.snapshotIndex];
  const labels = (pa?.statements ?? []).flatMap((s) => (s.hold?.kind === 'uncatalogued-in-use' && s.hold.services ? s.hold.grants : []));
  if (labels.length === 0) return;
  const patterns = plan.proposed.flatMap((p) => p.document.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => [s.Action ?? []].flat()));
  const lost = labels.filter((label) => !patterns.some((p) => certainlyMatches(p, label)));
  if (lost.length > 0) throw invariantError(`policy "${plan.ref.policyName}": the proposal no longer grants ${lost.join(', ')}, which is in use`);
}

function certainlyMatches(pattern: string, label: string): boolean {
  if (pattern === '*') return true;
  const [service = '', name = ''] = pattern.toLowerCase().split(':');
  const [wantService = '', wantName = ''] = label.toLowerCase().split(':');
  if (service !== wantService) return false;
  return wantName === '*' ? name === '*' : globToRegExp(name).test(wantName);
}

interface Grants {
  counts: Counts;
  actionSet: Set<string>;
  serviceSet: Set<string>;
  unknownSet: Set<string>;
}

function grants(statements: Iterable<{ allowed: readonly string[]; unknown: readonly string[] }>): Grants {
  const actionSet = new Set<string>();
  const unknownSet = new Set<string>();
  for (const s of statements) {
    s.allowed.forEach((a) => actionSet.add(a));
    s.unknown.forEach((u) => unknownSet.add(u));
  }
  const serviceSet = new Set([...actionSet].map((a) => a.slice(0, a.indexOf(':'))));
  return {
    counts: { actions: actionSet.size, services: serviceSet.size, unknownPatterns: unknownSet.size },
    actionSet,
    serviceSet,
    unknownSet,
  };
}

function countGrants(policies: readonly PolicyAnalysis[]): Grants {
  return grants(policies.flatMap((p) => p.statements.filter((s) => s.effect === 'Allow')));
}

function countDocuments(docs: readonly PolicyDocument[], catalog: Catalog): Grants {
  return grants(
    docs.flatMap((doc) => {
      const parsed = parsePolicy(doc);
      if (!parsed.ok) throw invariantError(`a proposed policy does not parse: ${parsed.problems[0]?.message ?? ''}`);
      return parsed.policy.statements
        .filter((s) => s.Effect === 'Allow')
        .map((s) => {
          const e = expandStatement(catalog, s);
          return { allowed: e.actions, unknown: s.actionKind === 'Action' ? e.unknown : [] };
        });
    }),
  );
}

function verify(input: {
  analysis: Analysis;
  plans: readonly PolicyPlan[];
  beforeActions: ReadonlySet<string>;
  afterActions: ReadonlySet<string>;
  before: Grants;
  after: Grants;
}): void {
  const added = [...input.afterActions].filter((a) => !input.beforeActions.has(a));
  if (added.length > 0) throw invariantError(`the proposal would grant actions the input did not: ${added.slice(0, 5).join(', ')}`);
  const lostUnknown = [...input.before.unknownSet].filter((u) => !input.after.unknownSet.has(u));
  if (lostUnknown.length > 0) throw invariantError(`the proposal dropped unknown patterns: ${lostUnknown.join(', ')}`);
  for (const plan of input.plans) {
    const denies = (docs: readonly PolicyDocument[]): string[] =>
      docs.flatMap((d) => d.Statement.filter((s) => s.Effect === 'Deny').map((s) => JSON.stringify(s))).sort();
    const was = denies([plan.original]);
    const now = denies(plan.proposed.map((p) => p.document));
    if (!was.every((d) => now.includes(d))) {
      throw invariantError(`policy "${plan.ref.policyName}": a Deny statement was changed or lost`);
    }
  }
  for (const plan of input.plans) checkHeldStillGranted(input.analysis, plan);
  // a guardrail grants nothing: what it must never do is deny a service in use, or one the rules keep
  if (input.analysis.subjectKind === 'organization-entity') {
    const kept = new Set(input.analysis.decisions.filter((d) => d.scope === 'service' && d.verdict === 'keep').map((d) => d.subject));
    const denied = input.plans.flatMap((p) => p.proposed.flatMap((d) => d.document.Statement.flatMap((s) => [s.Action ?? []].flat())));
    const wrong = denied.filter((a) => kept.has(a.slice(0, a.indexOf(':')).toLowerCase()));
    if (wrong.length > 0) throw invariantError(`the guardrail would deny kept services: ${wrong.slice(0, 5).join(', ')}`);
    return;
  }
  const usedLost = [...input.analysis.verdicts]
    .filter(([a, v]) => v.verdict === 'keep' && !input.afterActions.has(a))
    .map(([a]) => a);
  if (usedLost.length > 0) throw invariantError(`the proposal drops kept actions: ${usedLost.slice(0, 5).join(', ')}`);
}
