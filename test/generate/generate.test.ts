/**
 * The generator per policy kind: inline, customer-managed attached once or shared, AWS-managed, group
 * policies of a user, no Allow left, and AWS size limits (split, compaction, giving up plainly).
 */
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../src/catalog/catalog.js';
import { expandStatement, parsePolicy, policySize } from '../../src/policy/index.js';
import type { PolicyDocument } from '../../src/policy/types.js';
import { recommendWith } from '../../src/recommend.js';
import type { Recommendation } from '../../src/render/recommendation.js';
import type { SnapshotPolicy } from '../../src/snapshot/types.js';
import {
  ACCOUNT,
  CATALOG_UPDATED_AT,
  allow,
  awsManaged,
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

const s3Report = [usedService('s3', daysBefore(1), [tracked('CreateBucket'), tracked('ListBucket', daysBefore(1))])];
const s3Doc = doc(allow(['s3:CreateBucket', 's3:ListBucket']));

function run(o: Partial<SnapshotOptions> & { policies: SnapshotPolicy[] }, config?: unknown): Recommendation {
  return recommendWith({ snapshot: snapshot({ services: s3Report, ...o }), catalog, toolVersion: 'test', ...(config ? { config } : {}) });
}

describe('generator, per policy kind', () => {
  it('inline: the trimmed document replaces it (put-role-policy)', () => {
    const rec = run({ policies: [inline('app', s3Doc)] });
    const p = rec.policies[0];
    expect(p).toMatchObject({ action: 'update', reason: 'inline-trimmed' });
    expect(p?.proposed).toMatchObject([{ name: 'app', kind: 'inline', file: 'policies/app.json', document: doc(allow('s3:ListBucket')) }]);
    expect(p?.removed).toEqual({ wholeServices: [], actions: ['s3:CreateBucket'] });
  });

  it('customer-managed attached only here: a trimmed new version of the same policy', () => {
    const p = run({ policies: [customerManaged('app', s3Doc, 1)] }).policies[0];
    expect(p).toMatchObject({ action: 'update', reason: 'customer-managed-new-version' });
    expect(p?.proposed.map((d) => [d.name, d.kind, d.limit])).toEqual([['app', 'customer-managed', 6144]]);
  });

  it('customer-managed attached elsewhere too: never narrowed in place, replaced by a principal-specific copy', () => {
    const p = run({ policies: [customerManaged('shared', s3Doc, 3)] }).policies[0];
    expect(p).toMatchObject({ action: 'replace', reason: 'shared-policy-replaced' });
    expect(p?.why).toMatch(/Attached to 3 principals/);
    expect(p?.proposed.map((d) => d.name)).toEqual(['shared-trimmed-for-app']);
  });

  it('customer-managed shared, config sharedPolicies "keep": kept, with what would have gone', () => {
    const p = run({ policies: [customerManaged('shared', s3Doc, 3)] }, { sharedPolicies: 'keep' }).policies[0];
    expect(p).toMatchObject({ action: 'keep', reason: 'shared-policy-kept', keptDespiteUnused: { actions: ['s3:CreateBucket'] } });
    expect(p?.proposed[0]?.document).toEqual(s3Doc);
  });

  it('a replacement never reuses the name of one of the principal\'s managed policies', () => {
    const rec = run({ policies: [customerManaged('shared', s3Doc, 3), customerManaged('shared-trimmed-for-app', doc(allow('s3:ListBucket')))] });
    expect(rec.policies[0]?.proposed.map((d) => d.name)).toEqual(['shared-trimmed-for-app-leastpriv']);
  });

  it('AWS-managed with nothing to remove: kept as is', () => {
    const p = run({ policies: [awsManaged('ReadBuckets', doc(allow('s3:ListBucket')))] }).policies[0];
    expect(p).toMatchObject({ action: 'keep', reason: 'nothing-removed' });
    expect(p?.proposed[0]).toMatchObject({ kind: 'aws-managed', name: 'ReadBuckets' });
  });

  it('AWS-managed with something to remove: detach it, attach a new customer-managed policy', () => {
    const rec = run({ policies: [awsManaged('S3Things', s3Doc)] });
    expect(rec.policies[0]).toMatchObject({ action: 'replace', reason: 'aws-managed-replaced' });
    expect(rec.policies[0]?.proposed).toMatchObject([{ name: 'S3Things-trimmed-for-app', kind: 'customer-managed', document: doc(allow('s3:ListBucket')) }]);
    // the copy is the customer's own: what AWS adds to S3Things later does not reach it
    expect(rec.policies[0]?.why).toContain("The copy no longer follows AWS's updates to S3Things: AWS adds actions to its managed policies as services grow, and this copy will not get them.");
  });

  it('no statement left: removal (delete inline, detach managed)', () => {
    const rec = run({ policies: [inline('gone', doc(allow('s3:CreateBucket'))), customerManaged('gone-too', doc(allow('ec2:*')))], services: [...s3Report, unusedService('ec2')] });
    expect(rec.policies.map((p) => [p.action, p.reason])).toEqual([
      ['remove', 'no-statement-left'],
      ['remove', 'no-statement-left'],
    ]);
    expect(rec.policies.flatMap((p) => p.proposed)).toEqual([]);
  });

  it("a user's group policy is shared with the group: kept, listing what would go", () => {
    const group: SnapshotPolicy = {
      ...inline('team', s3Doc),
      Source: { Type: 'group', GroupName: 'team', GroupArn: `arn:aws:iam::${ACCOUNT}:group/team` },
    } as SnapshotPolicy;
    const rec = run({ type: 'user', policies: [group, inline('team', s3Doc)] });
    expect(rec.policies.map((p) => [p.action, p.reason])).toEqual([
      ['keep', 'group-policy-kept'],
      ['update', 'inline-trimmed'],
    ]);
    // two policies named "team": the files are told apart by where they come from
    expect(rec.policies.flatMap((p) => p.proposed.map((d) => d.file))).toEqual(['policies/group-team-inline-team.json', 'policies/inline-team.json']);
  });
});

// ---- size limits, on a catalog whose action names share no useful prefix, so compaction cannot do much ----

const names = Array.from({ length: 1200 }, (_, i) => `Op${((i * 7919) % 1200).toString(36)}x${(i * 104729).toString(36)}Zq`);
const bigCatalog = buildCatalog({
  version: 'big',
  updatedAt: CATALOG_UPDATED_AT,
  services: [{ prefix: 'big', name: 'Big', actions: names.map((name) => ({ name, accessLevel: 'Write' })) }],
});
const used = names.filter((_, i) => i % 2 === 0);
const bigReport = [usedService('big', daysBefore(1), names.map((n, i) => tracked(n, i % 2 === 0 ? daysBefore(1) : undefined)))];

function bigRun(o: Partial<SnapshotOptions> & { policies: SnapshotPolicy[] }): Recommendation {
  return recommendWith({ snapshot: snapshot({ services: bigReport, ...o }), catalog: bigCatalog, toolVersion: 'test' });
}

function granted(docs: readonly PolicyDocument[]): string[] {
  return docs
    .flatMap((d) => {
      const p = parsePolicy(d);
      if (!p.ok) throw new Error('proposal does not parse');
      return p.policy.statements.flatMap((s) => expandStatement(bigCatalog, s).actions);
    })
    .sort();
}

describe('generator, AWS size limits', () => {
  it('splits a replacement larger than 6,144 characters into several managed policies, granting exactly what is kept', () => {
    const rec = bigRun({ policies: [awsManaged('BigAccess', doc(allow('big:*')))] });
    const p = rec.policies[0];
    expect(p?.action).toBe('replace');
    expect(p?.proposed.length).toBeGreaterThan(1);
    p?.proposed.forEach((d, i) => {
      expect(d.name).toBe(`BigAccess-trimmed-for-app-${i + 1}`);
      expect(policySize(d.document)).toBeLessThanOrEqual(6144);
    });
    expect(granted(p?.proposed.map((d) => d.document) ?? [])).toEqual(used.map((n) => `big:${n}`).sort());
  });

  it('never compacts an explicit list into wildcards the original did not grant: splits it instead', () => {
    const explicit = doc(allow(names.map((n) => `big:${n}`)));
    const p = bigRun({ policies: [awsManaged('BigList', explicit)] }).policies[0];
    expect(p?.action).toBe('replace');
    expect(p?.introducedWildcards).toEqual([]);
    const actions = p?.proposed.flatMap((d) => d.document.Statement.flatMap((st) => [st.Action ?? []].flat())) ?? [];
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
    expect(granted(p?.proposed.map((d) => d.document) ?? [])).toEqual(used.map((n) => `big:${n}`).sort());
  });

  it('keeps an in-place customer-managed policy whose trimmed version cannot fit, and says so', () => {
    const rec = bigRun({ policies: [customerManaged('big-own', doc(allow('big:*')))] });
    const p = rec.policies[0];
    expect(p).toMatchObject({ action: 'keep', reason: 'size-limit-kept-original' });
    expect(rec.limits.map((l) => l.code)).toEqual(['managed-policy-too-large']);
    expect(p?.why).toMatch(/cannot be made to fit/);
    expect(p?.keptDespiteUnused.actions.length).toBe(600);
  });

  it('keeps inline policies whose trimmed total exceeds the inline limit, with a limit finding', () => {
    const rec = bigRun({ type: 'user', policies: [inline('big-inline', doc(allow('big:*')))] });
    expect(rec.policies[0]).toMatchObject({ action: 'keep', reason: 'size-limit-kept-original' });
    expect(rec.limits.map((l) => l.code)).toEqual(['inline-aggregate-exceeded']);
    // counts in prose are grouped as everywhere else (explanation.md's "total 32,818 characters")
    expect(rec.limits[0]?.message).toMatch(/^trimmed inline policies would total \d{1,3},\d{3} characters, over the 2,048-character user limit even compacted/);
    expect(rec.policies[0]?.why).toMatch(/total \d{1,3},\d{3} characters, over the 2,048-character inline limit for a user;/);
  });
});
