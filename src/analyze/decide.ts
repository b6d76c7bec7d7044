import { differenceInDays, parseISO, subDays } from 'date-fns';
import type { Catalog } from '../catalog/catalog.js';
import type { AnalysisConfig } from './config.js';
import { actionGlob } from './glob.js';
import type { Evidence, ObservationWindow, Verdict } from './types.js';
import type { ServiceUsage } from './usage.js';

export interface DeciderInput {
  readonly catalog: Catalog;
  readonly usage: ReadonlyMap<string, ServiceUsage>;
  readonly window: ObservationWindow;
  readonly config: AnalysisConfig;
  readonly referenceTime: Date;
  readonly jobType: 'ACTION_LEVEL' | 'SERVICE_LEVEL';
}

/**
 * The analysis rules of DESIGN.md as one function per catalog action. Order matters and always errs towards keeping:
 * never-remove patterns, then the observation window, then the report's absence of a service, then service-level and
 * finally action-level evidence.
 */
export function makeDecider(input: DeciderInput): (actionId: string) => Verdict {
  const { catalog, usage, window, config, referenceTime } = input;
  const neverRemove = config.neverRemove.map(actionGlob);
  const thresholdOf = (service: string): number => config.serviceThresholds[service] ?? config.unusedDays;

  return (actionId) => {
    const colon = actionId.indexOf(':');
    const service = actionId.slice(0, colon).toLowerCase();
    const actionName = actionId.slice(colon + 1);
    const thresholdDays = thresholdOf(service);
    const base = { service, serviceName: catalog.serviceName(service), thresholdDays };
    const cutoff = subDays(referenceTime, thresholdDays);
    const daysSince = (time: string): number => Math.max(0, differenceInDays(referenceTime, parseISO(time)));

    if (neverRemove.some((m) => m(actionId))) {
      return { verdict: 'keep', reason: 'never-remove', scope: 'action', evidence: { ...base, action: actionId } };
    }
    if (window.status === 'too-short' || window.coveredDays < thresholdDays) {
      return { verdict: 'keep', reason: 'observation-window-too-short', scope: 'service', evidence: base };
    }
    const svc = usage.get(service);
    if (!svc) return { verdict: 'keep', reason: 'service-not-in-report', scope: 'service', evidence: base };
    const serviceEvidence: Evidence = {
      ...base,
      field: svc.field,
      ...(svc.lastUsed
        ? {
            lastAccessed: svc.lastUsed.time,
            daysUnused: daysSince(svc.lastUsed.time),
            ...(svc.lastUsed.region ? { region: svc.lastUsed.region } : {}),
            ...(svc.lastUsed.entity ? { entity: svc.lastUsed.entity } : {}),
          }
        : {}),
    };
    if (!svc.lastUsed) {
      return { verdict: 'remove', reason: 'service-never-used', scope: 'service', evidence: serviceEvidence };
    }
    if (parseISO(svc.lastUsed.time) < cutoff) {
      return { verdict: 'remove', reason: 'service-unused', scope: 'service', evidence: serviceEvidence };
    }
    if (input.jobType === 'SERVICE_LEVEL') {
      return { verdict: 'keep', reason: 'service-used-no-action-data', scope: 'service', evidence: serviceEvidence };
    }
    const tracked = svc.tracked.get(actionName.toLowerCase());
    if (!tracked) {
      return {
        verdict: 'keep',
        reason: 'action-not-tracked',
        scope: 'action',
        evidence: { ...serviceEvidence, action: actionId },
      };
    }
    const t = tracked.entry;
    const actionEvidence: Evidence = {
      ...base,
      action: actionId,
      field: tracked.field,
      ...(t.LastAccessedTime ? { lastAccessed: t.LastAccessedTime, daysUnused: daysSince(t.LastAccessedTime) } : {}),
      ...(t.LastAccessedRegion ? { region: t.LastAccessedRegion } : {}),
      ...(t.LastAccessedEntity ? { entity: t.LastAccessedEntity } : {}),
    };
    if (!t.LastAccessedTime) {
      return { verdict: 'remove', reason: 'action-never-used', scope: 'action', evidence: actionEvidence };
    }
    if (parseISO(t.LastAccessedTime) < cutoff) {
      return { verdict: 'remove', reason: 'action-unused', scope: 'action', evidence: actionEvidence };
    }
    return { verdict: 'keep', reason: 'action-used', scope: 'action', evidence: actionEvidence };
  };
}
