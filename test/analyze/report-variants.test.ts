/**
 * Reports that disagree with themselves or spell things differently: the reading must always be the one that keeps.
 */
import { describe, expect, it } from 'vitest';
import { allow, daysBefore, doc, inline, snapshot, tracked, unusedService, usedService } from '../support/snapshots.js';
import { outcome, run } from '../support/pipeline.js';

const policy = inline('bucket', doc(allow(['s3:CreateBucket', 's3:DeleteBucket', 's3:PutBucketPolicy'])));

describe('report variants', () => {
  it.each([
    ['bare then prefixed', [tracked('CreateBucket', daysBefore(3)), tracked('s3:CreateBucket')]],
    ['prefixed then bare', [tracked('s3:CreateBucket', daysBefore(3)), tracked('CreateBucket')]],
    ['recent then old', [tracked('CreateBucket', daysBefore(3)), tracked('createbucket', daysBefore(300))]],
    ['old then recent', [tracked('CreateBucket', daysBefore(300)), tracked('CREATEBUCKET', daysBefore(3))]],
  ])('an action listed twice (%s) is read by its latest use', (_, entries) => {
    const rec = run({
      snapshot: snapshot({ policies: [policy], services: [usedService('s3', daysBefore(3), [...entries, tracked('DeleteBucket')])] }),
    });
    expect(outcome(rec, 's3:CreateBucket')).toEqual({ before: 'Allowed', after: 'Allowed' });
    expect(outcome(rec, 's3:DeleteBucket').after).toBe('ImplicitlyDenied');
    const d = rec.decisions.find((x) => x.subject === 's3:CreateBucket');
    expect(d?.reason).toBe('action-used');
  });

  it('ActionName casing and prefix do not matter', () => {
    const rec = run({
      snapshot: snapshot({
        policies: [policy],
        services: [usedService('S3', daysBefore(3), [tracked('S3:createbucket', daysBefore(3)), tracked('deleteBUCKET'), tracked('s3:PutBucketPolicy')])],
      }),
    });
    expect(outcome(rec, 's3:CreateBucket').after).toBe('Allowed');
    expect(outcome(rec, 's3:DeleteBucket').after).toBe('ImplicitlyDenied');
    expect(outcome(rec, 's3:PutBucketPolicy').after).toBe('ImplicitlyDenied');
  });

  it('a service whose LastAuthenticated is older than a tracked use is in use', () => {
    const rec = run({
      snapshot: snapshot({
        policies: [policy],
        services: [usedService('s3', daysBefore(200), [tracked('CreateBucket', daysBefore(2)), tracked('DeleteBucket')])],
      }),
    });
    expect(outcome(rec, 's3:CreateBucket').after).toBe('Allowed');
    expect(outcome(rec, 's3:PutBucketPolicy').after).toBe('Allowed'); // not tracked: kept
  });

  it('a used service whose tracked list omits an action keeps it (AWS does not track it)', () => {
    const rec = run({
      snapshot: snapshot({
        policies: [inline('q', doc(allow('sqs:*')))],
        services: [usedService('sqs', daysBefore(1), [tracked('PurgeQueue')])],
      }),
    });
    for (const a of ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage']) expect(outcome(rec, a).after).toBe('Allowed');
    expect(outcome(rec, 'sqs:PurgeQueue').after).toBe('ImplicitlyDenied');
  });

  it('a service absent from the report is kept even when every other service goes', () => {
    const rec = run({
      snapshot: snapshot({ policies: [inline('p', doc(allow(['s3:*', 'kms:Decrypt'])))], services: [unusedService('s3')] }),
    });
    expect(outcome(rec, 'kms:Decrypt').after).toBe('Allowed');
    expect(outcome(rec, 's3:GetObject').after).toBe('ImplicitlyDenied');
  });

  it('iam:PassRole stays although iam is listed as never used', () => {
    const rec = run({
      snapshot: snapshot({ policies: [inline('p', doc(allow('iam:*')))], services: [unusedService('iam')] }),
    });
    expect(outcome(rec, 'iam:PassRole').after).toBe('Allowed');
    expect(outcome(rec, 'iam:CreateRole').after).toBe('ImplicitlyDenied');
  });
});
