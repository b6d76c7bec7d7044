/**
 * Compaction wildcards also match actions AWS adds later: they are accepted only where the original policy already
 * granted everything they can match.
 */
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../src/catalog/catalog.js';
import { futureSafeCompaction } from '../../src/generate/future-safe.js';
import { parsePolicy, rewritePolicy } from '../../src/policy/index.js';
import type { NormalizedPolicy, PolicyDocument } from '../../src/policy/types.js';

const catalog = buildCatalog({ version: 't', updatedAt: '2026-11-01', services: [
  { prefix: 'svc', name: 'Svc', actions: ['GetA', 'GetB', 'GetC', 'GoX', 'PutA'].map((name) => ({ name, accessLevel: 'Read' })) },
] });

const parsed = (doc: object): NormalizedPolicy => {
  const r = parsePolicy(doc);
  if (!r.ok) throw new Error('bad test policy');
  return r.policy;
};
const narrowed: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['svc:GetA', 'svc:GetB', 'svc:GetC', 'svc:GoX'], Resource: '*' }],
};
const original = (statement: object) => parsed({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Resource: '*', ...statement }] });

describe('future-safe compaction', () => {
  it.each([
    ['svc:G* covers svc:G*', { Action: 'svc:G*' }, ['svc:G*']],
    ['* covers anything', { Action: '*' }, ['svc:G*']],
    ['a NotAction excluding only svc:PutA cannot exclude svc:G…', { NotAction: 'svc:PutA' }, ['svc:G*']],
    ['a NotAction excluding another service', { NotAction: ['other:*'] }, ['svc:G*']],
  ])('accepts a wildcard the original already granted: %s', (_, statement, wildcards) => {
    const r = futureSafeCompaction(catalog, narrowed, original(statement));
    expect(r.introducedWildcards).toEqual(wildcards);
    expect(r.document.Statement[0]?.Action).toEqual('svc:G*');
  });

  it.each([
    ['explicit actions', { Action: ['svc:GetA', 'svc:GetB', 'svc:GetC', 'svc:GoX', 'svc:PutA'] }],
    ['svc:Get* does not cover svc:G*', { Action: ['svc:Get*', 'svc:GoX'] }],
    ['a NotAction whose exclusion overlaps svc:G*', { NotAction: 'svc:Gz*' }],
    ['a NotAction with a pattern too complex to reason about', { NotAction: 'svc:G*x' }],
    ['another Resource', { Action: 'svc:*', Resource: 'arn:aws:s3:::other' }],
    ['another Condition', { Action: 'svc:*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } }],
  ])('refuses a wildcard the original did not grant: %s', (_, statement) => {
    const r = futureSafeCompaction(catalog, narrowed, original(statement));
    expect(r.introducedWildcards).toEqual([]);
    expect(r.document.Statement[0]).toBe(narrowed.Statement[0]);
  });

  it('does not count an original wildcard the rewrite kept as written as introduced', () => {
    const before = original({ Action: ['svc:Get*', 'svc:PutA', 'svc:GoX'] });
    const keep = new Map([[0, { actions: new Set(['svc:GetA', 'svc:GetB', 'svc:GetC', 'svc:GoX']), unknown: new Set<string>() }]]);
    const rewritten = rewritePolicy(catalog, before, keep).document;
    expect(rewritten.Statement[0]?.Action).toEqual(['svc:Get*', 'svc:GoX']);
    const r = futureSafeCompaction(catalog, rewritten, before);
    expect(r.introducedWildcards).toEqual([]);
    expect(r.document.Statement[0]?.Action).toEqual(['svc:Get*', 'svc:GoX']);
  });
});
