/**
 * Property test of fitting near AWS's size limits, over the full catalog, with iam-simulate (AGPL, tests only) as the
 * oracle. Random broad policies (`*`, NotAction of a few services, long `service:*` lists, a Deny beside them) as a
 * customer-managed policy updated in place (6,144 characters) or as a user's inline policy (2,048 together); random
 * reports listing every catalog service, some in use with their tracked actions scattered between used and never
 * used, and sometimes an action newer than the catalog in use. Checked:
 *   1. every proposed document meets its limit (or the finding says the input itself does not);
 *   2. nothing is allowed that was not, and the Deny stays;
 *   3. every action used within the threshold, and the uncatalogued one in use, is still allowed;
 * and that most cases are trimmed (a search that kept everything would pass 1–3 and say nothing).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../../src/catalog/catalog.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { AWS_LIMITS, fitsInlineAggregate, policySize } from '../../src/policy/index.js';
import { recommendWith } from '../../src/recommend.js';
import type { ServiceLastAccessed, SnapshotPolicy } from '../../src/snapshot/types.js';
import { decide } from '../policy/oracle.js';
import { customerManaged, daysBefore, doc, inline, snapshot } from '../support/snapshots.js';
import { afterSet, beforeSet } from '../support/pipeline.js';

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCatalog();
});

const DENY = { Sid: 'Guard', Effect: 'Deny', Action: ['organizations:LeaveOrganization'], Resource: '*' };
const req = (action: string) => ({ action, resource: '*', context: {} });

interface Case {
  readonly seed: number;
  readonly shape: 'star' | 'notaction' | 'services';
  readonly kind: 'in-place' | 'inline';
  readonly inUse: number;
  readonly future: boolean;
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  seed: fc.nat(),
  shape: fc.constantFrom('star', 'notaction', 'services'),
  kind: fc.constantFrom('in-place', 'inline'),
  inUse: fc.integer({ min: 1, max: 45 }),
  future: fc.boolean(),
});

/** a deterministic pick from the seed (the catalog is loaded after fast-check builds its arbitraries) */
const picker = (seed: number) => {
  let x = seed || 1;
  return (n: number): number => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x % n;
  };
};

function build(c: Case): { policy: SnapshotPolicy; services: ServiceLastAccessed[]; used: string[]; future?: string } {
  const pick = picker(c.seed);
  const all = catalog.services;
  const inUse = new Set(Array.from({ length: c.inUse }, () => all[pick(all.length)] as string));
  const statement =
    c.shape === 'star'
      ? { Effect: 'Allow', Action: '*', Resource: '*' }
      : c.shape === 'notaction'
        ? { Effect: 'Allow', NotAction: Array.from({ length: 3 }, () => `${all[pick(all.length)]}:*`), Resource: '*' }
        : { Effect: 'Allow', Action: [...new Set([...inUse, ...Array.from({ length: 60 }, () => all[pick(all.length)] as string)])].map((s) => `${s}:*`), Resource: '*' };
  const document = doc(statement, DENY);
  const used: string[] = [];
  const futureService = [...inUse][0];
  const services = all.map((ns): ServiceLastAccessed => {
    if (!inUse.has(ns)) return { ServiceName: ns, ServiceNamespace: ns, TotalAuthenticatedEntities: 0 };
    const tracked = (catalog.actionsOf(ns) ?? []).map((a) => {
      const yes = pick(3) === 0;
      if (yes) used.push(a.id);
      return { ActionName: a.name, ...(yes ? { LastAccessedTime: daysBefore(2) } : {}) };
    });
    if (c.future && ns === futureService) tracked.push({ ActionName: 'FutureFeatureNotInCatalog', LastAccessedTime: daysBefore(1) });
    return { ServiceName: ns, ServiceNamespace: ns, LastAuthenticated: daysBefore(2), TotalAuthenticatedEntities: 1, TrackedActionsLastAccessed: tracked };
  });
  const policy = c.kind === 'in-place' ? customerManaged('broad', document, 1) : inline('broad', document);
  return { policy, services, used, ...(c.future && futureService ? { future: `${futureService}:FutureFeatureNotInCatalog` } : {}) };
}

describe('fitting near the size limits (iam-simulate oracle, full catalog)', () => {
  it('proposals meet their limit, allow nothing new, and keep every action in use', () => {
    let trimmed = 0;
    fc.assert(
      fc.property(caseArb, (c) => {
        const { policy, services, used, future } = build(c);
        const rec = recommendWith({ catalog, toolVersion: 'test', snapshot: snapshot({ type: c.kind === 'inline' ? 'user' : 'role', policies: [policy], services }) });
        const p = rec.policies[0];
        const docs = p?.proposed.map((d) => d.document) ?? [];
        const inputOver = rec.inputOverLimits.length > 0;
        if (c.kind === 'in-place') for (const d of docs) if (!inputOver) expect(policySize(d)).toBeLessThanOrEqual(AWS_LIMITS.managedPolicy);
        if (c.kind === 'inline' && !inputOver) expect(fitsInlineAggregate('user', docs).fits).toBe(true);
        const before = beforeSet(rec);
        const after = afterSet(rec);
        for (const a of used) if (decide(before, req(a)) === 'Allowed') expect(decide(after, req(a)), `used ${a}`).toBe('Allowed');
        if (future) expect(decide(after, req(future)), future).toBe(decide(before, req(future)));
        expect(decide(after, req('organizations:LeaveOrganization'))).toBe('ExplicitlyDenied');
        const sample = catalog.all().filter((_, i) => i % 97 === c.seed % 97);
        for (const a of sample) if (decide(after, req(a.id)) === 'Allowed') expect(decide(before, req(a.id)), `newly allowed ${a.id}`).toBe('Allowed');
        if (p?.action !== 'keep') trimmed++;
      }),
      { numRuns: 40 },
    );
    // the property says something only if most cases are trimmed, not all kept for size
    expect(trimmed).toBeGreaterThan(20);
  });
});
