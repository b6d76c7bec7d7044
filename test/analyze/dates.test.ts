/**
 * Day arithmetic and dates: the threshold boundary, the host's time zone (which must not matter), offsets in the
 * report's dates, --as-of before the job, and a principal created after the reference time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/snapshot/types.js';
import { renderFiles } from '../../src/render/files.js';
import { allow, doc, inline, snapshot, T, tracked, usedService } from '../support/snapshots.js';
import { outcome, run } from '../support/pipeline.js';
import { principalSubject } from '../support/subject.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (ms: number): string => new Date(ms).toISOString();
const t = Date.parse(T);

/** s3:CreateBucket last used `ago` milliseconds before T; s3:DeleteBucket never used */
const boundarySnapshot = (ago: number) =>
  snapshot({
    policies: [inline('bucket', doc(allow(['s3:CreateBucket', 's3:DeleteBucket'])))],
    services: [usedService('s3', at(t - ago), [tracked('CreateBucket', at(t - ago)), tracked('DeleteBucket')])],
  });

/** the snapshot with its principal created at `createDate` */
const withCreateDate = (snap: Snapshot, createDate: string): Snapshot => ({
  ...snap,
  subject: { ...principalSubject(snap), principal: { ...principalSubject(snap).principal, CreateDate: createDate } },
});

const originalTz = process.env.TZ;
afterEach(() => {
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});

describe('threshold boundary', () => {
  it('a use exactly 90 days before the reference time is a use; a millisecond earlier is not', () => {
    expect(outcome(run({ snapshot: boundarySnapshot(90 * DAY) }), 's3:CreateBucket').after).toBe('Allowed');
    expect(outcome(run({ snapshot: boundarySnapshot(90 * DAY + 1) }), 's3:CreateBucket').after).toBe('ImplicitlyDenied');
  });

  it.each(['Australia/Sydney', 'Australia/Lord_Howe', 'America/New_York', 'Asia/Kolkata'])(
    'the host time zone (%s) changes neither the verdicts nor the bytes',
    (tz) => {
      // 89 days 23.5 hours: within 90 days of 24 hours, whatever the calendar of the host says about DST
      const snap = boundarySnapshot(90 * DAY - HOUR / 2);
      process.env.TZ = 'UTC';
      const utc = renderFiles(run({ snapshot: snap }));
      process.env.TZ = tz;
      const rec = run({ snapshot: snap });
      expect(outcome(rec, 's3:CreateBucket').after).toBe('Allowed');
      expect(renderFiles(rec)).toEqual(utc);
    },
  );
});

describe('dates with offsets and odd reference times', () => {
  it('a last use written with a +14:00 offset is compared as the instant it names', () => {
    // 2026-08-23T01:00+14:00 is 2026-08-22T11:00Z: 90 days and one hour before T, so unused
    const snap = snapshot({
      policies: [inline('bucket', doc(allow(['s3:CreateBucket', 's3:DeleteBucket'])))],
      services: [usedService('s3', '2026-08-23T01:00:00+14:00', [tracked('CreateBucket', '2026-08-23T01:00:00+14:00'), tracked('DeleteBucket', at(t - DAY))])],
    });
    expect(outcome(run({ snapshot: snap }), 's3:CreateBucket').after).toBe('ImplicitlyDenied');
    // the same instant written as 2026-08-22T13:00-02:00 reads the same way... while 2026-08-22T23:00+10:00 is 13:00Z: used
    const used = snapshot({
      policies: [inline('bucket', doc(allow(['s3:CreateBucket', 's3:DeleteBucket'])))],
      services: [usedService('s3', '2026-08-22T23:00:00+1000', [tracked('CreateBucket', '2026-08-22T23:00:00+1000'), tracked('DeleteBucket')])],
    });
    expect(outcome(run({ snapshot: used }), 's3:CreateBucket').after).toBe('Allowed');
  });

  it('--as-of before JobCreationDate shrinks the window; at the principal\'s creation it covers 0 days', () => {
    const snap = withCreateDate(boundarySnapshot(200 * DAY), at(t - 100 * DAY));
    const early = run({ snapshot: snap, asOf: at(t - 30 * DAY) });
    expect(early.outcome).toBe('observation-window-too-short');
    expect(outcome(early, 's3:DeleteBucket').after).toBe('Allowed');
    const atBirth = run({ snapshot: snap, asOf: at(t - 100 * DAY) });
    expect(atBirth.outcome).toBe('observation-window-too-short');
    expect(atBirth.observationWindow.coveredDays).toBe(0);
  });

  it('--as-of before the principal existed is refused, naming its CreateDate and the earliest useful --as-of', () => {
    const snap = withCreateDate(boundarySnapshot(200 * DAY), at(t - 100 * DAY));
    expect(() => run({ snapshot: snap, asOf: at(t - 150 * DAY) })).toThrow(
      '--as-of 2026-06-23 12:00 UTC is before the principal was created (2026-08-12 12:00 UTC): there is no data before then; ' +
        'the earliest --as-of that covers the 90-day threshold is 2026-11-10 12:00 UTC',
    );
    // a principal younger than the threshold: no --as-of can help
    const young = withCreateDate(snap, at(t - 50 * DAY));
    expect(() => run({ snapshot: young, asOf: at(t - 60 * DAY) })).toThrow(
      "is before the principal was created (2026-10-01 12:00 UTC): there is no data before then; no --as-of covers the 90-day threshold before the report's JobCompletionDate 2026-11-20 12:00 UTC",
    );
  });

  it('--as-of before the report\'s data starts (JobCreationDate − trackingPeriodDays) is refused, naming that date to the second', () => {
    // the default principal was created in 2024, long before the 400-day tracking period; the job was created at 11:59:58
    const snap = boundarySnapshot(DAY);
    expect(() => run({ snapshot: snap, asOf: at(t - 401 * DAY) })).toThrow(
      "--as-of 2025-10-15 12:00 UTC is before the report's data starts (2025-10-16 11:59:58 UTC: JobCreationDate 2026-11-20 11:59:58 UTC − 400 days): " +
        'there is no data before then; the earliest --as-of that covers the 90-day threshold is 2026-01-14 11:59:58 UTC',
    );
    // the configured tracking period moves the bound
    expect(() => run({ snapshot: snap, asOf: at(t - 101 * DAY), config: { trackingPeriodDays: 100 } })).toThrow(/before the report's data starts .* − 100 days\)/);
    expect(run({ snapshot: snap, asOf: at(t - 99 * DAY), config: { trackingPeriodDays: 100 } }).outcome).toBe('observation-window-too-short');
  });

  it('--as-of after JobCompletionDate is refused, both printed finely enough to tell them apart', () => {
    const snap = boundarySnapshot(DAY);
    expect(() => run({ snapshot: snap, asOf: '2030-01-01' })).toThrow(
      "--as-of 2030-01-01 00:00 UTC is after the report's JobCompletionDate 2026-11-20 12:00 UTC: the report cannot show activity after it was generated",
    );
    expect(() => run({ snapshot: snap, asOf: '2026-11-20T12:00:30Z' })).toThrow(/^--as-of 2026-11-20 12:00:30 UTC is after the report's JobCompletionDate 2026-11-20 12:00 UTC:/);
    expect(() => run({ snapshot: snap, asOf: '2026-11-20T12:00:00.001Z' })).toThrow(/^--as-of 2026-11-20 12:00:00\.001 UTC is after .* 2026-11-20 12:00 UTC:/);
    expect(run({ snapshot: snap, asOf: T }).referenceTime).toBe(T);
  });

  it('a principal whose CreateDate is after the reference time removes nothing', () => {
    const snap = withCreateDate(boundarySnapshot(200 * DAY), at(t + DAY));
    const rec = run({ snapshot: snap });
    expect(rec.outcome).toBe('observation-window-too-short');
    expect(outcome(rec, 's3:DeleteBucket').after).toBe('Allowed');
  });

  it('a use recorded after an --as-of reference time counts as a use', () => {
    const rec = run({ snapshot: boundarySnapshot(DAY), asOf: at(t - 10 * DAY) });
    expect(outcome(rec, 's3:CreateBucket').after).toBe('Allowed');
  });
});
