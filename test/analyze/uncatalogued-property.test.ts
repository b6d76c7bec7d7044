/**
 * Property, iam-simulate as oracle: whatever the policies and the report, an uncatalogued service or tracked action
 * the report shows used within the threshold is allowed after the recommendation wherever it was allowed before.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../src/policy/types.js';
import type { ServiceLastAccessed } from '../../src/snapshot/types.js';
import { catalog, daysBefore, inline, snapshot, tracked, unusedService } from '../support/snapshots.js';
import { outcome, run } from '../support/pipeline.js';

const PATTERNS = ['*', 's3:*', 's3:Future*', 's3:Create*', 'ec2:*', 'sqs:*', 'newsvc:*', 's3:FutureFeature', 'kms:Decrypt'];
const EXCLUSIONS = ['iam:*', 'newsvc:*', 's3:FutureFeature', 's3:*', 'ec2:Run*'];

const statementArb = fc.oneof(
  fc.record({ Effect: fc.constant('Allow'), Action: fc.subarray(PATTERNS, { minLength: 1 }), Resource: fc.constant('*') }),
  fc.record({ Effect: fc.constant('Allow'), NotAction: fc.subarray(EXCLUSIONS, { minLength: 1 }), Resource: fc.constant('*') }),
);
const docArb = fc.array(statementArb, { minLength: 1, maxLength: 3 }).map((Statement) => ({ Version: '2012-10-17', Statement }) as PolicyDocument);
const whenArb = fc.constantFrom<number | undefined>(undefined, 1, 60, 200);

const used = (ns: string, when: number, list?: ServiceLastAccessed['TrackedActionsLastAccessed']): ServiceLastAccessed => ({
  ServiceName: catalog.serviceName(ns),
  ServiceNamespace: ns,
  LastAuthenticated: daysBefore(when),
  TotalAuthenticatedEntities: 1,
  ...(list ? { TrackedActionsLastAccessed: list } : {}),
});

describe('uncatalogued names in use (iam-simulate oracle)', () => {
  it('stay allowed', () => {
    let checked = 0;
    fc.assert(
      fc.property(fc.array(docArb, { minLength: 1, maxLength: 2 }), whenArb, whenArb, whenArb, (docs, newsvc, future, create) => {
        const s3Last = Math.min(...[future, create, 300].filter((t): t is number => t !== undefined));
        const services: ServiceLastAccessed[] = [
          newsvc === undefined ? { ...unusedService('ec2'), ServiceName: 'New', ServiceNamespace: 'newsvc' } : used('newsvc', newsvc),
          used('s3', s3Last, [tracked('FutureFeature', future === undefined ? undefined : daysBefore(future)), tracked('CreateBucket', create === undefined ? undefined : daysBefore(create)), tracked('DeleteBucket')]),
          unusedService('ec2'),
          unusedService('sqs'),
        ];
        const rec = run({ snapshot: snapshot({ policies: docs.map((d, i) => inline(`p${i}`, d)), services }) });
        const inUse = [...(newsvc !== undefined && newsvc <= 90 ? ['newsvc:DoThing'] : []), ...(future !== undefined && future <= 90 ? ['s3:FutureFeature'] : [])];
        for (const action of inUse) {
          const o = outcome(rec, action);
          if (o.before === 'Allowed') {
            checked++;
            expect(o.after, action).toBe('Allowed');
          }
        }
        for (const action of ['newsvc:DoThing', 's3:FutureFeature', 's3:CreateBucket', 'ec2:RunInstances']) {
          const o = outcome(rec, action);
          if (o.after === 'Allowed') expect(o.before, action).toBe('Allowed');
        }
      }),
      { numRuns: 200 },
    );
    expect(checked).toBeGreaterThan(50);
  });
});
