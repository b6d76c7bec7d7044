import { beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../../src/catalog/catalog.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { compactActions, compactPolicy, expandPatterns } from '../../src/policy/index.js';
import { tinyCatalog } from './helpers.js';

describe('compactActions on a small catalog', () => {
  it('uses the narrowest wildcard that covers exactly a group of kept actions', () => {
    const r = compactActions(tinyCatalog, ['s3:GetObject', 's3:GetObjectAcl', 's3:GetObjectTagging', 's3:ListBucket']);
    expect(r.actions).toEqual(['s3:GetObject*', 's3:ListBucket']);
    expect(r.introducedWildcards).toEqual(['s3:GetObject*']);
  });

  it('never introduces a wildcard that reaches an action outside the set', () => {
    // s3:Get* would also match s3:GetBucketPolicy, which is not kept
    const r = compactActions(tinyCatalog, ['s3:GetObject', 's3:GetObjectAcl', 's3:GetObjectTagging', 's3:PutObject']);
    expect(r.actions).toEqual(['s3:GetObject*', 's3:PutObject']);
    expect(expandPatterns(tinyCatalog, r.actions).actions).toEqual(['s3:GetObject', 's3:GetObjectAcl', 's3:GetObjectTagging', 's3:PutObject']);
  });

  it('turns a whole service into service:* and passes unknown actions through verbatim', () => {
    const iam = tinyCatalog.actionsOf('iam')!.map((a) => a.id);
    const r = compactActions(tinyCatalog, [...iam, 'newsvc:DoThing', 's3:DeleteObject']);
    expect(r.actions).toEqual(['iam:*', 'newsvc:DoThing', 's3:DeleteObject']);
    expect(r.introducedWildcards).toEqual(['iam:*']);
  });

  it('does not report a wildcard the input already held as introduced (an original pattern kept as written)', () => {
    const r = compactActions(tinyCatalog, ['s3:getobject*', 's3:GetObject', 's3:GetObjectAcl', 's3:GetObjectTagging', 's3:PutObject']);
    expect(r.actions).toEqual(['s3:PutObject', 's3:getobject*']);
    expect(r.introducedWildcards).toEqual([]);
  });

  it('leaves single actions explicit', () => {
    expect(compactActions(tinyCatalog, ['iam:PassRole', 's3:ListAllMyBuckets'])).toEqual({ actions: ['iam:PassRole', 's3:ListAllMyBuckets'], introducedWildcards: [] });
  });
});

describe('compactPolicy', () => {
  it('compacts Allow Action lists only and keeps everything else of the statement', () => {
    const doc = {
      Version: '2012-10-17' as const,
      Statement: [
        { Sid: 'A', Effect: 'Allow' as const, Action: ['s3:GetObject', 's3:GetObjectAcl', 's3:GetObjectTagging'], Resource: 'arn:aws:s3:::b/*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } },
        { Effect: 'Deny' as const, Action: ['iam:ListRoles', 'iam:ListUsers'], Resource: '*' },
        { Effect: 'Allow' as const, Action: 'iam:PassRole', Resource: '*' },
      ],
    };
    const r = compactPolicy(tinyCatalog, doc);
    expect(r.document.Statement).toEqual([
      { Sid: 'A', Effect: 'Allow', Action: 's3:GetObject*', Resource: 'arn:aws:s3:::b/*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } },
      doc.Statement[1],
      doc.Statement[2],
    ]);
    expect(r.introducedWildcards).toEqual(['s3:GetObject*']);
  });
});

describe('compactActions on the real catalog', () => {
  let catalog: Catalog;
  beforeAll(async () => {
    catalog = await loadCatalog();
  });

  it('re-expands to exactly the input for every service read-only slice', () => {
    const reads = catalog
      .all()
      .filter((a) => a.accessLevel === 'Read' || a.accessLevel === 'List')
      .map((a) => a.id);
    const r = compactActions(catalog, reads);
    expect(r.actions.length).toBeLessThan(reads.length);
    expect(expandPatterns(catalog, r.actions).actions).toEqual([...reads].sort());
  });
});
