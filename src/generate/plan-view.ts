import type { Analysis, PolicyAnalysis } from '../analyze/types.js';
import { keepPlan, sorted, type DraftPlan, type PlanContext } from './plan.js';
import type { HeldByUncatalogued } from './plan-facts.js';

/** What every planner's rules look at: the policy's analysis and what it could lose. */
export interface PolicyView<A extends Analysis> {
  readonly pa: PolicyAnalysis;
  readonly ctx: PlanContext<A>;
  /** removable actions no held statement still grants (a held statement keeps granting its unused actions) */
  readonly removable: readonly string[];
  /** unused actions held by statements that also grant, in use, what the catalog cannot name */
  readonly held: readonly string[];
  readonly heldBy: HeldByUncatalogued;
}

/** A rule holds the policy back with a plan, or lets the next rule decide. */
export type Rule<A extends Analysis> = (view: PolicyView<A>) => DraftPlan | undefined;

export function policyView<A extends Analysis>(pa: PolicyAnalysis, ctx: PlanContext<A>): PolicyView<A> {
  // what a held statement keeps granting: all of it, or its held services' part
  const heldGrants = new Set(
    pa.statements.flatMap((s) => {
      if (!s.hold) return [];
      const services = s.hold.kind === 'uncatalogued-in-use' ? s.hold.services : undefined;
      return services ? s.allowed.filter((a) => services.includes(a.slice(0, a.indexOf(':')).toLowerCase())) : s.allowed;
    }),
  );
  const held = sorted(pa.statements.flatMap((s) => s.keptDespiteUnused ?? []));
  return {
    pa,
    ctx,
    removable: sorted(pa.statements.flatMap((s) => s.removable)).filter((a) => !heldGrants.has(a)),
    held,
    heldBy: { actions: held.length, statements: pa.statements.filter((s) => (s.keptDespiteUnused?.length ?? 0) > 0).length },
  };
}

/** The first rule that holds the policy back decides; a policy no rule holds gets `otherwise`. */
export function firstRule<A extends Analysis>(rules: readonly Rule<A>[], view: PolicyView<A>, otherwise: (view: PolicyView<A>) => DraftPlan): DraftPlan {
  for (const rule of rules) {
    const plan = rule(view);
    if (plan) return plan;
  }
  return otherwise(view);
}

/** every unused action, for a plan that keeps the policy whole */
export const allUnused = <A extends Analysis>(v: PolicyView<A>): string[] => sorted([...v.removable, ...v.held]);

/** The data covers less than the threshold: nothing anywhere can be proven unused. */
export const windowTooShort: Rule<Analysis> = ({ pa, ctx }) => {
  const w = ctx.analysis.window;
  if (w.status !== 'too-short') return undefined;
  return keepPlan(pa, {
    reason: 'observation-window-too-short',
    coveredDays: w.coveredDays,
    dataStart: w.dataStart,
    referenceTime: w.referenceTime,
    thresholdDays: w.thresholdDays,
    ...(w.latestStart ? { start: w.latestStart } : {}),
  });
};

/** Nothing the policy grants can go: none of it is unused, or what is unused is held. */
export const nothingRemovable: Rule<Analysis> = ({ pa, removable, held, heldBy }) =>
  removable.length > 0
    ? undefined
    : keepPlan(pa, { reason: 'nothing-removed', because: held.length ? 'held' : 'none-unused', held: heldBy }, held);
