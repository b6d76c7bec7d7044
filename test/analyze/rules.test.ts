/**
 * One test (or a few) per analysis rule of DESIGN.md, on hand-written ACTION_LEVEL reports in the real API shape.
 */
import { describe, expect, it } from 'vitest';
import type { Decision } from '../../src/analyze/types.js';
import { isLeastprivError } from '../../src/errors.js';
import { recommendWith, type RecommendInput } from '../../src/recommend.js';
import type { Recommendation } from '../../src/render/recommendation.js';
import {
  allow,
  catalog,
  daysBefore,
  doc,
  inline,
  snapshot,
  tracked,
  unusedService,
  usedService,
  type SnapshotOptions,
} from '../support/snapshots.js';
import { principalSubject } from '../support/subject.js';

function run(o: SnapshotOptions, extra: Omit<RecommendInput, 'snapshot'> = {}): Recommendation {
  return recommendWith({ snapshot: snapshot(o), catalog, toolVersion: 'test', ...extra });
}

/** the decision that governs one action: its own, else its service's */
function decisionFor(rec: Recommendation, action: string): Decision {
  const own = rec.decisions.find((d) => d.scope === 'action' && d.subject === action);
  const service = rec.decisions.find((d) => d.scope === 'service' && d.subject === action.split(':')[0]);
  const d = own ?? service;
  if (!d) throw new Error(`no decision for ${action}`);
  return d;
}

/** the actions the proposals still grant, by the same policy printer the output uses */
const proposedText = (rec: Recommendation): string => JSON.stringify(rec.policies.flatMap((p) => p.proposed.map((d) => d.document)));

const s3All = [inline('s3', doc(allow('s3:*')))];

describe('rule 1: a service unused (no LastAuthenticated, or older than N days) loses every action', () => {
  it('removes a service AWS lists with only ServiceName, ServiceNamespace and TotalAuthenticatedEntities 0', () => {
    const rec = run({ policies: [inline('p', doc(allow(['s3:GetObject', 'ec2:*'])))], services: [unusedService('ec2'), usedService('s3', daysBefore(1))] });
    const d = decisionFor(rec, 'ec2:RunInstances');
    expect(d).toMatchObject({ scope: 'service', verdict: 'remove', reason: 'service-never-used', actionCount: 3 });
    expect(d.evidence.field).toBe('$.report.ServicesLastAccessed[0]');
    expect(rec.summary.servicesRemoved).toEqual(['ec2']);
    expect(proposedText(rec)).not.toContain('ec2');
  });

  it('removes a service last authenticated more than N days ago, with the days as evidence', () => {
    const rec = run({ policies: s3All, services: [usedService('s3', daysBefore(120))] });
    expect(decisionFor(rec, 's3:GetObject')).toMatchObject({
      verdict: 'remove',
      reason: 'service-unused',
      evidence: { daysUnused: 120, lastAccessed: daysBefore(120), region: 'eu-west-1', thresholdDays: 90 },
    });
    expect(rec.policies[0]?.action).toBe('remove');
  });

  it('keeps a service used exactly N days before the reference time (the boundary is "older than")', () => {
    const rec = run({ policies: s3All, services: [usedService('s3', daysBefore(90))] });
    expect(decisionFor(rec, 's3:GetObject').verdict).toBe('keep');
  });

  it('reads a report that disagrees with itself towards keeping: a recent tracked action makes the service used', () => {
    const rec = run({ policies: s3All, services: [usedService('s3', daysBefore(200), [tracked('CreateBucket', daysBefore(3))])] });
    expect(decisionFor(rec, 's3:CreateBucket')).toMatchObject({ verdict: 'keep', reason: 'action-used' });
    expect(decisionFor(rec, 's3:GetObject')).toMatchObject({ verdict: 'keep', reason: 'action-not-tracked' });
  });
});

describe('rule 2: inside a used service, tracked actions decide; untracked ones stay', () => {
  const services = [
    usedService('s3', daysBefore(2), [
      tracked('ListBucket', daysBefore(2)),
      tracked('CreateBucket'),
      tracked('DeleteBucket', daysBefore(300)),
    ]),
  ];
  const rec = run({ policies: s3All, services });

  it('keeps a tracked action used within N days', () => {
    expect(decisionFor(rec, 's3:ListBucket')).toMatchObject({ verdict: 'keep', reason: 'action-used', evidence: { daysUnused: 2 } });
  });
  it('removes a tracked action that carries only ActionName (never used in the tracking period)', () => {
    const d = decisionFor(rec, 's3:CreateBucket');
    expect(d).toMatchObject({ scope: 'action', verdict: 'remove', reason: 'action-never-used' });
    expect(d.evidence.field).toBe('$.report.ServicesLastAccessed[0].TrackedActionsLastAccessed[1]');
    expect(d.evidence.lastAccessed).toBeUndefined();
  });
  it('removes a tracked action last used more than N days ago', () => {
    expect(decisionFor(rec, 's3:DeleteBucket')).toMatchObject({ verdict: 'remove', reason: 'action-unused', evidence: { daysUnused: 300 } });
  });
  it('keeps actions AWS does not track (S3 object operations are not listed)', () => {
    expect(decisionFor(rec, 's3:GetObject')).toMatchObject({ verdict: 'keep', reason: 'action-not-tracked' });
    expect(decisionFor(rec, 's3:PutObject')).toMatchObject({ verdict: 'keep', reason: 'action-not-tracked' });
  });
  it('keeps every action of a used service when TrackedActionsLastAccessed is absent', () => {
    const r = run({ policies: [inline('q', doc(allow('sqs:*')))], services: [usedService('sqs', daysBefore(1))] });
    expect(r.outcome).toBe('no-change');
    expect(decisionFor(r, 'sqs:PurgeQueue').reason).toBe('action-not-tracked');
  });
  it.each([['CreateBucket'], ['s3:CreateBucket'], ['S3:CREATEBUCKET'], ['createbucket']])(
    'accepts ActionName %s (bare as AWS returns it, or prefixed, any case)',
    (name) => {
      const r = run({ policies: s3All, services: [usedService('s3', daysBefore(1), [tracked(name, daysBefore(1))])] });
      expect(decisionFor(r, 's3:CreateBucket').reason).toBe('action-used');
    },
  );
  it('with a SERVICE_LEVEL report keeps used services whole and says why', () => {
    const r = run({ policies: s3All, services: [usedService('s3', daysBefore(1))], jobType: 'SERVICE_LEVEL' });
    expect(decisionFor(r, 's3:CreateBucket').reason).toBe('service-used-no-action-data');
    expect(r.warnings.map((w) => w.code)).toContain('service-level-report');
  });
});

describe('rule 3: a service absent from the report is kept', () => {
  it('keeps ec2 when the report does not mention it, even with other services unused', () => {
    const rec = run({ policies: [inline('p', doc(allow(['ec2:*', 'sqs:*'])))], services: [unusedService('sqs')] });
    expect(decisionFor(rec, 'ec2:RunInstances')).toMatchObject({ verdict: 'keep', reason: 'service-not-in-report', scope: 'service' });
    expect(decisionFor(rec, 'sqs:SendMessage').verdict).toBe('remove');
  });
});

describe('rule 4: an observation window shorter than N days removes nothing', () => {
  const services = [unusedService('s3')];
  it('a principal younger than N days: nothing removed, the dates and the reason given', () => {
    const rec = run({ policies: s3All, services, createDate: daysBefore(30) });
    expect(rec.outcome).toBe('observation-window-too-short');
    expect(rec.observationWindow).toMatchObject({ status: 'too-short', shortBecause: 'principal-younger-than-threshold', coveredDays: 30, dataStart: new Date(daysBefore(30)).toISOString() });
    expect(rec.policies[0]).toMatchObject({ action: 'keep', reason: 'observation-window-too-short' });
    expect(decisionFor(rec, 's3:CreateBucket').reason).toBe('observation-window-too-short');
  });
  it('a threshold longer than the 400 days AWS keeps: nothing removed', () => {
    const rec = run({ policies: s3All, services }, { unusedDays: 500 });
    expect(rec.observationWindow).toMatchObject({ status: 'too-short', shortBecause: 'tracking-period-shorter-than-threshold', coveredDays: 400 });
    expect(rec.summary.after.actions).toBe(rec.summary.before.actions);
  });
  it('a per-service threshold beyond the coverage keeps only that service', () => {
    const rec = run({ policies: [inline('p', doc(allow(['s3:*', 'sqs:*'])))], services: [unusedService('s3'), unusedService('sqs')] }, { config: { serviceThresholds: { s3: 420 } } });
    expect(decisionFor(rec, 's3:GetObject').reason).toBe('observation-window-too-short');
    expect(decisionFor(rec, 'sqs:SendMessage').verdict).toBe('remove');
  });
  it('--as-of moves the reference time back and shrinks the window with it', () => {
    const rec = run({ policies: s3All, services, createDate: daysBefore(100) }, { asOf: daysBefore(20).slice(0, 10) });
    expect(rec.referenceTimeSource).toBe('as-of');
    expect(rec.outcome).toBe('observation-window-too-short');
  });
  it('--as-of after the report was generated is refused', () => {
    expect(() => run({ policies: s3All, services }, { asOf: '2026-12-01' })).toThrow(/after the report's JobCompletionDate/);
  });
});

describe('rule 5: iam:PassRole and configured never-remove patterns are always kept', () => {
  it('keeps iam:PassRole while the rest of an unused IAM goes', () => {
    const rec = run({ policies: [inline('p', doc(allow('iam:*')))], services: [unusedService('iam')] });
    expect(decisionFor(rec, 'iam:PassRole')).toMatchObject({ verdict: 'keep', reason: 'never-remove', scope: 'action' });
    expect(decisionFor(rec, 'iam:CreateRole').verdict).toBe('remove');
    expect(proposedText(rec)).toContain('iam:PassRole');
  });
  it('keeps a configured pattern (case-insensitive, wildcard)', () => {
    const rec = run({ policies: [inline('p', doc(allow('kms:*')))], services: [unusedService('kms')] }, { config: { neverRemove: ['KMS:Dec*'] } });
    expect(decisionFor(rec, 'kms:Decrypt').reason).toBe('never-remove');
    expect(decisionFor(rec, 'kms:Encrypt').verdict).toBe('remove');
  });
});

describe('rule 6: unknown actions are kept verbatim with a warning', () => {
  it('keeps s3:FutureThing and newsvc:* in the proposal and warns about each', () => {
    const rec = run({ policies: [inline('p', doc(allow(['s3:CreateBucket', 's3:FutureThing', 'newsvc:*'])))], services: [usedService('s3', daysBefore(1), [tracked('CreateBucket')])] });
    expect(proposedText(rec)).toContain('s3:FutureThing');
    expect(proposedText(rec)).toContain('newsvc:*');
    expect(proposedText(rec)).not.toContain('s3:CreateBucket');
    expect(rec.warnings.filter((w) => w.code === 'unknown-action')).toHaveLength(2);
    expect(rec.decisions.filter((d) => d.reason === 'unknown-action').map((d) => d.subject)).toEqual(['newsvc:*', 's3:FutureThing']);
  });
});

describe('rule 7: Deny, Condition, Resource and the permissions boundary are never changed', () => {
  it('carries Deny statements and the Condition/Resource of narrowed statements over unchanged', () => {
    const cond = { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } };
    const deny = { Effect: 'Deny', Action: 's3:DeleteBucket', Resource: 'arn:aws:s3:::prod' };
    const rec = run({
      policies: [inline('p', doc(allow(['s3:CreateBucket', 's3:ListBucket'], ['arn:aws:s3:::a', 'arn:aws:s3:::b'], { Condition: cond }), deny))],
      services: [usedService('s3', daysBefore(1), [tracked('CreateBucket'), tracked('ListBucket', daysBefore(1))])],
    });
    const proposed = rec.policies[0]?.proposed[0]?.document;
    expect(proposed?.Statement).toEqual([
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: ['arn:aws:s3:::a', 'arn:aws:s3:::b'], Condition: cond },
      deny,
    ]);
  });
  it('never proposes to remove a policy whose Deny statements remain', () => {
    const deny = { Effect: 'Deny', Action: 'ec2:TerminateInstances', Resource: '*' };
    const rec = run({ policies: [inline('p', doc(allow('s3:CreateBucket'), deny))], services: [usedService('s3', daysBefore(1), [tracked('CreateBucket')])] });
    expect(rec.policies[0]).toMatchObject({ action: 'update' });
    expect(rec.policies[0]?.proposed[0]?.document.Statement).toEqual([deny]);
  });
  it('leaves the permissions boundary out of the proposed permission set', () => {
    const snap = snapshot({ policies: s3All, services: [unusedService('s3')] });
    principalSubject(snap).principal.PermissionsBoundaryArn = 'arn:aws:iam::123456789012:policy/boundary';
    principalSubject(snap).permissionsBoundary = { PolicyArn: 'arn:aws:iam::123456789012:policy/boundary', PolicyName: 'boundary', PolicyDocument: doc(allow('s3:*')) };
    const rec = recommendWith({ snapshot: snap, catalog, toolVersion: 'test' });
    expect(rec.principal.PermissionsBoundaryArn).toBe('arn:aws:iam::123456789012:policy/boundary');
    expect(rec.policies.map((p) => p.policyName)).toEqual(['s3']);
  });
});

describe('warnings', () => {
  it('says when the snapshot was collected with another catalog version', () => {
    const snap = snapshot({ policies: s3All, services: [] });
    expect(recommendWith({ snapshot: snap, catalog, toolVersion: 'test' }).warnings.map((w) => w.code)).not.toContain('catalog-version-differs');
    snap.collection.CatalogVersion = '0.0.1';
    expect(recommendWith({ snapshot: snap, catalog, toolVersion: 'test' }).warnings.map((w) => w.code)).toContain('catalog-version-differs');
  });
});

describe('configuration', () => {
  it('a per-service threshold shorter than the default removes what the default keeps', () => {
    const o = { policies: s3All, services: [usedService('s3', daysBefore(60))] };
    expect(decisionFor(run(o), 's3:GetObject').verdict).toBe('keep');
    expect(decisionFor(run(o, { config: { serviceThresholds: { s3: 30 } } }), 's3:GetObject')).toMatchObject({ verdict: 'remove', evidence: { thresholdDays: 30 } });
  });
  it('rejects an invalid config with its JSON path', () => {
    const o = { policies: s3All, services: [] };
    const attempt = () => run(o, { config: { serviceThresholds: { s3: 'ninety' } }, configLabel: 'cfg.json' });
    expect(attempt).toThrow('cfg.json: $.serviceThresholds.s3: must be integer');
    try {
      attempt();
    } catch (e) {
      expect(isLeastprivError(e) && e.kind).toBe('input');
    }
  });
});
