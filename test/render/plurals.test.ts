/**
 * Every count a reader sees agrees with its noun: explanation.md, the plans' reasons, the warnings and the CLI lines
 * say "1 day" and "2 days", never "1 days" or "day(s)". Each kind of message is checked with a count of one and more.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectedLine } from '../../src/cli/commands/collect.js';
import { main } from '../../src/cli/main.js';
import { renderExplanation } from '../../src/render/explanation.js';
import { renderOutcomeLine } from '../../src/render/outcome-line.js';
import type { Recommendation } from '../../src/render/recommendation.js';
import { counted, plural, pluralChange } from '../../src/text.js';
import type { SnapshotPolicy } from '../../src/snapshot/types.js';
import { run } from '../support/pipeline.js';
import {
  allow,
  catalog,
  customerManaged,
  daysBefore,
  doc,
  inline,
  snapshot,
  tracked,
  usedService,
  type SnapshotOptions,
} from '../support/snapshots.js';

/** s3 in use: GetObject used yesterday, the tracked actions in `unused` never used */
const s3 = (...unused: string[]) => usedService('s3', daysBefore(1), [tracked('GetObject', daysBefore(1)), ...unused.map((a) => tracked(a))]);
const rec = (o: SnapshotOptions, extra: Omit<Parameters<typeof run>[0], 'snapshot'> = {}): Recommendation =>
  run({ snapshot: snapshot(o), ...extra });
const md = (o: SnapshotOptions, extra: Omit<Parameters<typeof run>[0], 'snapshot'> = {}): string => renderExplanation(rec(o, extra));
const trimmable = (p: SnapshotPolicy = inline('app', doc(allow(['s3:GetObject', 's3:CreateBucket'])))): SnapshotOptions => ({
  policies: [p],
  services: [s3('CreateBucket')],
});

describe('the helper', () => {
  it('agrees a noun or a verb with a count', () => {
    expect([counted(1, 'day'), counted(2, 'day'), counted(0, 'day'), counted(1010, 'day')]).toEqual(['1 day', '2 days', '0 days', '1,010 days']);
    expect([counted(1, 'policy', 'policies'), counted(3, 'policy', 'policies')]).toEqual(['1 policy', '3 policies']);
    expect([plural(1, 'stays', 'stay'), plural(2, 'stays', 'stay')]).toEqual(['stays', 'stay']);
    expect([pluralChange(1, 1, 'action'), pluralChange(2, 1, 'action'), pluralChange(1, 0, 'action')]).toEqual(['action', 'actions', 'actions']);
  });
});

describe('explanation.md', () => {
  it('the threshold and the blind-spot note: 1 day, 90 days', () => {
    const one = md(trimmable(), { unusedDays: 1 });
    expect(one).toContain('| Threshold | unused for more than 1 day |');
    expect(one).toContain('granted in the last 1 day (CloudTrail');
    const many = md(trimmable());
    expect(many).toContain('| Threshold | unused for more than 90 days |');
    expect(many).toContain('granted in the last 90 days (CloudTrail');
  });

  it('how many principals a managed policy is attached to', () => {
    expect(md(trimmable(customerManaged('app', doc(allow(['s3:GetObject', 's3:CreateBucket'])), 1)))).toContain('(customer-managed, attached to 1 principal)');
    expect(md(trimmable(customerManaged('app', doc(allow(['s3:GetObject', 's3:CreateBucket'])), 3)))).toContain('(customer-managed, attached to 3 principals)');
  });

  it('the permissions line: actions, services and unknown patterns', () => {
    const one = md({ policies: [inline('app', doc(allow(['s3:GetObject', 's3:NoSuchThing'])))], services: [s3()] });
    expect(one).toContain('- Permissions: **1 → 1** action in 1 → 1 service (plus 1 unknown pattern kept verbatim)');
    const many = md({ policies: [inline('app', doc(allow(['s3:GetObject', 's3:CreateBucket', 's3:NoSuchThing', 's3:NorThis', 'kms:Decrypt'])))], services: [s3('CreateBucket')] });
    expect(many).toContain('- Permissions: **3 → 2** actions in 2 → 2 services (plus 2 unknown patterns kept verbatim)');
  });

  it('the statements changed and the proposed documents of a policy', () => {
    expect(md(trimmable())).toContain('Proposed document:\n');
    expect(md(trimmable())).toContain('Statement changed: #0 narrowed.');
    const twoStatements = inline('app', doc(allow(['s3:GetObject', 's3:CreateBucket']), allow(['s3:GetObject', 's3:DeleteBucket'], 'arn:aws:s3:::b')));
    expect(md({ policies: [twoStatements], services: [s3('CreateBucket', 'DeleteBucket')] })).toContain('Statements changed: #0 narrowed; #1 narrowed.');
    // a replacement too large for one managed policy is split: every part is a proposed document
    const big = customerManaged('big', doc(...Array.from({ length: 40 }, (_, i) => allow(['s3:GetObject', 's3:CreateBucket'], `arn:aws:s3:::${'b'.repeat(180)}-${i}`))), 2);
    const split = rec({ policies: [big], services: [s3('CreateBucket')] });
    expect(split.policies[0]?.proposed.length).toBeGreaterThan(1);
    expect(renderExplanation(split)).toContain('Proposed documents:\n');
  });

  it('a per-service threshold in the evidence of what stays', () => {
    const options = trimmable();
    expect(md(options, { config: { serviceThresholds: { s3: 1 } } })).toContain('(threshold 1 day for s3)');
    expect(md(options, { config: { serviceThresholds: { s3: 365 } } })).toContain('(threshold 365 days for s3)');
  });

  it('the days a window covers and needs', () => {
    const young = (days: number): SnapshotOptions => ({ ...trimmable(), createDate: daysBefore(days) });
    const oneDay = md(young(1), { unusedDays: 2 });
    expect(oneDay).toMatch(/\| Data covers \| .* \(1 day\) \|/);
    expect(oneDay).toMatch(/1 day before the reference time [^;]*; 2 days of data are needed\./);
    const zero = md(young(0), { unusedDays: 1 });
    expect(zero).toMatch(/0 days before the reference time [^;]*; 1 day of data is needed\./);
    expect(zero).toMatch(/`observation-window-too-short`: The data covers 0 days \(/);
    expect(md(young(1), { unusedDays: 2 })).toMatch(/`observation-window-too-short`: The data covers 1 day \(/);
    const tracking = (days: number) => md(trimmable(), { unusedDays: 2, config: { trackingPeriodDays: days } });
    expect(tracking(1)).toContain('(1 day before the job), less than the 2-day threshold');
    expect(tracking(1)).toContain('the 2-day threshold is longer than the 1 day IAM keeps last-accessed data');
  });
});

describe('the reasons of a plan and the warnings', () => {
  it('the analysis warning of a short window: 1 day of data is needed, 90 days are', () => {
    const young = { ...trimmable(), createDate: daysBefore(0) };
    const warning = (r: Recommendation) => r.warnings.find((w) => w.code === 'observation-window-too-short')?.message;
    expect(warning(rec(young, { unusedDays: 1 }))).toMatch(/, 0 days before the reference time .*; at least 1 day of data is needed: nothing is removed$/);
    expect(warning(rec(young))).toMatch(/; at least 90 days of data are needed: nothing is removed$/);
    const beyond = (r: Recommendation) => r.warnings.find((w) => w.code === 'threshold-beyond-tracking-period')?.message;
    expect(beyond(rec(trimmable(), { unusedDays: 2, config: { trackingPeriodDays: 1 } }))).toMatch(/^the 2-day threshold is longer than the 1 day IAM keeps/);
    expect(beyond(rec(trimmable(), { unusedDays: 3, config: { trackingPeriodDays: 2 } }))).toMatch(/^the 3-day threshold is longer than the 2 days IAM keeps/);
  });

  it('how many principals a policy is the permissions boundary of', () => {
    const boundary = (n: number) => ({ ...customerManaged('app', doc(allow(['s3:GetObject', 's3:CreateBucket']))), PermissionsBoundaryUsageCount: n });
    expect(rec(trimmable(boundary(1))).policies[0]?.why).toContain('is the permissions boundary of 1 principal (PermissionsBoundaryUsageCount)');
    expect(rec(trimmable(boundary(40))).policies[0]?.why).toContain('is the permissions boundary of 40 principals (PermissionsBoundaryUsageCount)');
  });

  it("how old a customer-managed policy's default version is", () => {
    const version = (days: number) => ({ ...customerManaged('app', doc(allow(['s3:GetObject', 's3:CreateBucket']))), DefaultVersionCreateDate: daysBefore(days) });
    expect(rec(trimmable(version(1))).policies[0]?.why).toContain('was created ');
    expect(rec(trimmable(version(1))).policies[0]?.why).toMatch(/, 1 day before the reference time, less than the 90-day threshold/);
    expect(rec(trimmable(version(7))).policies[0]?.why).toMatch(/, 7 days before the reference time, less than the 90-day threshold/);
  });

  it('the unused actions a held statement keeps', () => {
    const held = (...unused: string[]) =>
      rec({ policies: [inline('bucket', doc(allow('s3:*')))], services: [usedService('s3', daysBefore(1), [tracked('FutureFeature', daysBefore(1)), ...unused.map((a) => tracked(a))])] });
    // nothing else goes, so the plan is nothing-removed with the note
    expect(held('CreateBucket').policies[0]?.why).toContain(' 1 unused action stays with a statement that also grants what the catalog cannot name');
    const both = inline('bucket', doc(allow('s3:*'), allow('s3:*', 'arn:aws:s3:::b')));
    const two = rec({ policies: [both], services: [usedService('s3', daysBefore(1), [tracked('FutureFeature', daysBefore(1)), tracked('CreateBucket'), tracked('DeleteBucket')])] });
    expect(two.policies[0]?.why).toContain(' 2 unused actions stay with statements that also grant what the catalog cannot name');
  });
});

describe('CLI lines', () => {
  it('recommend --out: the change in actions', async () => {
    const one = rec({ policies: [inline('app', doc(allow('s3:GetObject')))], services: [s3()] });
    expect(renderOutcomeLine(one, 'out/app')).toBe('no-change: wrote out/app/ (1 → 1 action)');
    expect(renderOutcomeLine(rec(trimmable()), 'out/app')).toBe('reductions-recommended: wrote out/app/ (2 → 1 actions)');
    // and the command prints it
    const dir = mkdtempSync(join(tmpdir(), 'leastpriv-plurals-'));
    try {
      const file = join(dir, 'snap.json');
      writeFileSync(file, JSON.stringify(snapshot({ policies: [inline('app', doc(allow('s3:GetObject')))], services: [s3()] })));
      let stdout = '';
      const code = await main(['recommend', '--snapshot', file, '--out', join(dir, 'out')], { stdout: (t) => (stdout += t), stderr: () => {} }, { catalog });
      expect([code, stdout]).toEqual([0, `no-change: wrote ${join(dir, 'out', 'app')}/ (1 → 1 action)\n`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('collect --snapshot-out: the policies and services collected', () => {
    const one = snapshot({ policies: [inline('app', doc(allow('s3:GetObject')))], services: [s3()] });
    expect(collectedLine(one, 'snap.json')).toBe('collected arn:aws:iam::123456789012:role/app: 1 policy, 1 service in the report; wrote snap.json');
    const two = snapshot({ policies: [inline('a', doc(allow('s3:GetObject'))), inline('b', doc(allow('s3:GetObject')))], services: [s3(), usedService('kms', daysBefore(1))] });
    expect(collectedLine(two, 'snap.json')).toBe('collected arn:aws:iam::123456789012:role/app: 2 policies, 2 services in the report; wrote snap.json');
  });
});
