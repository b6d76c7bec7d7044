/**
 * One lookup answers "how many days without use make this service's permissions removable": its serviceThresholds
 * entry, else unusedDays. The analysis rules, the recent-version rule, uncatalogued use and the explanation all ask it.
 */
import { describe, expect, it, test } from 'vitest';
import { longestThresholdDays, thresholdDaysOf } from '../../src/analyze/config.js';
import { allow, daysBefore, doc, inline, snapshot, unusedService } from '../support/snapshots.js';
import { run } from '../support/pipeline.js';

const thresholds = { unusedDays: 90, serviceThresholds: { s3: 30, kms: 365 } };

describe('thresholdDaysOf', () => {
  test.each([
    { service: 's3', expected: 30 },
    { service: 'S3', expected: 30 },
    { service: 'kms', expected: 365 },
    { service: 'ec2', expected: 90 },
    // only the map's own entries count: Object's properties are no thresholds
    { service: 'constructor', expected: 90 },
    { service: '__proto__', expected: 90 },
  ])('$service: $expected days', ({ service, expected }) => {
    expect(thresholdDaysOf(thresholds, service)).toBe(expected);
  });
});

describe('longestThresholdDays', () => {
  test.each<{ serviceThresholds: Record<string, number>; expected: number }>([
    { serviceThresholds: {}, expected: 90 },
    { serviceThresholds: { s3: 30 }, expected: 90 },
    { serviceThresholds: { s3: 30, kms: 365 }, expected: 365 },
  ])('$serviceThresholds: $expected', ({ serviceThresholds, expected }) => {
    expect(longestThresholdDays({ unusedDays: 90, serviceThresholds })).toBe(expected);
  });
});

describe('a service named like an Object property', () => {
  it('in use and unknown to the catalog, still holds the "*" that grants it', () => {
    const rec = run({
      snapshot: snapshot({
        policies: [inline('admin', doc(allow('*')))],
        services: [
          { ServiceName: 'Odd', ServiceNamespace: 'constructor', LastAuthenticated: daysBefore(2), TotalAuthenticatedEntities: 1 },
          unusedService('ec2'),
        ],
      }),
    });
    // (the test oracle, iam-simulate, trips over this service name itself, so the policy is checked directly)
    expect(rec.policies.map((p) => [p.policyName, p.action])).toEqual([['admin', 'keep']]);
    expect(rec.warnings.map((w) => w.code)).toContain('uncatalogued-in-use');
  });
});
