import { describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorFixture, type RunningEmulator } from '../../../emulator/index.js';
import { apiFamily as emulatorFamily, TokenBuckets } from '../../../emulator/faults.js';
import { IAM_OPERATIONS, ORGANIZATIONS_OPERATIONS, STS_OPERATIONS } from '../../../emulator/server.js';
import { createAwsClients, destroyAwsClients } from '../../../src/collect/clients.js';
import { collectSnapshot } from '../../../src/collect/collect-snapshot.js';
import { apiFamily } from '../../../src/collect/rate/api-family.js';
import type { Snapshot } from '../../../src/snapshot/types.js';
import { DEMO_ACCOUNT, demoArn, demoFixture, snapshotContent } from '../emulator-harness.js';

const ROLES = 50;
const roleName = (i: number): string => `app-${String(i).padStart(2, '0')}`;

function withRoles(fixture: EmulatorFixture): EmulatorFixture {
  const roles = Array.from({ length: ROLES }, (_, i) => ({
    name: roleName(i),
    inlinePolicies: [{ name: 'work', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:*', 'sqs:*'], Resource: '*' }] } }],
    attachedPolicies: [demoArn('policy', 'shared-reporting-read')],
  }));
  const usage = Object.fromEntries(roles.map((r) => [demoArn('role', r.name), [{ service: 's3', action: 'GetObject', time: '2026-10-20T10:00:00Z' }]]));
  return { ...fixture, roles: [...(fixture.roles ?? []), ...roles], usage: { ...fixture.usage, ...usage } };
}

/** every role collected at once on one set of clients */
async function collectAll(emulator: RunningEmulator, onThrottledRetry?: () => void): Promise<Snapshot[]> {
  const clients = await createAwsClients({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDDEMO', secretAccessKey: 'not-checked' },
    ...(onThrottledRetry !== undefined ? { onThrottledRetry } : {}),
  });
  try {
    return await Promise.all(
      Array.from({ length: ROLES }, (_, i) => collectSnapshot({ principal: { type: 'role', name: roleName(i) }, clients, pollIntervalMs: 20 })),
    );
  } finally {
    destroyAwsClients(clients);
  }
}

describe('throttled by a token bucket per account and API family', () => {
  it('lets a burst through, then one request per 1/rate, per account and family apart; an empty bucket takes no token', () => {
    let now = 0;
    const buckets = new TokenBuckets({ ratePerSecond: 10, burst: 3 }, () => now);
    expect([1, 2, 3, 4].map(() => buckets.take(DEMO_ACCOUNT, 'iam-read'))).toEqual([true, true, true, false]);
    expect(buckets.take(DEMO_ACCOUNT, 'iam-report')).toBe(true);
    expect(buckets.take('444455556666', 'iam-read')).toBe(true);
    now = 150;
    // 1.5 tokens refilled, one taken; the refused take before cost nothing
    expect([buckets.take(DEMO_ACCOUNT, 'iam-read'), buckets.take(DEMO_ACCOUNT, 'iam-read')]).toEqual([true, false]);
    now = 10_000;
    expect([1, 2, 3, 4].map(() => buckets.take(DEMO_ACCOUNT, 'iam-read'))).toEqual([true, true, true, false]);
  });

  it('sorts operations into the families AWS throttles apart', () => {
    expect(apiFamily('iam', 'GetRole')).toBe('iam-read');
    expect(apiFamily('iam', 'ListAttachedRolePolicies')).toBe('iam-read');
    expect(apiFamily('iam', 'GenerateServiceLastAccessedDetails')).toBe('iam-report');
    expect(apiFamily('iam', 'GetServiceLastAccessedDetailsWithEntities')).toBe('iam-report');
    expect(apiFamily('iam', 'GetOrganizationsAccessReport')).toBe('iam-report');
    expect(apiFamily('iam', 'GetAccountAuthorizationDetails')).toBe('iam-authorization-details');
    expect(apiFamily('sts', 'GetCallerIdentity')).toBe('sts');
    expect(apiFamily('organizations', 'ListAccounts')).toBe('organizations');
  });

  it("paces every operation the emulator serves in the family of the emulator's bucket", () => {
    const served = [
      ...IAM_OPERATIONS.map((op) => ['iam', op] as const),
      ...STS_OPERATIONS.map((op) => ['sts', op] as const),
      ...ORGANIZATIONS_OPERATIONS.map((op) => ['organizations', op] as const),
    ];
    expect(served.length).toBeGreaterThan(20);
    for (const [service, operation] of served) expect(apiFamily(service, operation), operation).toBe(emulatorFamily(service, operation));
  });

  it(`collects ${ROLES} roles at once through a tight bucket with every snapshot identical to an unthrottled run`, async () => {
    const fixture = withRoles(demoFixture());
    const free = await startEmulator({ fixture, faults: { jobCompletionMs: 50 } });
    const tight = await startEmulator({ fixture, faults: { jobCompletionMs: 50, tokenBucket: { ratePerSecond: 40, burst: 5 } } });
    try {
      const reference = await collectAll(free);
      let throttledRetries = 0;
      // ~330 IAM reads against 40 a second: the collections ask for far more than the bucket gives
      const throttled = await collectAll(tight, () => throttledRetries++);
      expect(throttled.map(snapshotContent)).toEqual(reference.map(snapshotContent));
      // the bucket did bite, and every throttled reply was retried (none ended a call)
      expect(tight.stats().throttled).toBeGreaterThan(0);
      expect(throttledRetries).toBe(tight.stats().throttled);
      expect(free.stats().throttled).toBe(0);
    } finally {
      await Promise.all([free.stop(), tight.stop()]);
    }
  });

  it('answers an empty bucket as IAM does: HTTP 400 Throttling, Rate exceeded', async () => {
    const emulator = await startEmulator({ fixture: demoFixture(), faults: { tokenBucket: { ratePerSecond: 0.001, burst: 1 } } });
    const clients = await createAwsClients({
      endpoint: emulator.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDDEMO', secretAccessKey: 'not-checked' },
      maxAttempts: 1,
    });
    try {
      await expect(collectSnapshot({ principal: { type: 'role', name: 'data-pipeline' }, clients })).rejects.toThrow(
        /AWS kept throttling iam:\w+ after 1 attempts/,
      );
      expect(emulator.stats().throttled).toBeGreaterThan(0);
    } finally {
      destroyAwsClients(clients);
      await emulator.stop();
    }
  });
});
