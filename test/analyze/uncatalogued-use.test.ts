/**
 * The report can name actions and services the catalog does not know (a newer AWS, an older catalog). When the report
 * shows one used within the threshold and a wildcard or NotAction statement grants it, narrowing that statement to an
 * explicit list of catalog actions would take away something in use. The hold is as wide as its reason: the service
 * concerned keeps its part of the statement as written, the other services are trimmed as usual; only where that
 * part cannot be written on its own is the statement kept whole.
 */
import { describe, expect, it } from 'vitest';
import type { ServiceLastAccessed } from '../../src/snapshot/types.js';
import { allow, daysBefore, doc, inline, snapshot, tracked, unusedService, usedService } from '../support/snapshots.js';
import { outcome, run } from '../support/pipeline.js';

const newService = (lastAuthenticated?: string): ServiceLastAccessed => ({
  ServiceName: 'New Service',
  ServiceNamespace: 'newsvc',
  ...(lastAuthenticated ? { LastAuthenticated: lastAuthenticated } : {}),
  TotalAuthenticatedEntities: lastAuthenticated ? 1 : 0,
});

describe('uncatalogued actions the report shows in use stay allowed', () => {
  it('a tracked action newer than the catalog, granted by s3:*', () => {
    const rec = run({
      snapshot: snapshot({
        policies: [inline('bucket', doc(allow('s3:*')))],
        services: [usedService('s3', daysBefore(1), [tracked('FutureFeature', daysBefore(1)), tracked('CreateBucket'), tracked('DeleteBucket')])],
      }),
    });
    expect(outcome(rec, 's3:FutureFeature')).toEqual({ before: 'Allowed', after: 'Allowed' });
    const bucket = rec.policies[0];
    expect(bucket?.action).toBe('keep');
    expect(bucket?.keptDespiteUnused.actions).toEqual(['s3:CreateBucket', 's3:DeleteBucket']);
    expect(rec.warnings.map((w) => w.code)).toContain('uncatalogued-in-use');
  });

  it('an uncatalogued tracked action last used long ago holds nothing', () => {
    const rec = run({
      snapshot: snapshot({
        policies: [inline('bucket', doc(allow('s3:*')))],
        services: [usedService('s3', daysBefore(1), [tracked('FutureFeature', daysBefore(200)), tracked('CreateBucket', daysBefore(1)), tracked('DeleteBucket')])],
      }),
    });
    expect(outcome(rec, 's3:DeleteBucket').after).toBe('ImplicitlyDenied');
    expect(outcome(rec, 's3:CreateBucket').after).toBe('Allowed');
    expect(rec.warnings.map((w) => w.code)).not.toContain('uncatalogued-in-use');
  });

  it('a service newer than the catalog, granted by "*", holds that statement; others still narrow', () => {
    const rec = run({
      snapshot: snapshot({
        policies: [inline('admin', doc(allow('*'))), inline('compute', doc(allow('ec2:*')))],
        services: [newService(daysBefore(2)), unusedService('ec2')],
      }),
    });
    expect(outcome(rec, 'newsvc:DoThing')).toEqual({ before: 'Allowed', after: 'Allowed' });
    expect(rec.policies.map((p) => [p.policyName, p.action])).toEqual([
      ['admin', 'keep'],
      ['compute', 'remove'],
    ]);
    // ec2 is still granted by the held "*": the compute policy's removal is no reduction of its own, and admin
    // lists the unused actions it keeps
    expect(rec.policies[0]?.keptDespiteUnused.wholeServices).toEqual([{ service: 'ec2', actions: 3 }]);
  });

  it('a service newer than the catalog that is listed unused holds nothing', () => {
    const rec = run({
      snapshot: snapshot({ policies: [inline('admin', doc(allow('*')))], services: [newService(), unusedService('ec2')] }),
    });
    expect(outcome(rec, 'ec2:RunInstances').after).toBe('ImplicitlyDenied');
    expect(outcome(rec, 's3:GetObject').after).toBe('Allowed'); // s3 is not in the report
  });

  it('a service newer than the catalog, granted by Allow NotAction, unless the NotAction excludes it', () => {
    const granted = run({
      snapshot: snapshot({
        policies: [inline('most', doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }))],
        services: [newService(daysBefore(2)), unusedService('ec2')],
      }),
    });
    expect(outcome(granted, 'newsvc:DoThing')).toEqual({ before: 'Allowed', after: 'Allowed' });
    const excluded = run({
      snapshot: snapshot({
        policies: [inline('most', doc({ Effect: 'Allow', NotAction: ['iam:*', 'newsvc:*'], Resource: '*' }))],
        services: [newService(daysBefore(2)), unusedService('ec2')],
      }),
    });
    expect(outcome(excluded, 'ec2:RunInstances').after).toBe('ImplicitlyDenied');
  });

  it('a statement naming the new service verbatim keeps it anyway and is narrowed as usual', () => {
    const rec = run({
      snapshot: snapshot({
        policies: [inline('p', doc(allow(['newsvc:*', 'ec2:*'])))],
        services: [newService(daysBefore(2)), unusedService('ec2')],
      }),
    });
    expect(outcome(rec, 'newsvc:DoThing').after).toBe('Allowed');
    expect(outcome(rec, 'ec2:RunInstances').after).toBe('ImplicitlyDenied');
  });

  it('a never-remove pattern the catalog does not know holds a wildcard statement that grants it', () => {
    const rec = run({
      snapshot: snapshot({
        policies: [inline('bucket', doc(allow('s3:*')))],
        services: [usedService('s3', daysBefore(1), [tracked('CreateBucket', daysBefore(1)), tracked('DeleteBucket')])],
      }),
      config: { neverRemove: ['s3:FutureFeature'] },
    });
    expect(outcome(rec, 's3:FutureFeature').after).toBe('Allowed');
  });

  describe('a hold is as wide as its reason', () => {
    const s3InUse = usedService('s3', daysBefore(1), [tracked('FutureFeature', daysBefore(1)), tracked('CreateBucket', daysBefore(1)), tracked('DeleteBucket')]);

    it('a statement granting several services keeps the one in use as written and trims the others', () => {
      const rec = run({
        snapshot: snapshot({ policies: [inline('multi', doc(allow(['s3:*', 'ec2:*', 'sqs:*'])))], services: [s3InUse, unusedService('ec2'), unusedService('sqs')] }),
      });
      expect(outcome(rec, 's3:FutureFeature')).toEqual({ before: 'Allowed', after: 'Allowed' });
      expect(outcome(rec, 's3:DeleteBucket').after).toBe('Allowed'); // held with s3:* as written
      expect(outcome(rec, 'ec2:RunInstances').after).toBe('ImplicitlyDenied');
      expect(outcome(rec, 'sqs:SendMessage').after).toBe('ImplicitlyDenied');
      const multi = rec.policies[0];
      expect(multi?.action).toBe('update');
      expect(multi?.proposed[0]?.document.Statement[0]?.Action).toBe('s3:*');
      expect(multi?.keptDespiteUnused.actions).toEqual(['s3:DeleteBucket']);
      const warning = rec.warnings.find((w) => w.code === 'uncatalogued-in-use');
      expect(warning?.message).toContain('its part for s3 is kept as written and the rest of the statement is trimmed as usual');
    });

    it('under "*", the service in use is written service:* and every other unused service goes', () => {
      const rec = run({
        snapshot: snapshot({ policies: [inline('admin', doc(allow('*')))], services: [s3InUse, unusedService('ec2'), unusedService('sqs'), unusedService('iam')] }),
      });
      expect(outcome(rec, 's3:FutureFeature').after).toBe('Allowed');
      expect(outcome(rec, 'ec2:RunInstances').after).toBe('ImplicitlyDenied');
      const actions = [rec.policies[0]?.proposed[0]?.document.Statement[0]?.Action ?? []].flat();
      expect(actions).toContain('s3:*');
      expect(actions.some((a) => a.startsWith('ec2:'))).toBe(false);
    });

    it('under a NotAction that excludes nothing of the service, likewise', () => {
      const rec = run({
        snapshot: snapshot({
          policies: [inline('most', doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }))],
          services: [s3InUse, unusedService('ec2'), unusedService('sqs')],
        }),
      });
      expect(outcome(rec, 's3:FutureFeature').after).toBe('Allowed');
      expect(outcome(rec, 'ec2:RunInstances').after).toBe('ImplicitlyDenied');
    });

    it('a NotAction excluding part of the service cannot carry it as written: the statement is kept whole', () => {
      const rec = run({
        snapshot: snapshot({
          policies: [inline('most', doc({ Effect: 'Allow', NotAction: ['iam:*', 's3:DeleteBucket'], Resource: '*' }))],
          services: [s3InUse, unusedService('ec2'), unusedService('sqs')],
        }),
      });
      expect(outcome(rec, 's3:FutureFeature').after).toBe('Allowed');
      expect(rec.policies[0]?.action).toBe('keep');
      expect(rec.warnings.find((w) => w.code === 'uncatalogued-in-use')?.message).toContain('the statement is kept as it is');
    });

    it('a pattern with a wildcard in its service prefix cannot either: kept whole', () => {
      const rec = run({
        snapshot: snapshot({ policies: [inline('wild', doc(allow(['s*:*', 'ec2:*'])))], services: [s3InUse, unusedService('ec2'), unusedService('sqs')] }),
      });
      // iam-simulate reads a service-prefix wildcard literally: the proposal is checked directly
      expect(rec.policies[0]?.action).toBe('keep');
      expect(rec.policies[0]?.proposed[0]?.document).toEqual(rec.policies[0]?.original);
    });
  });
});
