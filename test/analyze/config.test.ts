/**
 * Configuration that widens what is kept: never-remove patterns with wildcards and any casing, per-service thresholds
 * longer or shorter than the default and than the data, and a SERVICE_LEVEL report.
 */
import { describe, expect, it } from 'vitest';
import { allow, daysBefore, doc, inline, snapshot, tracked, unusedService, usedService } from '../support/snapshots.js';
import { outcome, run } from '../support/pipeline.js';

const policy = inline('p', doc(allow(['s3:*', 'ec2:*', 'kms:*'])));
const services = [
  usedService('s3', daysBefore(1), [tracked('CreateBucket', daysBefore(1)), tracked('DeleteBucket', daysBefore(120)), tracked('PutBucketPolicy')]),
  usedService('ec2', daysBefore(120)),
  unusedService('kms'),
];
const snap = () => snapshot({ policies: [policy], services });

describe('configuration', () => {
  it('never-remove patterns match with wildcards in any casing, and "*" keeps everything', () => {
    const rec = run({ snapshot: snap(), config: { neverRemove: ['S3:deleteB*', 'ec2:?unInstances', 'KMS:Decrypt'] } });
    expect(outcome(rec, 's3:DeleteBucket').after).toBe('Allowed');
    expect(outcome(rec, 'ec2:RunInstances').after).toBe('Allowed');
    expect(outcome(rec, 'kms:Decrypt').after).toBe('Allowed');
    expect(outcome(rec, 's3:PutBucketPolicy').after).toBe('ImplicitlyDenied');
    expect(outcome(rec, 'ec2:TerminateInstances').after).toBe('ImplicitlyDenied');
    expect(outcome(rec, 'kms:Encrypt').after).toBe('ImplicitlyDenied');
    const all = run({ snapshot: snap(), config: { neverRemove: ['*'] } });
    expect(all.outcome).toBe('no-change');
  });

  it('a longer per-service threshold keeps what the default would remove, only for that service', () => {
    const rec = run({ snapshot: snap(), config: { serviceThresholds: { ec2: 180, s3: 180 } } });
    expect(outcome(rec, 'ec2:TerminateInstances').after).toBe('Allowed');
    expect(outcome(rec, 's3:DeleteBucket').after).toBe('Allowed');
    expect(outcome(rec, 's3:PutBucketPolicy').after).toBe('ImplicitlyDenied'); // never used: no threshold saves it
    expect(outcome(rec, 'kms:Encrypt').after).toBe('ImplicitlyDenied');
  });

  it('a per-service threshold longer than the data keeps that service whole', () => {
    const young = snapshot({ policies: [policy], services, createDate: daysBefore(200) });
    const rec = run({ snapshot: young, config: { serviceThresholds: { kms: 365 } } });
    expect(outcome(rec, 'kms:Encrypt').after).toBe('Allowed');
    expect(rec.decisions.find((d) => d.subject === 'kms')?.reason).toBe('observation-window-too-short');
    expect(outcome(rec, 'ec2:TerminateInstances').after).toBe('ImplicitlyDenied');
  });

  it('a shorter per-service threshold cannot remove anything while the default window is too short', () => {
    const young = snapshot({ policies: [policy], services, createDate: daysBefore(60) });
    const rec = run({ snapshot: young, config: { serviceThresholds: { kms: 30, ec2: 30 } } });
    expect(rec.outcome).toBe('observation-window-too-short');
    expect(outcome(rec, 'kms:Encrypt').after).toBe('Allowed');
  });

  it('a SERVICE_LEVEL report removes only whole unused services', () => {
    const rec = run({ snapshot: snapshot({ policies: [policy], services, jobType: 'SERVICE_LEVEL' }) });
    expect(outcome(rec, 's3:PutBucketPolicy').after).toBe('Allowed');
    expect(outcome(rec, 's3:DeleteBucket').after).toBe('Allowed');
    expect(outcome(rec, 'ec2:RunInstances').after).toBe('ImplicitlyDenied');
  });
});
