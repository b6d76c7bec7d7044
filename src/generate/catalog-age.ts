import { parseISO } from 'date-fns';
import { wholeDaysBetween } from '../analyze/days.js';
import type { Analysis, AnalysisWarning } from '../analyze/types.js';
import { globToRegExp, hasWildcard } from '../policy/index.js';
import type { NormalizedStatement } from '../policy/types.js';
import type { PolicyPlan } from './types.js';

/** A catalog built more than this many days before the reference time may miss actions the principal already uses. */
export const CATALOG_MAX_AGE_DAYS = 30;

/**
 * Narrowing a wildcard or NotAction statement writes out the catalog's actions one by one, so an action AWS added
 * after the catalog was built is given up. Where the whole service goes (unused) that is safe; where the service is in
 * use and only some of its actions go (action-level verdicts: the service is partly trimmed), a newer action that
 * last-accessed data does not track may be in use, and no report can show it. The older the catalog against the
 * report, the likelier such actions exist: past CATALOG_MAX_AGE_DAYS the proposal says so, with the services at stake.
 * Pure: the age is counted from the catalog's build date to the analysis's reference time, never the clock.
 */
export function catalogAgeWarning(analysis: Analysis, plans: readonly PolicyPlan[]): AnalysisWarning | undefined {
  const referenceTime = analysis.window.referenceTime;
  const days = wholeDaysBetween(parseISO(referenceTime), parseISO(analysis.catalogUpdatedAt));
  if (days <= CATALOG_MAX_AGE_DAYS) return undefined;
  const services = new Set<string>();
  const statements: { policyName: string; index: number; Sid?: string; dropped: boolean }[] = [];
  for (const plan of plans) {
    const pa = analysis.policies[plan.ref.snapshotIndex];
    if (!pa) continue;
    const lost = new Set(plan.removed);
    for (const change of plan.statements) {
      const source = pa.policy.statements[change.index];
      const removable = pa.statements.find((s) => s.index === change.index)?.removable ?? [];
      if (change.change === 'unchanged' || !source) continue;
      const covered = coveredByPattern(source);
      // cheap set and map lookups first: `covered` runs every wildcard of the statement
      const partlyTrimmed = removable.filter(
        (a) => lost.has(a) && analysis.verdicts.get(a)?.scope === 'action' && covered(a),
      );
      if (partlyTrimmed.length === 0) continue;
      partlyTrimmed.forEach((a) => services.add(a.slice(0, a.indexOf(':'))));
      statements.push({
        policyName: plan.ref.policyName,
        index: change.index,
        ...(change.Sid ? { Sid: change.Sid } : {}),
        dropped: change.change === 'dropped',
      });
    }
  }
  if (services.size === 0) return undefined;
  return {
    code: 'catalog-older-than-report',
    catalogVersion: analysis.catalogVersion,
    catalogUpdatedAt: analysis.catalogUpdatedAt,
    days,
    referenceTime,
    statements,
    services: [...services].sort(),
  };
}

/** is an action of this Allow statement granted through a pattern that also matches actions newer than the catalog? */
function coveredByPattern(s: NormalizedStatement): (actionId: string) => boolean {
  if (s.actionKind === 'NotAction') return () => true;
  const globs = s.actions.filter(hasWildcard).map((p) => globToRegExp(p));
  return (actionId) => globs.some((g) => g.test(actionId));
}
