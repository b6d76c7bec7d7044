/**
 * A threshold longer than IAM keeps last-accessed data can never be met. The recommendation says so with a
 * structured warning (recommendation.json, explanation.md), instead of only "window too short".
 */
import { describe, expect, it } from 'vitest';
import { renderExplanation } from '../../src/render/explanation.js';
import type { Recommendation } from '../../src/render/recommendation.js';
import { run } from '../support/pipeline.js';
import { allow, daysBefore, doc, inline, snapshot, unusedService } from '../support/snapshots.js';

const subject = (createDate?: string) =>
  snapshot({ policies: [inline('p', doc(allow(['s3:*', 'sqs:*'])))], services: [unusedService('s3'), unusedService('sqs')], ...(createDate ? { createDate } : {}) });
const codes = (rec: Recommendation) => rec.warnings.map((w) => w.code);
const beyond = (rec: Recommendation) => rec.warnings.filter((w) => w.code === 'threshold-beyond-tracking-period').map((w) => w.message);

describe('threshold-beyond-tracking-period', () => {
  it('--unused-days beyond 400 days: one warning saying nothing is removed, in place of the window warning', () => {
    const rec = run({ snapshot: subject(), unusedDays: 500 });
    expect(rec.outcome).toBe('observation-window-too-short');
    expect(beyond(rec)).toEqual([
      'the 500-day threshold is longer than the 400 days IAM keeps last-accessed data (trackingPeriodDays): nothing can be proven unused for 500 days, so nothing is removed',
    ]);
    expect(codes(rec)).not.toContain('observation-window-too-short');
    expect(renderExplanation(rec)).toContain(`- \`threshold-beyond-tracking-period\`: ${beyond(rec)[0]}`);
  });

  it('the figure is the configured trackingPeriodDays, and 400 itself is within it', () => {
    expect(beyond(run({ snapshot: subject(), unusedDays: 300, config: { trackingPeriodDays: 200 } }))[0]).toMatch(/^the 300-day threshold is longer than the 200 days IAM keeps/);
    const at400 = run({ snapshot: subject(), unusedDays: 400 });
    expect(at400.outcome).toBe('reductions-recommended');
    expect(beyond(at400)).toEqual([]);
  });

  it('a young principal with such a threshold gets both: its age, and that the threshold can never be met', () => {
    const rec = run({ snapshot: subject(daysBefore(30)), unusedDays: 500 });
    expect(codes(rec)).toEqual(expect.arrayContaining(['observation-window-too-short', 'threshold-beyond-tracking-period']));
  });

  it('a per-service threshold beyond it names the service it keeps; the others are trimmed', () => {
    const rec = run({ snapshot: subject(), config: { serviceThresholds: { s3: 420, sqs: 30 } } });
    expect(beyond(rec)).toEqual([
      'the 420-day threshold for s3 (serviceThresholds) is longer than the 400 days IAM keeps last-accessed data (trackingPeriodDays): nothing of s3 can be proven unused, so it is kept',
    ]);
    expect(rec.summary.servicesRemoved).toEqual(['sqs']);
  });
});
