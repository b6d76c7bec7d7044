import { parseISO } from 'date-fns';
import type { Analysis, RemoveReason } from '../analyze/types.js';
import type { PolicyPlan } from './types.js';

/** Listed once for the type and the schema's enums: the removals that can rest on a last use. */
export const AFTER_USE_SCOPES = ['service', 'action'] as const;
export const AFTER_USE_REASONS = ['service-unused', 'action-unused'] as const satisfies readonly RemoveReason[];

/**
 * A removal whose evidence has a last use: correct by the rules (the use is older than the threshold), but the
 * classic outage when the use was a rare path — a dead-letter queue's SendMessage, a disaster-recovery restore, a
 * year-end job. The renderer marks these; the config's neverRemove keeps one.
 */
export interface RemovedAfterUse {
  /** service prefix (scope service) or `service:Action` (scope action) */
  readonly subject: string;
  readonly scope: (typeof AFTER_USE_SCOPES)[number];
  readonly reason: (typeof AFTER_USE_REASONS)[number];
  /** LastAuthenticated / LastAccessedTime as the report gives it */
  readonly lastAccessed: string;
  readonly region?: string;
  readonly daysUnused: number;
  /** the last use lies before the tracking period began (trackingStart): the report cannot date it more precisely
   *  than that, and "N days" would overstate what it knows */
  readonly beforeTrackingPeriod: boolean;
  /** removed catalog actions it covers (1 for scope action) */
  readonly actions: number;
}

/** The removals of the plans that rest on a last use, services first, then actions, each sorted by subject. */
export function removedAfterUse(analysis: Analysis, plans: readonly PolicyPlan[]): RemovedAfterUse[] {
  const trackingStart = parseISO(analysis.window.trackingStart);
  const found = new Map<string, RemovedAfterUse>();
  for (const a of new Set(plans.flatMap((p) => p.removed))) {
    const v = analysis.verdicts.get(a);
    if (v?.verdict !== 'remove' || (v.reason !== 'service-unused' && v.reason !== 'action-unused')) continue;
    const e = v.evidence;
    if (e.lastAccessed === undefined) continue;
    const subject = v.scope === 'service' ? e.service : a;
    const known = found.get(subject);
    if (known) {
      found.set(subject, { ...known, actions: known.actions + 1 });
      continue;
    }
    found.set(subject, {
      subject,
      scope: v.scope === 'service' ? 'service' : 'action',
      reason: v.reason,
      lastAccessed: e.lastAccessed,
      ...(e.region ? { region: e.region } : {}),
      daysUnused: e.daysUnused ?? 0,
      beforeTrackingPeriod: parseISO(e.lastAccessed) < trackingStart,
      actions: 1,
    });
  }
  return [...found.values()].sort((x, y) =>
    x.scope !== y.scope ? (x.scope === 'service' ? -1 : 1) : x.subject < y.subject ? -1 : x.subject > y.subject ? 1 : 0,
  );
}
