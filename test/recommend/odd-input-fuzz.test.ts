/**
 * Odd but valid snapshots never crash: a user with group policies, AWS-managed, shared and boundary policies, Deny
 * with NotAction, service-prefix wildcards, unknown patterns, reports naming uncatalogued services, duplicate and
 * prefixed ActionNames, dates with offsets, --as-of and configs. recommend either succeeds (and renders) or rejects
 * the input with a one-line input/usage error; an internal self-check failure or a non-leastpriv exception is a bug.
 * Every success is checked with iam-simulate: nothing new allowed, no explicit deny lifted.
 */
import { Ajv } from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLeastprivError } from '../../src/errors.js';
import type { PolicyDocument } from '../../src/policy/types.js';
import { renderFiles } from '../../src/render/files.js';
import { RECOMMENDATION_SCHEMA } from '../../src/render/recommendation-schema.js';
import type { ServiceLastAccessed, SnapshotPolicy } from '../../src/snapshot/types.js';
import { decide } from '../policy/oracle.js';
import { ACCOUNT, awsManaged, catalog, customerManaged, inline, snapshot, T } from '../support/snapshots.js';
import { afterSet, beforeSet, run } from '../support/pipeline.js';

const ACTIONS = catalog.all().map((a) => a.id);
const validateRecommendation = new Ajv({ strict: false }).compile(RECOMMENDATION_SCHEMA);
const pattern = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...ACTIONS) },
  // no wildcard in a service prefix (`*:Get*`): iam-simulate reads those literally, leastpriv as full-id globs (as IAM
  // does), so the oracle cannot judge them; statements.test.ts covers them
  { weight: 2, arbitrary: fc.constantFrom('*', 's3:*', 'iam:*', 's3:Get*', 'sqs:*Message', 'ec2:?unInstances') },
  { weight: 1, arbitrary: fc.constantFrom('newsvc:*', 'newsvc:DoThing', 's3:FutureFeature', 'S3:GETOBJECT') },
);
const statement = fc.record(
  {
    Sid: fc.constantFrom('A', 'B', 'Deny1', 'x'),
    Effect: fc.constantFrom('Allow', 'Allow', 'Deny'),
    kind: fc.constantFrom('Action', 'Action', 'NotAction'),
    actions: fc.array(pattern, { minLength: 1, maxLength: 4 }),
    resource: fc.constantFrom<string | string[]>('*', 'arn:aws:s3:::alpha', ['arn:aws:s3:::alpha', 'arn:aws:sqs:*']),
    notResource: fc.boolean(),
    condition: fc.constantFrom(undefined, { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } }),
  },
  { requiredKeys: ['Effect', 'kind', 'actions', 'resource', 'notResource'] },
);
const document = fc.array(statement, { minLength: 0, maxLength: 3 }).map(
  (ss): PolicyDocument =>
    ({
      Version: '2012-10-17',
      Statement: ss.map((s) => ({
        ...(s.Sid ? { Sid: s.Sid } : {}),
        Effect: s.Effect,
        [s.kind]: s.actions.length === 1 ? s.actions[0] : s.actions,
        [s.notResource ? 'NotResource' : 'Resource']: s.resource,
        ...(s.condition ? { Condition: s.condition } : {}),
      })),
    }) as PolicyDocument,
);
const group = (g: string) => ({ Type: 'group' as const, GroupName: g, GroupArn: `arn:aws:iam::${ACCOUNT}:group/${g}` });
const policy = fc
  .tuple(fc.constantFrom('inline', 'own', 'shared', 'aws', 'boundary'), fc.constantFrom('p', 'P', 'p-trimmed-for-app', 'q'), document, fc.constantFrom(undefined, 'devs', 'ops'))
  .map(([kind, name, d, g]): SnapshotPolicy => {
    const base =
      kind === 'inline'
        ? inline(name, d)
        : kind === 'aws'
          ? awsManaged(name, d)
          : { ...customerManaged(name, d, kind === 'shared' ? 4 : 1), ...(kind === 'boundary' ? { PermissionsBoundaryUsageCount: 2 } : {}) };
    return g ? { ...base, Source: group(g) } : base;
  });
const iso = (daysAgo: number, offset: string) => {
  const d = new Date(Date.parse(T) - daysAgo * 86_400_000);
  if (offset === 'Z') return d.toISOString();
  const shifted = new Date(d.getTime() + 5.5 * 3_600_000).toISOString().slice(0, 19);
  return `${shifted}+05:30`;
};
const when = fc.option(fc.tuple(fc.constantFrom(1, 30, 89, 90, 91, 200, 399), fc.constantFrom('Z', '+05:30')), { nil: undefined });
const service = fc
  .tuple(fc.constantFrom('s3', 'ec2', 'iam', 'sqs', 'kms', 'newsvc', 'S3'), when, fc.array(fc.tuple(fc.constantFrom('CreateBucket', 's3:createbucket', 'GetObject', 'FutureFeature', 'RunInstances'), when), { maxLength: 3 }))
  .map(([ns, last, tracked]): ServiceLastAccessed => ({
    ServiceName: ns,
    ServiceNamespace: ns,
    ...(last ? { LastAuthenticated: iso(...last), LastAuthenticatedRegion: 'eu-west-1' } : {}),
    TotalAuthenticatedEntities: last ? 1 : 0,
    ...(tracked.length ? { TrackedActionsLastAccessed: tracked.map(([n, w]) => ({ ActionName: n, ...(w ? { LastAccessedTime: iso(...w) } : {}) })) } : {}),
  }));

const caseArb = fc.record({
  user: fc.boolean(),
  policies: fc.array(policy, { maxLength: 4 }),
  services: fc.uniqueArray(service, { maxLength: 5, selector: (s) => s.ServiceNamespace.toLowerCase() }),
  createdDaysAgo: fc.constantFrom(10, 100, 1000),
  asOf: fc.constantFrom(undefined, '2026-11-01', '2026-11-20T12:00:00+00:00'),
  config: fc.constantFrom<object | undefined>(undefined, { neverRemove: ['s3:Get*', 'newsvc:DoThing'] }, { serviceThresholds: { s3: 30, ec2: 365 }, sharedPolicies: 'keep' }),
});

describe('odd but valid input', () => {
  it('never crashes and never widens', () => {
    let ok = 0;
    fc.assert(
      fc.property(caseArb, (c) => {
        const policies = c.user ? c.policies : c.policies.map((p) => ({ ...p, Source: { Type: 'principal' as const } }));
        const snap = snapshot({ policies, services: c.services, type: c.user ? 'user' : 'role', createDate: new Date(Date.parse(T) - c.createdDaysAgo * 86_400_000).toISOString() });
        let rec;
        try {
          rec = run({ snapshot: snap, ...(c.asOf ? { asOf: c.asOf } : {}), ...(c.config ? { config: c.config } : {}) });
          const json = JSON.parse(renderFiles(rec).get('recommendation.json') ?? '{}') as unknown;
          expect(validateRecommendation(json), JSON.stringify(validateRecommendation.errors)).toBe(true);
        } catch (e) {
          if (isLeastprivError(e) && (e.kind === 'input' || e.kind === 'usage')) return;
          throw e;
        }
        ok++;
        // replacements are new managed policies: their names must be free (case-insensitively) in the account
        const replacementNames = rec.policies.filter((p) => p.action === 'replace').flatMap((p) => p.proposed.map((d) => d.name.toLowerCase()));
        const existing = new Set(rec.policies.filter((p) => p.kind === 'managed').map((p) => p.policyName.toLowerCase()));
        expect(new Set(replacementNames).size).toBe(replacementNames.length);
        for (const n of replacementNames) expect(existing.has(n), n).toBe(false);
        const files = rec.policies.flatMap((p) => p.proposed.map((d) => d.file.toLowerCase()));
        expect(new Set(files).size).toBe(files.length);
        const kept = (action: string): boolean => {
          const own = rec.decisions.find((d) => d.scope === 'action' && d.subject === action);
          return (own ?? rec.decisions.find((d) => d.scope === 'service' && d.subject === action.split(':')[0]))?.verdict === 'keep';
        };
        const before = beforeSet(rec);
        const after = afterSet(rec);
        for (const action of [...ACTIONS, 'newsvc:DoThing', 's3:FutureFeature']) {
          for (const resource of ['arn:aws:s3:::alpha', 'arn:aws:sqs:eu-west-1:1:q']) {
            for (const context of [{}, { 'aws:RequestedRegion': 'us-east-1' }] as Record<string, string>[]) {
              const was = decide(before, { action, resource, context });
              const now = decide(after, { action, resource, context });
              if (now === 'Allowed') expect(was, `${action} newly allowed`).toBe('Allowed');
              if (was === 'ExplicitlyDenied') expect(now, `${action} deny lifted`).toBe('ExplicitlyDenied');
              // catalog actions only: an uncatalogued action of a partly trimmed service is given up by design
              if (was === 'Allowed' && ACTIONS.includes(action) && kept(action)) expect(now, `${action} kept but no longer allowed`).toBe('Allowed');
            }
          }
        }
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 300) },
    );
    expect(ok).toBeGreaterThan(150);
  });
});
