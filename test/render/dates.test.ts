/**
 * explanation.md, the plans' reasons and the warnings show every date-time one way, `2026-11-20 12:00 UTC` (UTC, to
 * the minute), and a calendar day as `2026-11-20`; recommendation.json keeps the ISO-8601 values themselves.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderExplanation } from '../../src/render/explanation.js';
import { formatDate, formatDateTime, formatExactDateTime } from '../../src/text.js';
import { run } from '../support/pipeline.js';
import { allow, customerManaged, daysBefore, doc, inline, snapshot, T, tracked, usedService, principalRec } from '../support/snapshots.js';

/** an ISO-8601 date-time as the snapshot and recommendation.json hold them */
const ISO = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

describe('the formatters', () => {
  it.each([
    ['2026-11-20T09:00:03.642Z', '2026-11-20 09:00 UTC', '2026-11-20'],
    ['2024-02-12T08:30:00Z', '2024-02-12 08:30 UTC', '2024-02-12'],
    ['2026-11-20T09:05Z', '2026-11-20 09:05 UTC', '2026-11-20'],
    // an offset is converted to UTC, also across midnight
    ['2026-11-20T01:30:00+02:00', '2026-11-19 23:30 UTC', '2026-11-19'],
    ['2026-11-19T23:30:00-0130', '2026-11-20 01:00 UTC', '2026-11-20'],
  ])('%s → %s, %s', (iso, dateTime, date) => {
    expect(formatDateTime(iso)).toBe(dateTime);
    expect(formatDate(iso)).toBe(date);
  });

  it.each([
    ['2026-11-20T09:00:00Z', '2026-11-20 09:00 UTC'],
    ['2026-11-20T09:00:03Z', '2026-11-20 09:00:03 UTC'],
    ['2026-11-20T09:00:03.642Z', '2026-11-20 09:00:03.642 UTC'],
    ['2026-11-20T09:00:00.007Z', '2026-11-20 09:00:00.007 UTC'],
    ['2026-11-20T01:30:05+02:00', '2026-11-19 23:30:05 UTC'],
  ])('exactly: %s → %s (never rounded to the minute)', (iso, exact) => {
    expect(formatExactDateTime(iso)).toBe(exact);
  });

  it('shows a value that is no date as it is', () => {
    expect(formatDateTime('soon')).toBe('soon');
    expect(formatDate('soon')).toBe('soon');
    expect(formatExactDateTime('soon')).toBe('soon');
  });
});

describe('one format throughout', () => {
  const s3 = usedService('s3', '2026-11-19T14:05:59.999+02:00', [tracked('GetObject', '2026-11-19T14:05:59.999+02:00'), tracked('CreateBucket', daysBefore(200))]);
  const recent = { ...customerManaged('fresh', doc(allow(['s3:GetObject', 's3:CreateBucket']))), DefaultVersionCreateDate: '2026-11-13T08:00:00Z' };
  const rec = run({ snapshot: snapshot({ policies: [inline('app', doc(allow(['s3:GetObject', 's3:CreateBucket']))), recent], services: [s3] }) });
  const md = renderExplanation(rec);

  it('explanation.md: the header, the evidence of what goes and stays, and the reasons', () => {
    expect(md).toContain('(role, created 2024-01-01 00:00 UTC) |');
    expect(md).toContain('| Reference time | 2026-11-20 12:00 UTC (report JobCompletionDate) |');
    expect(md).toContain('| Report | ACTION_LEVEL, job created 2026-11-20 11:59 UTC, completed 2026-11-20 12:00 UTC |');
    expect(md).toContain('| Data covers | 2025-10-16 11:59 UTC → 2026-11-20 12:00 UTC (400 days) |');
    expect(md).toContain('(built 2026-11-01) · leastpriv test |');
    expect(md).toContain(`| \`s3:CreateBucket\` | ${formatDateTime(daysBefore(200))} (eu-west-1) | 200 |`);
    expect(md).toContain('| last used 2026-11-19 12:05 UTC (eu-west-1) |');
    expect(md).toContain('was created 2026-11-13 08:00 UTC, 7 days before the reference time');
    expect(md).toContain('run again from 2027-02-11 08:00 UTC to trim it.');
    expect(md).not.toMatch(ISO);
  });

  it('recommendation.json keeps the ISO-8601 values', () => {
    expect(rec.referenceTime).toBe(T);
    expect(rec.report.JobCompletionDate).toBe(T);
    expect(principalRec(rec).principal.CreateDate).toBe('2024-01-01T00:00:00Z');
    expect(rec.policies[1]?.evidence?.versionCreateDate).toBe('2026-11-13T08:00:00Z');
    expect(rec.decisions.find((d) => d.subject === 's3:GetObject')?.evidence?.lastAccessed).toBe('2026-11-19T14:05:59.999+02:00');
  });

  it('a window too short: the verdict, the reason and the warning', () => {
    const young = run({ snapshot: snapshot({ policies: [inline('app', doc(allow('s3:GetObject')))], services: [s3], createDate: '2026-10-01T12:00:00.000Z' }) });
    const text = renderExplanation(young);
    expect(text).toContain('The role was created 2026-10-01 12:00 UTC, 50 days before the reference time 2026-11-20 12:00 UTC;');
    expect(text).toContain('Run again after 2026-12-30 12:00 UTC.');
    expect(text).toContain('(2026-10-01 12:00 UTC to 2026-11-20 12:00 UTC)');
    expect(young.warnings[0]?.message).toContain('the principal was created 2026-10-01 12:00 UTC, 50 days before the reference time 2026-11-20 12:00 UTC;');
    expect(text).not.toMatch(ISO);
    const tracking = renderExplanation(run({ snapshot: snapshot({ policies: [inline('app', doc(allow('s3:GetObject')))], services: [s3] }), config: { trackingPeriodDays: 30 } }));
    expect(tracking).toContain('AWS keeps last-accessed data from 2026-10-21 11:59 UTC (30 days before the job)');
    expect(tracking).not.toMatch(ISO);
  });

  it('the committed examples', () => {
    const root = join(import.meta.dirname, '../../policies-examples');
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('explanation.md'));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) expect(readFileSync(join(root, f), 'utf8'), f).not.toMatch(ISO);
  });
});
