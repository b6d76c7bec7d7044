import { max, parseISO } from 'date-fns';
import { inputError } from '../errors.js';
import type { Snapshot } from '../snapshot/types.js';
import { daysAfter, daysBefore, wholeDaysBetween } from './days.js';
import { counted, formatExactDateTime } from '../text.js';
import type { AnalysisWarning, ObservationWindow } from './types.js';

export interface WindowInput {
  readonly snapshot: Snapshot;
  readonly referenceTime: Date;
  readonly referenceTimeSource: ObservationWindow['referenceTimeSource'];
  readonly thresholdDays: number;
  readonly trackingPeriodDays: number;
}

/**
 * Where the report's data can start. AWS keeps last-accessed data for `trackingPeriodDays` (400) before the report
 * job, and nothing exists before the principal was created: the data starts at the later of the two.
 */
function dataSpan(snapshot: Snapshot, trackingPeriodDays: number): { created: Date; trackingStart: Date; dataStart: Date } {
  const created = parseISO(snapshot.subject.principal.CreateDate);
  const trackingStart = daysBefore(parseISO(snapshot.report.JobCreationDate), trackingPeriodDays);
  return { created, trackingStart, dataStart: max([created, trackingStart]) };
}

/**
 * What the report can prove: the data covers dataSpan's start up to the reference time. "Unused for N days" can only
 * be concluded when that span is at least N days: otherwise the principal is too young or N exceeds what AWS retains,
 * and nothing may be removed.
 */
export function observationWindow(input: WindowInput): ObservationWindow {
  const { snapshot, referenceTime, thresholdDays, trackingPeriodDays } = input;
  const { created, trackingStart, dataStart } = dataSpan(snapshot, trackingPeriodDays);
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
    principalCreateDate: snapshot.subject.principal.CreateDate,
    jobCreationDate: snapshot.report.JobCreationDate,
    trackingPeriodDays,
    trackingStart: trackingStart.toISOString(),
    dataStart: dataStart.toISOString(),
    coveredDays,
  };
}

/**
 * `--as-of` must lie within the report's data. After JobCompletionDate the report cannot show what happened; before
 * the data starts there is nothing to look at, and a "window too short" report would hide that the date is wrong.
 * The error names the bound and the earliest --as-of that can cover the threshold.
 */
export function checkAsOf(input: { asOf: Date; snapshot: Snapshot; thresholdDays: number; trackingPeriodDays: number }): void {
  const { asOf, snapshot, thresholdDays, trackingPeriodDays } = input;
  const report = snapshot.report;
  const completion = parseISO(report.JobCompletionDate);
  // exact, not to the minute: the bounds are checked to the millisecond, and the advice is copied into --as-of
  const when = (d: Date | string): string => formatExactDateTime(typeof d === 'string' ? d : d.toISOString());
  if (asOf > completion) {
    throw inputError(
      `--as-of ${when(asOf)} is after the report's JobCompletionDate ${when(report.JobCompletionDate)}: ` +
        'the report cannot show activity after it was generated',
    );
  }
  const { created, trackingStart, dataStart } = dataSpan(snapshot, trackingPeriodDays);
  if (asOf >= dataStart) return;
  const bound =
    created >= trackingStart
      ? `the principal was created (${when(snapshot.subject.principal.CreateDate)})`
      : `the report's data starts (${when(trackingStart)}: JobCreationDate ${when(report.JobCreationDate)} − ${counted(trackingPeriodDays, 'day')})`;
  const earliest = daysAfter(dataStart, thresholdDays);
  const advice =
    earliest <= completion
      ? `the earliest --as-of that covers the ${thresholdDays}-day threshold is ${when(earliest)}`
      : `no --as-of covers the ${thresholdDays}-day threshold before the report's JobCompletionDate ${when(report.JobCompletionDate)}`;
  throw inputError(`--as-of ${when(asOf)} is before ${bound}: there is no data before then; ${advice}`);
}

/**
 * A threshold longer than IAM keeps last-accessed data (trackingPeriodDays) can never be met: the user likely meant
 * a shorter one, and should hear so, not just read "window too short". Said once: for the main threshold when it
 * holds the whole analysis back (then every service is kept and per-service thresholds do not matter), otherwise for
 * each per-service threshold that keeps its service.
 */
export function thresholdWarnings(window: ObservationWindow, serviceThresholds: Readonly<Record<string, number>>): AnalysisWarning[] {
  const { trackingPeriodDays, coveredDays } = window;
  const unreachable = (days: number): boolean => days > trackingPeriodDays && days > coveredDays;
  if (unreachable(window.thresholdDays)) {
    return [{ code: 'threshold-beyond-tracking-period', thresholdDays: window.thresholdDays, trackingPeriodDays }];
  }
  if (window.status === 'too-short') return [];
  return Object.entries(serviceThresholds)
    .filter(([, days]) => unreachable(days))
    .map(([service, days]) => ({ code: 'threshold-beyond-tracking-period', thresholdDays: days, trackingPeriodDays, service }));
}
