/**
 * A permission granted recently looks exactly like one never used. A customer-managed policy whose default version
 * was created less than the threshold before the reference time loses nothing (policy-version-too-recent); older
 * versions, AWS-managed policies and snapshots without the date are trimmed as before.
 */
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { RECOMMENDATION_SCHEMA } from '../../src/render/recommendation-schema.js';
import { renderExplanation } from '../../src/render/explanation.js';
import { validateSnapshot } from '../../src/snapshot/validate.js';
import type { SnapshotPolicy } from '../../src/snapshot/types.js';
import { outcome, run } from '../support/pipeline.js';
import { allow, awsManaged, customerManaged, daysBefore, doc, inline, snapshot, T, tracked, unusedService, usedService } from '../support/snapshots.js';

const s3 = usedService('s3', daysBefore(1), [tracked('CreateBucket', daysBefore(1)), tracked('DeleteBucket'), tracked('PutBucketPolicy')]);
const services = [s3, unusedService('ec2')];
const grants = doc(allow(['s3:CreateBucket', 's3:DeleteBucket', 'ec2:RunInstances']));
const versionDated = (p: SnapshotPolicy, days: number): SnapshotPolicy =>
  p.Kind === 'managed' ? { ...p, DefaultVersionId: 'v4', DefaultVersionCreateDate: daysBefore(days) } : p;

describe('policy-version-too-recent', () => {
  it('a customer-managed policy whose default version is younger than the threshold keeps everything, with the evidence', () => {
    const rec = run({ snapshot: snapshot({ policies: [versionDated(customerManaged('app-access', grants), 30)], services }) });
    const p = rec.policies[0];
    expect(p).toMatchObject({ action: 'keep', reason: 'policy-version-too-recent', removed: { wholeServices: [], actions: [] } });
    expect(p?.evidence).toEqual({
      field: '$.subject.policies[0].DefaultVersionCreateDate',
      versionId: 'v4',
      versionCreateDate: daysBefore(30),
      daysSinceVersion: 30,
      thresholdDays: 90,
      trimmableFrom: new Date(Date.parse(T) + 60 * 86_400_000).toISOString(),
    });
    expect(p?.keptDespiteUnused).toEqual({ wholeServices: [{ service: 'ec2', actions: 1 }], actions: ['s3:DeleteBucket'] });
    expect(p?.why).toContain(`run again from ${new Date(Date.parse(T) + 60 * 86_400_000).toISOString().slice(0, 10)}`);
    expect(rec.outcome).toBe('no-change');
    expect(outcome(rec, 's3:DeleteBucket')).toEqual({ before: 'Allowed', after: 'Allowed' });
    // the per-action decisions are the report's, unchanged
    expect(rec.decisions.find((d) => d.subject === 's3:DeleteBucket')?.reason).toBe('action-never-used');
    expect(new Ajv({ strict: false }).validate(RECOMMENDATION_SCHEMA, JSON.parse(JSON.stringify(rec)))).toBe(true);
    expect(renderExplanation(rec)).toContain('`policy-version-too-recent`: Its default version v4 was created');
  });

  it('a version exactly as old as the threshold, or older, is trimmed as before', () => {
    for (const days of [90, 400]) {
      const rec = run({ snapshot: snapshot({ policies: [versionDated(customerManaged('app-access', grants), days)], services }) });
      expect(rec.policies[0]).toMatchObject({ action: 'update', reason: 'customer-managed-new-version' });
      expect(rec.policies[0]?.removed.actions).toEqual(['s3:DeleteBucket']);
      expect(rec.policies[0]?.evidence).toBeUndefined();
    }
  });

  it('an AWS-managed policy with a recent version is replaced as before', () => {
    const rec = run({ snapshot: snapshot({ policies: [versionDated(awsManaged('PowerUser', grants), 3)], services }) });
    expect(rec.policies[0]).toMatchObject({ action: 'replace', reason: 'aws-managed-replaced' });
    expect(rec.policies[0]?.removed.actions).toEqual(['s3:DeleteBucket']);
  });

  it('without DefaultVersionCreateDate (older and hand-written snapshots) nothing changes, and the snapshot is valid', () => {
    const policies = [customerManaged('app-access', grants)];
    expect(() => validateSnapshot(JSON.parse(JSON.stringify(snapshot({ policies, services }))))).not.toThrow();
    const rec = run({ snapshot: snapshot({ policies, services }) });
    expect(rec.policies[0]).toMatchObject({ action: 'update', reason: 'customer-managed-new-version' });
  });

  it('only the recent policy is held: the same unused action still goes from an older policy, and stays granted', () => {
    const old = versionDated(customerManaged('old-access', doc(allow(['s3:DeleteBucket', 's3:CreateBucket']))), 500);
    const recent = versionDated(customerManaged('new-access', doc(allow(['s3:DeleteBucket', 'ec2:RunInstances']))), 10);
    const rec = run({ snapshot: snapshot({ policies: [old, recent, inline('inline', doc(allow('ec2:RunInstances')))], services }) });
    expect(rec.policies.map((p) => [p.policyName, p.action, p.reason])).toEqual([
      ['old-access', 'update', 'customer-managed-new-version'],
      ['new-access', 'keep', 'policy-version-too-recent'],
      ['inline', 'remove', 'no-statement-left'],
    ]);
    expect(rec.policies[0]?.removed.actions).toEqual(['s3:DeleteBucket']);
    expect(outcome(rec, 's3:DeleteBucket').after).toBe('Allowed');
    expect(outcome(rec, 'ec2:RunInstances', '*').after).toBe('Allowed');
  });

  it('takes the longest threshold among the unused actions (serviceThresholds)', () => {
    const policy = versionDated(customerManaged('app-access', grants), 120);
    const longer = run({ snapshot: snapshot({ policies: [policy], services }), config: { serviceThresholds: { ec2: 180 } } });
    expect(longer.policies[0]).toMatchObject({ reason: 'policy-version-too-recent', evidence: { thresholdDays: 180, daysSinceVersion: 120 } });
    const shorter = run({ snapshot: snapshot({ policies: [policy], services }), config: { serviceThresholds: { ec2: 30 } } });
    expect(shorter.policies[0]?.reason).toBe('customer-managed-new-version');
  });

  it('a version created after --as-of is too recent, 0 days old', () => {
    const rec = run({ snapshot: snapshot({ policies: [versionDated(customerManaged('app-access', grants), 5)], services }), asOf: daysBefore(20) });
    expect(rec.policies[0]).toMatchObject({ reason: 'policy-version-too-recent', evidence: { daysSinceVersion: 0 } });
    expect(rec.policies[0]?.why).toContain('after the reference time');
  });

  it('a recent version with nothing unused is simply nothing-removed', () => {
    const rec = run({ snapshot: snapshot({ policies: [versionDated(customerManaged('app-access', doc(allow('s3:CreateBucket'))), 5)], services }) });
    expect(rec.policies[0]).toMatchObject({ action: 'keep', reason: 'nothing-removed' });
  });

  it('every explanation says what IAM does not date, with the longest threshold and the CloudTrail events of the principal type', () => {
    const quiet = run({ snapshot: snapshot({ type: 'user', policies: [inline('p', doc(allow('s3:CreateBucket')))], services }) });
    expect(quiet.outcome).toBe('no-change');
    // nothing goes, so there is nothing to check before applying
    expect(renderExplanation(quiet)).toContain('## What this analysis cannot see');
    const user = run({ snapshot: snapshot({ type: 'user', policies: [inline('p', grants)], services }) });
    expect(user.outcome).toBe('reductions-recommended');
    const text = renderExplanation(user);
    expect(text).toContain('## What this analysis cannot see');
    expect(text).toContain('in the last 90 days (CloudTrail: `AttachUserPolicy`, `PutUserPolicy`, `SetDefaultPolicyVersion`)');
    const longer = run({ snapshot: snapshot({ policies: [inline('p', grants)], services }), config: { serviceThresholds: { ec2: 365 } } });
    expect(renderExplanation(longer)).toContain('in the last 365 days (CloudTrail: `AttachRolePolicy`, `PutRolePolicy`');
  });

  it('rejects a DefaultVersionCreateDate that is not a date, naming its JSONPath', () => {
    const bad = JSON.parse(JSON.stringify(snapshot({ policies: [customerManaged('app-access', grants)], services }))) as {
      subject: { policies: Record<string, unknown>[] };
    };
    Object.assign(bad.subject.policies[0] ?? {}, { DefaultVersionCreateDate: '2026-02-30T00:00:00Z' });
    expect(() => validateSnapshot(bad)).toThrow(/\$\.subject\.policies\[0\]\.DefaultVersionCreateDate: .*not a real date/);
  });
});
