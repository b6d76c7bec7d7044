/**
 * Regressions found by a safety review of the fit search, per-service holds and the managed-policy window: each case
 * is the reviewer's minimal input.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../../src/catalog/catalog.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { isLeastprivError } from '../../src/errors.js';
import { fitsInlineAggregate } from '../../src/policy/index.js';
import { recommendWith } from '../../src/recommend.js';
import { validateSnapshot } from '../../src/snapshot/validate.js';
import { allow, daysBefore, doc, inline, policySubjectSnapshot, policyVersions, snapshot, tracked, TRIMMABLE, unusedService, usedService } from '../support/snapshots.js';
import { afterSet, outcome, planPolicy, run } from '../support/pipeline.js';

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCatalog();
});

const s3Used = usedService('s3', daysBefore(1), [tracked('GetObject', daysBefore(1))]);

describe('safety review regressions', () => {
  it('an inline policy put back to its original is measured again: the proposal fits the aggregate', () => {
    const ec2 = (catalog.actionsOf('ec2') ?? []).map((a) => a.id);
    const letters = 'abcdefghijklmnopqrstuvwxyz'.split('').filter((l) => !'ces'.includes(l)).map((l) => `${l}*:*`);
    const a = inline('A', doc(allow('*'), allow(ec2.slice(0, 250), 'arn:aws:ec2:*:*:instance/*')));
    const b = inline('B', doc({ Effect: 'Allow', NotAction: [...letters, 's3:DeleteBucket'], Resource: '*' }));
    const rec = recommendWith({ catalog, toolVersion: 't', snapshot: snapshot({ policies: [a, b], services: [unusedService('ec2')] }) });
    expect(fitsInlineAggregate('role', [a.PolicyDocument as never, b.PolicyDocument as never]).fits).toBe(true);
    expect(fitsInlineAggregate('role', rec.policies.flatMap((p) => p.proposed.map((d) => d.document))).fits).toBe(true);
  });

  it('a wildcard in a service prefix never counts as granting a whole service (no s3:* written beside s*:*)', () => {
    const rec = run({
      snapshot: snapshot({
        policies: [inline('p', doc(allow(['s*:*', 'ec2:RunInstances', 's3:Create*', 's3:Delete*', 's3:Get*', 's3:List*', 's3:Put*'])))],
        services: [unusedService('ec2'), usedService('s3', daysBefore(1)), usedService('sqs', daysBefore(1))],
      }),
    });
    expect(JSON.stringify(afterSet(rec))).not.toContain('"s3:*"');
    expect(outcome(rec, 's3:FutureX').after).toBe(outcome(rec, 's3:FutureX').before);
  });

  it('a neverRemove name pattern the catalog does not know holds only what may match it, and runs', () => {
    const plain = run({
      snapshot: snapshot({ policies: [inline('p', doc(allow(['s3:GetObject', 'ec2:RunInstances'])))], services: [s3Used, unusedService('ec2')] }),
      config: { neverRemove: ['s3:NewThing*'] },
    });
    expect(outcome(plain, 'ec2:RunInstances').after).toBe('ImplicitlyDenied');
    const prefixed = run({
      snapshot: snapshot({ policies: [inline('p', doc(allow(['s3:Get*', 'ec2:RunInstances'])))], services: [s3Used, unusedService('ec2')] }),
      config: { neverRemove: ['s3:GetNew*'] },
    });
    expect(outcome(prefixed, 's3:GetNewThing').after).toBe('Allowed');
    expect(outcome(prefixed, 'ec2:RunInstances').after).toBe('ImplicitlyDenied');
  });

  it('a default version older than another version may be in force only since that one: the window starts there', () => {
    const s = policySubjectSnapshot({
      document: doc(allow(['s3:GetObject', 'ec2:RunInstances'])),
      services: [s3Used, unusedService('ec2')],
      versions: [
        { VersionId: 'v1', IsDefaultVersion: true, CreateDate: '2024-01-01T00:00:00.000Z' },
        { VersionId: 'v2', IsDefaultVersion: false, CreateDate: daysBefore(300) },
        { VersionId: 'v3', IsDefaultVersion: false, CreateDate: daysBefore(2) },
      ],
      defaultVersionCreateDate: '2024-01-01T00:00:00.000Z',
    });
    const { plan, rec } = planPolicy(s);
    expect(plan.reason).toBe('observation-window-too-short');
    expect(rec.observationWindow.latestStart).toMatchObject({ kind: 'newer-version', name: 'v3' });
    expect(plan.removed).toEqual([]);
  });

  it("without DefaultVersionCreateDate the default version's date comes from versions", () => {
    const s = policySubjectSnapshot({ ...TRIMMABLE, versions: policyVersions(2, daysBefore(5)) });
    const subject = s.subject as { policy: { DefaultVersionCreateDate?: string } };
    delete subject.policy.DefaultVersionCreateDate;
    expect(planPolicy(s).plan.reason).toBe('observation-window-too-short');
  });

  it('a customer-managed subject with no date for its default version, or entities missing from the list, is refused', () => {
    const undated = policySubjectSnapshot({ ...TRIMMABLE, versions: [] });
    delete (undated.subject as { policy: { DefaultVersionCreateDate?: string } }).policy.DefaultVersionCreateDate;
    const miscounted = policySubjectSnapshot({ ...TRIMMABLE });
    (miscounted.subject as { policy: { AttachmentCount: number } }).policy.AttachmentCount = 3;
    for (const [snap, message] of [
      [undated, 'is required for a customer-managed policy whose default version is not in versions'],
      [miscounted, 'but policy.AttachmentCount is 3: every entity the policy is attached to must be listed'],
    ] as const) {
      let error: unknown;
      try {
        validateSnapshot(snap, 's.json');
      } catch (e) {
        error = e;
      }
      expect(isLeastprivError(error) && error.message).toContain(message);
    }
  });
});
