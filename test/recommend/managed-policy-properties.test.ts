/**
 * Property test of a managed policy as the subject, with iam-simulate (AGPL, tests only) as the oracle. Random use of
 * the catalog's actions by each entity the policy is attached to (a group's use is its member's), folded into one
 * report the way AWS does (a service's and a tracked action's last use is the latest by any entity; EntityDetails
 * lists each entity's), over a random customer-managed or AWS-managed document. Checked, for the original against
 * every proposed document together:
 *   1. every request allowed before whose action some entity used within the threshold is still allowed;
 *   2. nothing is allowed that was not allowed before;
 *   3. the Deny statements are byte for byte those of the original.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../src/policy/types.js';
import type { EntityDetails, ServiceLastAccessed, TrackedActionLastAccessed } from '../../src/snapshot/types.js';
import { afterSet, beforeSet, run } from '../support/pipeline.js';
import { ACTIONS, docArb, expectNarrowedSafely, SERVICES, whenArb } from '../support/policy-arbitraries.js';
import {
  ACCOUNT,
  attachedGroup,
  attachedRole,
  attachedUser,
  catalog,
  daysBefore,
  groupMember,
  managedPolicyRec,
  policySubjectSnapshot,
  unusedService,
} from '../support/snapshots.js';

/** who can use the policy: the role and the user themselves, the group through its member */
const ENTITIES = [
  { entity: (age: number) => attachedRole('worker', daysBefore(age)), user: { Type: 'ROLE', Name: 'worker', Arn: `arn:aws:iam::${ACCOUNT}:role/worker` } },
  { entity: (age: number) => attachedUser('dana', daysBefore(age)), user: { Type: 'USER', Name: 'dana', Arn: `arn:aws:iam::${ACCOUNT}:user/dana` } },
  {
    entity: (age: number) => attachedGroup('oncall', [groupMember('erin', daysBefore(age))], daysBefore(age)),
    user: { Type: 'USER', Name: 'erin', Arn: `arn:aws:iam::${ACCOUNT}:user/erin` },
  },
] as const;

/** which entities the policy is attached to, each one's age, and the actions each used how many days ago */
const entityArb = fc.record({
  which: fc.integer({ min: 0, max: ENTITIES.length - 1 }),
  age: fc.constantFrom(1000, 1000, 1000, 40),
  uses: fc.array(fc.tuple(fc.constantFrom(...ACTIONS), whenArb), { maxLength: 6 }),
});

const caseArb = fc.record({
  managedBy: fc.constantFrom('customer', 'aws'),
  document: docArb,
  entities: fc.uniqueArray(entityArb, { minLength: 1, maxLength: ENTITIES.length, selector: (e) => e.which }),
  /** the actions AWS tracks at action level: the others are judged by their service's last use */
  tracked: fc.subarray(ACTIONS),
  /** services the report lists though no entity used them (never used: removable) */
  listedUnused: fc.subarray([...SERVICES]),
  unusedDays: fc.constantFrom(30, 90, 180),
});
type Case = typeof caseArb extends fc.Arbitrary<infer C> ? C : never;

const prefix = (action: string): string => action.slice(0, action.indexOf(':'));
const latest = (days: readonly number[]): number | undefined => (days.length ? Math.min(...days) : undefined);

/** the policy's report, as AWS folds every entity's use into it */
function report(c: Case): { services: ServiceLastAccessed[]; entityDetails: Record<string, EntityDetails[]> } {
  const used = c.entities.flatMap((e) => e.uses.filter((u): u is [string, number] => u[1] !== undefined).map(([action, days]) => ({ e, action, days })));
  const services: ServiceLastAccessed[] = [];
  const entityDetails: Record<string, EntityDetails[]> = {};
  for (const ns of SERVICES) {
    const inService = used.filter((u) => prefix(u.action) === ns);
    const last = latest(inService.map((u) => u.days));
    if (last === undefined) {
      if (c.listedUnused.includes(ns)) services.push(unusedService(ns));
      continue;
    }
    const tracked = c.tracked
      .filter((a) => prefix(a) === ns)
      .map((a): TrackedActionLastAccessed => {
        const t = latest(inService.filter((u) => u.action === a).map((u) => u.days));
        return t === undefined ? { ActionName: a.slice(ns.length + 1) } : { ActionName: a.slice(ns.length + 1), LastAccessedTime: daysBefore(t) };
      });
    services.push({
      ServiceName: catalog.serviceName(ns),
      ServiceNamespace: ns,
      LastAuthenticated: daysBefore(last),
      TotalAuthenticatedEntities: new Set(inService.map((u) => u.e.which)).size,
      ...(tracked.length ? { TrackedActionsLastAccessed: tracked } : {}),
    });
    entityDetails[ns] = c.entities.map((e) => {
      const { user } = ENTITIES[e.which]!;
      const t = latest(inService.filter((u) => u.e === e).map((u) => u.days));
      return { EntityInfo: { Arn: user.Arn, Name: user.Name, Type: user.Type, Id: `ID${user.Name.toUpperCase()}` }, ...(t === undefined ? {} : { LastAuthenticated: daysBefore(t) }) };
    });
  }
  return { services, entityDetails };
}

/** the actions some entity used within the threshold: the proposal must keep allowing them */
const usedWithin = (c: Case): Set<string> =>
  new Set(c.entities.flatMap((e) => e.uses.filter(([, days]) => days !== undefined && days <= c.unusedDays).map(([a]) => a.toLowerCase())));

const denies = (docs: readonly PolicyDocument[]): string[] => docs.flatMap((d) => d.Statement.filter((s) => s.Effect === 'Deny').map((s) => JSON.stringify(s))).sort();

describe('a managed policy keeps what any entity used, grants no more and keeps its denies (iam-simulate oracle)', () => {
  it('holds over random entity use', () => {
    const tally = { cases: 0, reduced: 0, keptAllowed: 0, denied: 0, aws: 0, customer: 0 };
    fc.assert(
      fc.property(caseArb, (c) => {
        const { services, entityDetails } = report(c);
        const snap = policySubjectSnapshot({
          managedBy: c.managedBy,
          document: c.document,
          entities: c.entities.map((e) => ENTITIES[e.which]!.entity(e.age)),
          services,
          entityDetails,
        });
        const rec = managedPolicyRec(run({ snapshot: snap, unusedDays: c.unusedDays }));
        tally.cases++;
        if (rec.policies.some((p) => p.action !== 'keep')) {
          tally.reduced++;
          tally[c.managedBy]++;
        }
        const before = beforeSet(rec);
        const after = afterSet(rec);
        expect(denies(rec.policies.flatMap((p) => p.proposed.map((d) => d.document)))).toEqual(denies([c.document]));
        const used = usedWithin(c);
        expectNarrowedSafely(before, after, { test: (action) => used.has(action.toLowerCase()), why: `used within ${c.unusedDays} days` }, tally);
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 100) },
    );
    // the generators reach every property, both kinds of policy trimmed, not just the trivial cases
    expect(tally.reduced).toBeGreaterThan(20);
    expect(tally.aws).toBeGreaterThan(5);
    expect(tally.customer).toBeGreaterThan(5);
    expect(tally.keptAllowed).toBeGreaterThan(100);
    expect(tally.denied).toBeGreaterThan(50);
  });
});
