/**
 * Property test of SCP trimming with iam-simulate (AGPL, tests only) evaluating the SCP's content before and after:
 * random allow-lists (`service:*` lists, `*`, Action lists with a wildcard), a Deny beside them, random reports
 * (each service used within the threshold, used long ago, never, or absent) and random account join dates.
 *   1. every action of a service any account used within N days that the SCP allowed is still allowed;
 *   2. nothing is allowed that was not, and the Deny stays in force;
 *   3. with a young account, or a report that does not cover the targets, nothing changes at all.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../../src/catalog/catalog.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { recommendWith } from '../../src/recommend.js';
import { decide } from '../policy/oracle.js';
import { afterSet, beforeSet } from '../support/pipeline.js';

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCatalog();
});

const T = '2026-11-20T12:00:00.000Z';
const ago = (days: number): string => new Date(Date.parse(T) - days * 86_400_000).toISOString();
const SERVICES = ['ec2', 's3', 'lambda', 'dynamodb', 'sqs', 'sns', 'kinesis', 'redshift', 'logs', 'kms', 'iam', 'glue'];
const ROOT = 'o-abcdefghij/r-ab12';
const OU = `${ROOT}/ou-ab12-workload1`;
const req = (action: string) => ({ action, resource: '*', context: {} });

const usageArb = fc.constantFrom<'recent' | 'old' | 'never' | 'absent'>('recent', 'old', 'never', 'absent');
const caseArb = fc.record({
  shape: fc.constantFrom('list', 'star', 'prefixes'),
  listed: fc.subarray(SERVICES, { minLength: 1 }),
  usage: fc.array(usageArb, { minLength: SERVICES.length, maxLength: SERVICES.length }),
  joinedDaysAgo: fc.constantFrom(30, 200, 700),
  reportAt: fc.constantFrom('root', 'root', 'root', 'ou-below'),
});

describe('SCP trimming (iam-simulate oracle over the content)', () => {
  it('keeps every service in use, allows nothing new, keeps the Deny, and holds when the data cannot prove', () => {
    let trimmed = 0;
    fc.assert(
      fc.property(caseArb, (c) => {
        const allow =
          c.shape === 'star' ? '*' : c.shape === 'prefixes' ? c.listed.map((s) => `${s}:${s === 's3' ? 'Get*' : '*'}`) : c.listed.map((s) => `${s}:*`);
        const content = {
          Version: '2012-10-17',
          Statement: [
            { Sid: 'Allowed', Effect: 'Allow', Action: allow, Resource: '*' },
            { Sid: 'Guard', Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' },
          ],
        };
        const details = SERVICES.flatMap((ns, i) => {
          const u = c.usage[i];
          if (u === 'absent') return [];
          const base = { ServiceName: ns, ServiceNamespace: ns };
          if (u === 'never') return [{ ...base, TotalAuthenticatedEntities: 0 }];
          return [{ ...base, LastAuthenticatedTime: ago(u === 'recent' ? 3 : 200), Region: 'eu-west-1', EntityPath: `${OU}/222233334444`, TotalAuthenticatedEntities: 1 }];
        });
        const snapshot = {
          schemaVersion: 2,
          subject: {
            Kind: 'scp',
            organization: { Id: 'o-abcdefghij', RootId: 'r-ab12', ManagementAccountId: '111122223333' },
            policy: { Id: 'p-allowlist01', Name: 'allowed', AwsManaged: false, Content: content },
            targets: [{ TargetId: 'ou-ab12-workload1', Type: 'ORGANIZATIONAL_UNIT', Path: OU }],
            accounts: [{ Id: '222233334444', Name: 'app', Path: `${OU}/222233334444`, JoinedTimestamp: ago(c.joinedDaysAgo) }],
          },
          report: {
            Kind: 'organizations-access',
            EntityPath: c.reportAt === 'root' ? ROOT : `${OU}/222233334444`,
            OrganizationsPolicyId: 'p-allowlist01',
            JobStatus: 'COMPLETED',
            JobCreationDate: ago(0.01),
            JobCompletionDate: T,
            AccessDetails: details,
          },
          collection: { Source: 'hand-written', ToolVersion: 'test', CatalogVersion: catalog.version },
        };
        const rec = recommendWith({ snapshot, catalog, toolVersion: 'test' });
        const before = beforeSet(rec);
        const after = afterSet(rec);
        SERVICES.forEach((ns, i) => {
          if (c.usage[i] !== 'recent' && c.usage[i] !== 'absent') return;
          for (const a of (catalog.actionsOf(ns) ?? []).slice(0, 25)) {
            if (decide(before, req(a.id)) === 'Allowed') expect(decide(after, req(a.id)), `${c.usage[i]} ${a.id}`).toBe('Allowed');
          }
        });
        for (const a of catalog.all().filter((_, i) => i % 53 === 0)) {
          if (decide(after, req(a.id)) === 'Allowed') expect(decide(before, req(a.id)), `newly allowed ${a.id}`).toBe('Allowed');
        }
        expect(decide(after, req('organizations:LeaveOrganization'))).toBe('ExplicitlyDenied');
        if (c.joinedDaysAgo < 90 || c.reportAt !== 'root') expect(rec.policies[0]?.action).toBe('keep');
        if (rec.policies[0]?.action === 'update') trimmed++;
      }),
      { numRuns: 60 },
    );
    expect(trimmed).toBeGreaterThan(10);
  });
});
