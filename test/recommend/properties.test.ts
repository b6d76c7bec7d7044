/**
 * Property tests of the whole recommend pipeline with iam-simulate (AGPL, tests only) as the oracle. Random snapshots
 * (inline, customer-managed, shared and AWS-managed policies; Allow and Deny, Action and NotAction, wildcards, unknown
 * actions, Resource and NotResource, Conditions; random ACTION_LEVEL reports and principal ages) over the small test
 * catalog, every request of a fixed grid. Checked, for the principal's whole policy set before and after:
 *   1. nothing is allowed that was not allowed before;
 *   2. every explicit deny stays an explicit deny;
 *   3. every request allowed before whose action the analysis keeps (used within the window, untracked, absent from
 *      the report, never-remove, window too short…) is still allowed: used actions stay allowed on their resources.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recommendWith } from '../../src/recommend.js';
import type { Recommendation } from '../../src/render/recommendation.js';
import type { ServiceLastAccessed, SnapshotPolicy } from '../../src/snapshot/types.js';
import type { PolicyDocument } from '../../src/policy/types.js';
import { docArb, expectNarrowedSafely, SERVICES, whenArb } from '../support/policy-arbitraries.js';
import { awsManaged, catalog, customerManaged, daysBefore, inline, snapshot, T, tracked, unusedService, usedService } from '../support/snapshots.js';

/** how old the default version of a managed policy is: unknown (older snapshots), recent, or old */
const versionAgeArb = fc.constantFrom<number | undefined>(undefined, undefined, 3, 60, 100, 500);

const policyArb = fc.tuple(fc.constantFrom('inline', 'own', 'shared', 'aws'), docArb, fc.nat(), versionAgeArb).map(([kind, d, n, age]): SnapshotPolicy => {
  const name = `p${n % 1000}`;
  if (kind === 'inline') return inline(name, d);
  const dated = age === undefined ? {} : { DefaultVersionCreateDate: daysBefore(age) };
  if (kind === 'aws') return { ...awsManaged(name, d), ...dated };
  return { ...customerManaged(name, d, kind === 'own' ? 1 : 3), ...dated };
});

/** days from a managed policy's default version to the reference time, when the snapshot has the date */
const versionAge = (p: SnapshotPolicy): number | undefined =>
  p.Kind === 'managed' && p.DefaultVersionCreateDate !== undefined ? (Date.parse(T) - Date.parse(p.DefaultVersionCreateDate)) / 86_400_000 : undefined;


const serviceArb = (ns: string): fc.Arbitrary<ServiceLastAccessed | undefined> =>
  fc.oneof(
    fc.constant(undefined),
    fc.constant(unusedService(ns)),
    fc.tuple(whenArb, fc.array(fc.tuple(fc.constantFrom(...(catalog.actionsOf(ns) ?? []).map((a) => a.name)), whenArb, fc.boolean()), { maxLength: 4 })).map(
      ([when, list]) => {
        const names = new Map(list.map(([name, t, prefixed]) => [name, tracked(prefixed ? `${ns}:${name}` : name, t === undefined ? undefined : daysBefore(t))]));
        const last = [when, ...list.map(([, t]) => t)].filter((t): t is number => t !== undefined);
        return last.length === 0 ? unusedService(ns) : usedService(ns, daysBefore(Math.min(...last)), names.size ? [...names.values()] : undefined);
      },
    ),
  );

const caseArb = fc.record({
  policies: fc.uniqueArray(policyArb, { minLength: 1, maxLength: 3, selector: (p) => p.PolicyName }),
  services: fc.tuple(...SERVICES.map(serviceArb)),
  young: fc.constantFrom(false, false, false, false, true),
  unusedDays: fc.constantFrom(30, 90, 180),
});

const merged = (docs: readonly PolicyDocument[]): PolicyDocument => ({ Version: '2012-10-17', Statement: docs.flatMap((d) => d.Statement) });

function verdictOf(rec: Recommendation, action: string): 'keep' | 'remove' | undefined {
  const id = catalog.lookup(action)?.id;
  if (!id) return undefined;
  const own = rec.decisions.find((d) => d.scope === 'action' && d.subject === id);
  return (own ?? rec.decisions.find((d) => d.scope === 'service' && d.subject === id.split(':')[0]))?.verdict;
}

describe('recommend never grants more, keeps denies and keeps what is used (iam-simulate oracle)', () => {
  it('holds over random snapshots', () => {
    const tally = { cases: 0, reduced: 0, keptAllowed: 0, denied: 0, recentHeld: 0 };
    fc.assert(
      fc.property(caseArb, (c) => {
        const snap = snapshot({
          policies: c.policies,
          services: c.services.filter((s): s is ServiceLastAccessed => s !== undefined),
          ...(c.young ? { createDate: daysBefore(40) } : {}),
        });
        const rec = recommendWith({ snapshot: snap, catalog, toolVersion: 'test', unusedDays: c.unusedDays });
        const before = merged(rec.policies.map((p) => p.original));
        const after = merged(rec.policies.flatMap((p) => p.proposed.map((d) => d.document)));
        tally.cases++;
        if (rec.outcome === 'reductions-recommended') tally.reduced++;
        // a customer-managed policy whose version is younger than the threshold loses nothing
        c.policies.forEach((p, i) => {
          const age = versionAge(p);
          if (p.Kind !== 'managed' || p.ManagedBy !== 'customer' || age === undefined || age >= c.unusedDays) return;
          const plan = rec.policies[i];
          expect(plan?.action, `${p.PolicyName}: version ${age} days old`).toBe('keep');
          expect(plan?.removed).toEqual({ wholeServices: [], actions: [] });
          if (plan?.reason === 'policy-version-too-recent') tally.recentHeld++;
        });
        expectNarrowedSafely(before, after, { test: (action) => verdictOf(rec, action) === 'keep', why: 'kept action' }, tally);
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 150) },
    );
    // the generators reach every property, not just the trivial cases
    expect(tally.reduced).toBeGreaterThan(30);
    expect(tally.keptAllowed).toBeGreaterThan(100);
    expect(tally.denied).toBeGreaterThan(100);
    expect(tally.recentHeld).toBeGreaterThan(5);
  });
});
