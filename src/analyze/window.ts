import { max, parseISO } from 'date-fns';
import { inputError } from '../errors.js';
import type { ManagedPolicySubject, OrgAccount, Snapshot } from '../snapshot/types.js';
import { daysAfter, daysBefore, wholeDaysBetween } from './days.js';
import { counted, formatExactDateTime } from '../text.js';
import type { AnalysisWarning, ObservationWindow, WindowStart } from './types.js';

export interface WindowInput {
  readonly snapshot: Snapshot;
  /** where the subject stood in the file, for the evidence's JSONPath */
  readonly subjectPath: string;
  readonly referenceTime: Date;
  readonly referenceTimeSource: ObservationWindow['referenceTimeSource'];
  readonly thresholdDays: number;
  readonly trackingPeriodDays: number;
}

/**
 * What bounds a managed policy's data from below: its default version (customer-managed only: AWS publishes new
 * versions of its own policies often, and they mostly add actions of new features; see recent-version.ts), every
 * entity it is attached to and every member of an attached group. Nothing before the latest of them can show the
 * policy's permissions in use by everyone it now reaches.
 */
export function managedPolicyStarts(subject: ManagedPolicySubject, subjectPath: string): WindowStart[] {
  const p = subject.policy;
  const starts: WindowStart[] = [];
  if (p.ManagedBy === 'customer') {
    // the snapshot validation makes sure one of the two dates is there
    const listed = subject.versions.findIndex((v) => v.VersionId === p.DefaultVersionId);
    const date = p.DefaultVersionCreateDate ?? subject.versions[listed]?.CreateDate;
    const field = p.DefaultVersionCreateDate !== undefined ? `${subjectPath}.policy.DefaultVersionCreateDate` : `${subjectPath}.versions[${listed}].CreateDate`;
    if (date !== undefined) starts.push({ kind: 'default-version', name: p.DefaultVersionId, createDate: date, field });
    // a version newer than the default means the default was set again since then (a roll back, say): its
    // permissions may be in force only from that moment, which IAM does not date; the newer version bounds it
    subject.versions.forEach((v, i) => {
      if (v.IsDefaultVersion || date === undefined || Date.parse(v.CreateDate) <= Date.parse(date)) return;
      starts.push({ kind: 'newer-version', name: v.VersionId, createDate: v.CreateDate, field: `${subjectPath}.versions[${i}].CreateDate` });
    });
  }
  subject.attachedEntities.forEach((e, i) => {
    const at = `${subjectPath}.attachedEntities[${i}]`;
    starts.push({ kind: e.Type, name: e.Name, arn: e.Arn, createDate: e.CreateDate, field: `${at}.CreateDate` });
    (e.Members ?? []).forEach((m, j) =>
      starts.push({ kind: 'group-member', name: m.Name, arn: m.Arn, group: e.Name, createDate: m.CreateDate, field: `${at}.Members[${j}].CreateDate` }),
    );
  });
  return starts;
}

/**
 * What bounds an Organizations report from below: each member account it covers joined the organization at some point
 * (JoinedTimestamp), and before that nothing of it can show; a young account may not have run its monthly job yet.
 */
export function accountStarts(accounts: readonly OrgAccount[], subjectPath: string): WindowStart[] {
  return accounts.map((a, i) => ({ kind: 'account', name: a.Name, arn: a.Id, createDate: a.JoinedTimestamp, field: `${subjectPath}.accounts[${i}].JoinedTimestamp` }));
}

function subjectStarts(subject: Snapshot['subject'], subjectPath: string): WindowStart[] {
  switch (subject.Kind) {
    case 'principal':
      return [];
    case 'managed-policy':
      return managedPolicyStarts(subject, subjectPath);
    case 'scp':
    case 'organization-entity':
      return accountStarts(subject.accounts, subjectPath);
  }
}

/** the latest start; the first listed wins a tie, so the same snapshot names the same start */
function latest(starts: readonly WindowStart[]): WindowStart | undefined {
  let found: WindowStart | undefined;
  for (const s of starts) if (!found || parseISO(s.createDate) > parseISO(found.createDate)) found = s;
  return found;
}

interface DataSpan {
  /** when the subject came to be: the principal's CreateDate, or a managed policy's latest start (none: unbounded) */
  readonly created?: Date;
  /** the same, as the snapshot gives it */
  readonly createDate?: string;
  readonly latestStart?: WindowStart;
  readonly trackingStart: Date;
  readonly dataStart: Date;
}

/**
 * Where the report's data can start. AWS keeps last-accessed data for `trackingPeriodDays` (400) before the report
 * job, and nothing exists before the subject was created: the data starts at the later of the two.
 */
function dataSpan(snapshot: Snapshot, trackingPeriodDays: number, subjectPath: string): DataSpan {
  const trackingStart = daysBefore(parseISO(snapshot.report.JobCreationDate), trackingPeriodDays);
  const subject = snapshot.subject;
  const latestStart = subject.Kind === 'principal' ? undefined : latest(subjectStarts(subject, subjectPath));
  const createDate = subject.Kind === 'principal' ? subject.principal.CreateDate : latestStart?.createDate;
  const created = createDate === undefined ? undefined : parseISO(createDate);
  return {
    ...(created && createDate ? { created, createDate } : {}),
    ...(latestStart ? { latestStart } : {}),
    trackingStart,
    dataStart: created ? max([created, trackingStart]) : trackingStart,
  };
}

const youngerThanTracking = (span: DataSpan): boolean => span.created !== undefined && span.created >= span.trackingStart;

/**
 * What the report can prove: the data covers dataSpan's start up to the reference time. "Unused for N days" can only
 * be concluded when that span is at least N days: otherwise the principal is too young or N exceeds what AWS retains,
 * and nothing may be removed.
 */
export function observationWindow(input: WindowInput): ObservationWindow {
  const { snapshot, referenceTime, thresholdDays, trackingPeriodDays } = input;
  const span = dataSpan(snapshot, trackingPeriodDays, input.subjectPath);
  const { trackingStart, dataStart } = span;
  const coveredDays = Math.max(0, wholeDaysBetween(referenceTime, dataStart));
  const short = coveredDays < thresholdDays;
  const principal = snapshot.subject.Kind === 'principal';
  const shortBecause = !short
    ? undefined
    : !youngerThanTracking(span)
      ? ('tracking-period-shorter-than-threshold' as const)
      : principal
        ? ('principal-younger-than-threshold' as const)
        : ('subject-start-younger-than-threshold' as const);
  return {
    status: short ? 'too-short' : 'sufficient',
    ...(shortBecause ? { shortBecause } : {}),
    referenceTime: referenceTime.toISOString(),
    referenceTimeSource: input.referenceTimeSource,
    thresholdDays,
    ...(snapshot.subject.Kind === 'principal' ? { principalCreateDate: snapshot.subject.principal.CreateDate } : {}),
    ...(span.latestStart ? { latestStart: span.latestStart } : {}),
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
export function checkAsOf(input: { asOf: Date; snapshot: Snapshot; subjectPath: string; thresholdDays: number; trackingPeriodDays: number }): void {
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
  const span = dataSpan(snapshot, trackingPeriodDays, input.subjectPath);
  const { trackingStart, dataStart } = span;
  if (asOf >= dataStart) return;
  const bound =
    youngerThanTracking(span)
      ? `${startText(span.latestStart)} (${when(span.createDate ?? dataStart)})`
      : `the report's data starts (${when(trackingStart)}: JobCreationDate ${when(report.JobCreationDate)} − ${counted(trackingPeriodDays, 'day')})`;
  const earliest = daysAfter(dataStart, thresholdDays);
  const advice =
    earliest <= completion
      ? `the earliest --as-of that covers the ${thresholdDays}-day threshold is ${when(earliest)}`
      : `no --as-of covers the ${thresholdDays}-day threshold before the report's JobCompletionDate ${when(report.JobCompletionDate)}`;
  throw inputError(`--as-of ${when(asOf)} is before ${bound}: there is no data before then; ${advice}`);
}

/** what started the data, for the --as-of error */
function startText(start: WindowStart | undefined): string {
  if (start === undefined) return 'the principal was created';
  if (start.kind === 'default-version') return `the policy's default version ${start.name} was created`;
  if (start.kind === 'newer-version') return `version ${start.name}, newer than the default, was created`;
  if (start.kind === 'account') return `account ${start.name} (${start.arn ?? ''}) joined the organization`;
  if (start.kind === 'group-member') return `${start.name}, a member of attached group ${start.group ?? ''}, was created`;
  return `attached ${start.kind} ${start.name} was created`;
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
