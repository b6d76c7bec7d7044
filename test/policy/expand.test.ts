import { beforeAll, describe, expect, it, test } from 'vitest';
import type { Catalog } from '../../src/catalog/catalog.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { expandPattern, expandStatement } from '../../src/policy/index.js';
import { policyOf, tinyCatalog } from './helpers.js';

const matched = (pattern: string, catalog: Catalog = tinyCatalog): readonly string[] => {
  const e = expandPattern(catalog, pattern);
  if (e.kind !== 'matched') throw new Error(`${pattern}: expected a match, got ${e.reason}`);
  return e.actions;
};

const statement = (s: object) => policyOf({ Version: '2012-10-17', Statement: [s] }).statements[0]!;

describe('expandPattern on a small catalog', () => {
  test.each([
    { pattern: 's3:GetObject', expected: ['s3:GetObject'] },
    { pattern: 'S3:getobject', expected: ['s3:GetObject'] },
    { pattern: 's3:Get*', expected: ['s3:GetBucketPolicy', 's3:GetObject', 's3:GetObjectAcl', 's3:GetObjectTagging'] },
    { pattern: 's3:get*acl', expected: ['s3:GetObjectAcl'] },
    { pattern: 's3:?etObject', expected: ['s3:GetObject'] },
    { pattern: 's3:GetObject???', expected: ['s3:GetObjectAcl'] },
    { pattern: 'iam:*', expected: ['iam:CreateUser', 'iam:GetRole', 'iam:GetUser', 'iam:ListRoles', 'iam:ListUsers', 'iam:PassRole'] },
    { pattern: 'iam:List*', expected: ['iam:ListRoles', 'iam:ListUsers'] },
    // wildcard in the service prefix: matched against full ids of the whole catalog (IAM's behaviour)
    { pattern: '*:GetObject', expected: ['mediastore:GetObject', 's3:GetObject'] },
    { pattern: 's3*:Get*Policy', expected: ['s3:GetBucketPolicy', 's3express:GetBucketPolicy'] },
    { pattern: '*:list*s', expected: ['iam:ListRoles', 'iam:ListUsers', 'mediastore:ListItems', 's3:ListAllMyBuckets'] },
  ])('$pattern', ({ pattern, expected }) => {
    expect(matched(pattern)).toEqual(expected);
  });

  it('expands * and *:* to the whole catalog, sorted', () => {
    const all = tinyCatalog.all().map((a) => a.id).sort();
    expect(matched('*')).toEqual(all);
    expect(matched('*:*')).toEqual(all);
  });

  test.each([
    { pattern: 's3:Get[*', reason: 'unknown-action' },
    { pattern: 's3:Get(Object', reason: 'unknown-action' },
    { pattern: 's3:.*', reason: 'unknown-action' },
    { pattern: 's3:Get\\*', reason: 'unknown-action' },
    { pattern: 's3:GetObjectV2', reason: 'unknown-action' },
    { pattern: 's3:Zzz*', reason: 'unknown-action' },
    { pattern: 'newsvc:DoThing', reason: 'unknown-service' },
    { pattern: 'newsvc:*', reason: 'unknown-service' },
    { pattern: 'x*:GetObject', reason: 'unknown-service' },
    { pattern: 's3*:Frobnicate', reason: 'unknown-action' },
    { pattern: 'malformed', reason: 'unknown-service' },
  ])('$pattern matches nothing ($reason) and does not throw', ({ pattern, reason }) => {
    expect(expandPattern(tinyCatalog, pattern)).toEqual({ kind: 'unknown', pattern, reason });
  });

  it('treats regex metacharacters literally: a pattern with `.` does not act as a regex dot', () => {
    expect(expandPattern(tinyCatalog, 's3:Get.bject').kind).toBe('unknown');
    expect(expandPattern(tinyCatalog, 's3:Get?bject').kind).toBe('matched');
  });
});

describe('expandStatement', () => {
  it('unions Action patterns, de-duplicates, sorts, and keeps unknown patterns verbatim', () => {
    const e = expandStatement(
      tinyCatalog,
      statement({ Effect: 'Allow', Action: ['s3:PutObject', 's3:Get*', 's3:getobject', 'NewSvc:Do*', 's3:GetObjectV2', 'NewSvc:Do*'], Resource: '*' }),
    );
    expect(e.actions).toEqual(['s3:GetBucketPolicy', 's3:GetObject', 's3:GetObjectAcl', 's3:GetObjectTagging', 's3:PutObject']);
    expect(e.unknown).toEqual(['NewSvc:Do*', 's3:GetObjectV2']);
  });

  it('inverts NotAction over the whole catalog', () => {
    const e = expandStatement(tinyCatalog, statement({ Effect: 'Allow', NotAction: ['s3:*', 'iam:*', 'gone:Thing'], Resource: '*' }));
    expect(e.actions).toEqual(['mediastore:GetObject', 'mediastore:ListItems', 's3express:CreateSession', 's3express:GetBucketPolicy']);
    expect(e.unknown).toEqual(['gone:Thing']);
  });

  it('inverts a NotAction with a service wildcard', () => {
    const e = expandStatement(tinyCatalog, statement({ Effect: 'Deny', NotAction: '*:Get*', Resource: '*' }));
    expect(e.actions).not.toContain('s3:GetObject');
    expect(e.actions).toContain('s3:PutObject');
    expect(e.actions).toContain('s3express:CreateSession');
  });
});

describe('expandPattern on the real catalog', () => {
  let catalog: Catalog;
  beforeAll(async () => {
    catalog = await loadCatalog();
  });

  it('matches *:GetObject across services, s3 included', () => {
    const actions = matched('*:GetObject', catalog);
    expect(actions).toContain('s3:GetObject');
    expect(actions).toContain('mediastore:GetObject');
    expect(actions.every((a) => a.split(':')[1] === 'GetObject')).toBe(true);
  });

  it('inverts NotAction to the explicit catalog actions it allows', () => {
    const e = expandStatement(catalog, statement({ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' }));
    expect(e.actions.length).toBe(catalog.all().length - matched('iam:*', catalog).length - matched('organizations:*', catalog).length);
    expect(e.actions.some((a) => a.startsWith('iam:'))).toBe(false);
    expect(e.actions).toContain('s3:GetObject');
  });
});
