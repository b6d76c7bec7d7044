import { parseISO } from 'date-fns';
import type { Catalog } from '../catalog/catalog.js';
import { globToRegExp } from '../policy/index.js';
import { thresholdDaysOf, type AnalysisConfig } from './config.js';
import { daysBefore, wholeDaysBetween } from './days.js';
import type { Evidence, ObservationWindow, Verdict } from './types.js';
import type { ServiceUsage } from './usage.js';

export interface DeciderInput {
  readonly catalog: Catalog;
  readonly usage: ReadonlyMap<string, ServiceUsage>;
  readonly window: ObservationWindow;
  readonly config: AnalysisConfig;
  readonly referenceTime: Date;
  readonly jobType: 'ACTION_LEVEL' | 'SERVICE_LEVEL';
  /** an Organizations report: its TotalAuthenticatedEntities counts accounts, which the evidence names */
  readonly countsAccounts?: boolean;
}

/**
 * The analysis rules of DESIGN.md as one function per catalog action. Order matters and always errs towards keeping:
 * never-remove patterns, then the observation window, then the report's absence of a service, then service-level and
 * finally action-level evidence.
 */
export function makeDecider(input: DeciderInput): (actionId: string) => Verdict {
  const { catalog, usage, window, config, referenceTime } = input;
  const neverRemove = config.neverRemove.map((p) => globToRegExp(p));
  const daysSince = (time: string): number => Math.max(0, wholeDaysBetween(referenceTime, parseISO(time)));
  // everything that depends only on the service is worked out once per service: a NotAction or `*` statement asks
  // about thousands of actions of a few hundred services
  const perService = new Map<string, ServiceContext>();
  const contextOf = (service: string): ServiceContext => {
    let ctx = perService.get(service);
    if (!ctx) {
      ctx = serviceContext({ service, catalog, usage, window, config, referenceTime, jobType: input.jobType, daysSince, countsAccounts: input.countsAccounts === true });
      perService.set(service, ctx);
    }
    return ctx;
  };

  return (actionId) => {
    const colon = actionId.indexOf(':');
    const service = actionId.slice(0, colon).toLowerCase();
    const ctx = contextOf(service);
    if (neverRemove.some((g) => g.test(actionId))) {
      return { verdict: 'keep', reason: 'never-remove', scope: 'action', evidence: { ...ctx.base, action: actionId } };
    }
    if (ctx.serviceVerdict) return ctx.serviceVerdict;
    const tracked = ctx.svc?.tracked.get(actionId.slice(colon + 1).toLowerCase());
    if (!tracked) {
      return { verdict: 'keep', reason: 'action-not-tracked', scope: 'action', evidence: { ...ctx.serviceEvidence, action: actionId } };
    }
    const t = tracked.entry;
    const actionEvidence: Evidence = {
      ...ctx.base,
      action: actionId,
      field: tracked.field,
      ...(t.LastAccessedTime ? { lastAccessed: t.LastAccessedTime, daysUnused: daysSince(t.LastAccessedTime) } : {}),
      ...(t.LastAccessedRegion ? { region: t.LastAccessedRegion } : {}),
      ...(t.LastAccessedEntity ? { entity: t.LastAccessedEntity } : {}),
    };
    if (!t.LastAccessedTime) {
      return { verdict: 'remove', reason: 'action-never-used', scope: 'action', evidence: actionEvidence };
    }
    if (parseISO(t.LastAccessedTime) < ctx.cutoff) {
      return { verdict: 'remove', reason: 'action-unused', scope: 'action', evidence: actionEvidence };
    }
    return { verdict: 'keep', reason: 'action-used', scope: 'action', evidence: actionEvidence };
  };
}

interface ServiceContext {
  readonly base: Evidence;
  readonly cutoff: Date;
  readonly svc?: ServiceUsage;
  readonly serviceEvidence: Evidence;
  /** set when the service alone decides every action (window, absence, unused service, SERVICE_LEVEL report) */
  readonly serviceVerdict?: Verdict;
}

function serviceContext(input: Omit<DeciderInput, 'jobType'> & {
  service: string;
  jobType: DeciderInput['jobType'];
  daysSince: (time: string) => number;
  countsAccounts: boolean;
}): ServiceContext {
  const { service, catalog, usage, window, config, referenceTime, daysSince } = input;
  const thresholdDays = thresholdDaysOf(config, service);
  const base: Evidence = { service, serviceName: catalog.serviceName(service), thresholdDays };
  const cutoff = daysBefore(referenceTime, thresholdDays);
  if (window.status === 'too-short' || window.coveredDays < thresholdDays) {
    return { base, cutoff, serviceEvidence: base, serviceVerdict: { verdict: 'keep', reason: 'observation-window-too-short', scope: 'service', evidence: base } };
  }
  const svc = usage.get(service);
  if (!svc) {
    return { base, cutoff, serviceEvidence: base, serviceVerdict: { verdict: 'keep', reason: 'service-not-in-report', scope: 'service', evidence: base } };
  }
  const accounts = input.countsAccounts ? svc.entry.TotalAuthenticatedEntities : undefined;
  const serviceEvidence: Evidence = {
    ...base,
    field: svc.field,
    ...(accounts === undefined ? {} : { accounts }),
    ...(svc.lastUsed
      ? {
          lastAccessed: svc.lastUsed.time,
          daysUnused: daysSince(svc.lastUsed.time),
          ...(svc.lastUsed.region ? { region: svc.lastUsed.region } : {}),
          ...(svc.lastUsed.entity ? { entity: svc.lastUsed.entity } : {}),
        }
      : {}),
  };
  const ctx = { base, cutoff, svc, serviceEvidence };
  if (!svc.lastUsed) return { ...ctx, serviceVerdict: { verdict: 'remove', reason: 'service-never-used', scope: 'service', evidence: serviceEvidence } };
  if (parseISO(svc.lastUsed.time) < cutoff) {
    return { ...ctx, serviceVerdict: { verdict: 'remove', reason: 'service-unused', scope: 'service', evidence: serviceEvidence } };
  }
  if (input.jobType === 'SERVICE_LEVEL') {
    return { ...ctx, serviceVerdict: { verdict: 'keep', reason: 'service-used-no-action-data', scope: 'service', evidence: serviceEvidence } };
  }
  return ctx;
}
