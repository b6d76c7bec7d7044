import { max, parseISO } from 'date-fns';
import type { Snapshot } from '../snapshot/types.js';
import { daysBefore, wholeDaysBetween } from './days.js';
import type { ObservationWindow } from './types.js';

export interface WindowInput {
  readonly snapshot: Snapshot;
  readonly referenceTime: Date;
  readonly referenceTimeSource: ObservationWindow['referenceTimeSource'];
  readonly thresholdDays: number;
  readonly trackingPeriodDays: number;
}

/**
 * What the report can prove. AWS keeps last-accessed data for `trackingPeriodDays` (400) before the report job, and
 * nothing exists before the principal was created, so the data covers max(CreateDate, JobCreationDate − 400 d) up to
 * the reference time. "Unused for N days" can only be concluded when that span is at least N days: otherwise the
 * principal is too young or N exceeds what AWS retains, and nothing may be removed.
 */
export function observationWindow(input: WindowInput): ObservationWindow {
  const { snapshot, referenceTime, thresholdDays, trackingPeriodDays } = input;
  const created = parseISO(snapshot.principal.CreateDate);
  const trackingStart = daysBefore(parseISO(snapshot.lastAccessed.JobCreationDate), trackingPeriodDays);
  const dataStart = max([created, trackingStart]);
  const coveredDays = Math.max(0, wholeDaysBetween(referenceTime, dataStart));
  const short = coveredDays < thresholdDays;
  const shortBecause = !short
    ? undefined
    : created >= trackingStart
      ? ('principal-younger-than-threshold' as const)
      : ('tracking-period-shorter-than-threshold' as const);
  return {
    status: short ? 'too-short' : 'sufficient',
    ...(shortBecause ? { shortBecause } : {}),
    referenceTime: referenceTime.toISOString(),
    referenceTimeSource: input.referenceTimeSource,
    thresholdDays,
    principalCreateDate: snapshot.principal.CreateDate,
    jobCreationDate: snapshot.lastAccessed.JobCreationDate,
    trackingPeriodDays,
    trackingStart: trackingStart.toISOString(),
    dataStart: dataStart.toISOString(),
    coveredDays,
  };
}
