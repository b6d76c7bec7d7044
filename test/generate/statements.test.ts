/**
 * Statement shapes that a trimming could get wrong: the same used action under two scopes, grants only through
 * NotAction, NotResource, Deny NotAction, Deny-only and empty policies, unknown exclusions, `*:*`, and conditions on
 * another Region than the one the use was seen in.
 */
import { describe, expect, it } from 'vitest';
import { allow, customerManaged, daysBefore, doc, inline, snapshot, tracked, unusedService, usedService } from '../support/snapshots.js';
import { afterSet, outcome, run } from '../support/pipeline.js';

const BUCKET = 'arn:aws:s3:::alpha';
const OTHER = 'arn:aws:s3:::beta';
const s3Used = usedService('s3', daysBefore(1), [tracked('CreateBucket', daysBefore(1)), tracked('DeleteBucket'), tracked('PutBucketPolicy')]);

describe('statement shapes', () => {
  it('a used action granted by two statements with different Resources and Conditions stays in both', () => {
    const region = { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } };
    const rec = run({
      snapshot: snapshot({
        policies: [
          inline('a', doc(allow(['s3:CreateBucket', 's3:DeleteBucket'], BUCKET))),
          customerManaged('b', doc(allow(['s3:CreateBucket', 's3:PutBucketPolicy'], OTHER, { Condition: region }))),
        ],
        services: [s3Used],
      }),
    });
    expect(rec.outcome).toBe('reductions-recommended');
    expect(outcome(rec, 's3:CreateBucket', BUCKET)).toEqual({ before: 'Allowed', after: 'Allowed' });
    // used in eu-west-1 according to the report; the us-east-1 grant must not be dropped on that account
    expect(outcome(rec, 's3:CreateBucket', OTHER, { 'aws:RequestedRegion': 'us-east-1' })).toEqual({ before: 'Allowed', after: 'Allowed' });
    expect(outcome(rec, 's3:CreateBucket', OTHER, { 'aws:RequestedRegion': 'eu-west-1' })).toEqual({
      before: 'ImplicitlyDenied',
      after: 'ImplicitlyDenied',
    });
    expect(outcome(rec, 's3:DeleteBucket', BUCKET).after).toBe('ImplicitlyDenied');
    const b = rec.policies.find((p) => p.policyName === 'b');
    expect(b?.proposed[0]?.document.Statement[0]?.Condition).toEqual(region);
    expect(b?.proposed[0]?.document.Statement[0]?.Resource).toBe(OTHER);
  });

  it('a used action granted only through Allow NotAction + NotResource stays, on the same resources only', () => {
    const rec = run({
      snapshot: snapshot({
        policies: [inline('most', doc({ Effect: 'Allow', NotAction: ['iam:*', 'newsvc:*'], NotResource: OTHER }))],
        services: [s3Used, unusedService('ec2'), unusedService('sqs'), unusedService('kms')],
      }),
    });
    const st = afterSet(rec).Statement;
    expect(st).toHaveLength(1);
    expect(st[0]?.NotResource).toBe(OTHER);
    expect(outcome(rec, 's3:CreateBucket', BUCKET)).toEqual({ before: 'Allowed', after: 'Allowed' });
    expect(outcome(rec, 's3:GetObject', BUCKET)).toEqual({ before: 'Allowed', after: 'Allowed' });
    expect(outcome(rec, 's3:CreateBucket', OTHER)).toEqual({ before: 'ImplicitlyDenied', after: 'ImplicitlyDenied' });
    expect(outcome(rec, 'ec2:RunInstances', BUCKET)).toEqual({ before: 'Allowed', after: 'ImplicitlyDenied' });
    expect(outcome(rec, 'iam:CreateRole', BUCKET).after).toBe('ImplicitlyDenied');
    expect(outcome(rec, 'newsvc:Anything', BUCKET).after).toBe('ImplicitlyDenied');
  });

  it('Deny NotAction statements survive byte for byte while their policy loses every Allow', () => {
    const deny = { Sid: 'OnlyS3', Effect: 'Deny', NotAction: ['s3:*', 'newsvc:*'], Resource: '*', Condition: { Bool: { 'aws:ViaAWSService': 'false' } } };
    const rec = run({
      snapshot: snapshot({
        policies: [inline('guard', doc(allow('ec2:*'), deny)), inline('work', doc(allow('s3:*')))],
        services: [s3Used, unusedService('ec2')],
      }),
    });
    const guard = rec.policies.find((p) => p.policyName === 'guard');
    expect(guard?.action).toBe('update');
    expect(guard?.proposed[0]?.document.Statement).toEqual([deny]);
    expect(outcome(rec, 'sqs:SendMessage', BUCKET, { 'aws:ViaAWSService': 'false' })).toEqual({
      before: 'ExplicitlyDenied',
      after: 'ExplicitlyDenied',
    });
  });

  it('a Deny-only policy is kept, and a policy with an empty Statement array is accepted', () => {
    const rec = run({
      snapshot: snapshot({
        policies: [inline('deny', doc({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } })), inline('empty', doc())],
        services: [s3Used],
      }),
    });
    expect(rec.policies.map((p) => [p.policyName, p.action])).toEqual([
      ['deny', 'keep'],
      ['empty', 'keep'],
    ]);
  });

  it('unknown actions inside NotAction are exclusions: they neither become grants nor block narrowing', () => {
    const rec = run({
      snapshot: snapshot({
        policies: [inline('most', doc({ Effect: 'Allow', NotAction: ['s3:FutureFeature', 'iam:*'], Resource: '*' }))],
        services: [s3Used, unusedService('ec2'), unusedService('sqs'), unusedService('kms')],
      }),
    });
    expect(outcome(rec, 's3:FutureFeature')).toEqual({ before: 'ImplicitlyDenied', after: 'ImplicitlyDenied' });
    expect(outcome(rec, 's3:CreateBucket').after).toBe('Allowed');
    expect(outcome(rec, 'ec2:RunInstances').after).toBe('ImplicitlyDenied');
  });

  it('a pattern with a wildcard in the service prefix is never narrowed, and nothing it grants is reported removed', () => {
    const services = [s3Used, unusedService('ec2'), unusedService('iam'), unusedService('sqs'), unusedService('kms')];
    const all = run({ snapshot: snapshot({ policies: [inline('all', doc(allow('*:*', BUCKET)))], services }) });
    expect(all.outcome).toBe('no-change');
    expect(all.policies[0]?.action).toBe('keep');
    expect(all.policies[0]?.removed).toEqual({ wholeServices: [], actions: [] });
    expect(all.policies[0]?.keptDespiteUnused.wholeServices.map((w) => w.service)).toEqual(['ec2', 'kms', 'sqs']);

    const mixed = run({ snapshot: snapshot({ policies: [inline('mixed', doc(allow(['*:Get*', 'ec2:RunInstances'], BUCKET)))], services }) });
    const p = mixed.policies[0];
    expect(p?.action).toBe('update');
    expect(p?.proposed[0]?.document.Statement).toEqual([allow('*:Get*', BUCKET)]);
    expect(p?.removed).toEqual({ wholeServices: [{ service: 'ec2', actions: 1 }], actions: [] });
    expect(p?.keptDespiteUnused).toEqual({ wholeServices: [{ service: 'iam', actions: 1 }], actions: [] });
  });
});
