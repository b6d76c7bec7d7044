/**
 * A narrowed `*` or Allow NotAction statement keeps a service it keeps whole as `service:*`, so actions the catalog
 * does not know yet (newer than it) stay granted for services the rules keep whole (absent from the report, in use
 * and untracked, never-remove) — and only where the original statement granted the whole service.
 */
import { describe, expect, it } from 'vitest';
import { allow, daysBefore, doc, inline, snapshot, tracked, unusedService, usedService } from '../support/snapshots.js';
import { afterSet, outcome, run } from '../support/pipeline.js';

const region = { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } };

describe('services kept whole stay whole', () => {
  it('"*" narrowed: services absent from the report or in use and untracked become service:*', () => {
    const rec = run({
      snapshot: snapshot({
        policies: [inline('admin', doc(allow('*', '*', { Condition: region })))],
        services: [unusedService('ec2'), usedService('sqs', daysBefore(1)), usedService('iam', daysBefore(1), [tracked('CreateRole'), tracked('GetRole', daysBefore(1))])],
      }),
    });
    const st = afterSet(rec).Statement;
    expect(st).toHaveLength(1);
    expect(st[0]?.Condition).toEqual(region);
    expect(st[0]?.Action).toEqual(['iam:GetRole', 'iam:PassRole', 'kms:*', 's3:*', 'sqs:*']);
    const ctx = { 'aws:RequestedRegion': 'eu-west-1' };
    expect(outcome(rec, 's3:FutureFeature', '*', ctx)).toEqual({ before: 'Allowed', after: 'Allowed' });
    expect(outcome(rec, 'sqs:FutureFeature', '*', ctx)).toEqual({ before: 'Allowed', after: 'Allowed' });
    expect(outcome(rec, 'ec2:RunInstances', '*', ctx).after).toBe('ImplicitlyDenied');
    expect(outcome(rec, 'iam:FutureFeature', '*', ctx).after).toBe('ImplicitlyDenied'); // iam is partly trimmed
  });

  it('Allow NotAction narrowed: only services the exclusions cannot touch become service:*', () => {
    const rec = run({
      snapshot: snapshot({
        policies: [inline('most', doc({ Effect: 'Allow', NotAction: ['iam:*', 's3:GetObject'], Resource: '*' }))],
        services: [unusedService('ec2')],
      }),
    });
    const action = afterSet(rec).Statement[0]?.Action;
    expect(action).toEqual(['kms:*', 's3:CreateBucket', 's3:DeleteBucket', 's3:ListBucket', 's3:PutBucketPolicy', 's3:PutObject', 'sqs:*']);
    expect(outcome(rec, 'kms:FutureFeature')).toEqual({ before: 'Allowed', after: 'Allowed' });
    expect(outcome(rec, 's3:GetObject').after).toBe('ImplicitlyDenied');
  });

  it('an explicit list is never widened into service:*, even when it names every catalog action of a service', () => {
    const rec = run({
      snapshot: snapshot({
        policies: [inline('list', doc(allow(['kms:Decrypt', 'kms:Encrypt', 'ec2:RunInstances'])))],
        services: [unusedService('ec2')],
      }),
    });
    expect(afterSet(rec).Statement[0]?.Action).toEqual(['kms:Decrypt', 'kms:Encrypt']);
    expect(outcome(rec, 'kms:FutureFeature').after).toBe('ImplicitlyDenied');
  });
});
