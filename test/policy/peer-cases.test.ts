/** Cases transcribed from peer tools (parliament, policyuniverse); see test/fixtures/policies/ATTRIBUTION.md. */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it, test } from 'vitest';
import type { Catalog } from '../../src/catalog/catalog.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { compactActions, expandPattern, expandPatterns, parsePolicy, rewritePolicy, toPolicyDocument } from '../../src/policy/index.js';
import { policyOf } from './helpers.js';

interface PeerCases {
  expansion: {
    peer: string;
    test: string;
    pattern: string;
    expected:
      | { kind: 'matched'; actions?: string[]; minCount?: number; includes?: string[] }
      | { kind: 'unknown'; reason: 'unknown-service' | 'unknown-action' };
  }[];
  invalid: { peer: string; test: string; action: string; expectedPath: string }[];
  compaction: { peer: string; test: string; actions: string[]; expected: string[]; peerExpected: string[] }[];
  denyCarriedOver: { peer: string; test: string; input: unknown; expected: unknown }[];
}

const cases = JSON.parse(readFileSync(new URL('../fixtures/policies/peer-test-cases.json', import.meta.url), 'utf8')) as PeerCases;
const lower = (xs: readonly string[]) => xs.map((x) => x.toLowerCase());

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCatalog();
});

describe('expansion cases from peers', () => {
  test.each(cases.expansion)('$peer $test: $pattern', ({ pattern, expected }) => {
    const result = expandPattern(catalog, pattern);
    if (expected.kind === 'unknown') {
      expect(result).toEqual({ kind: 'unknown', pattern, reason: expected.reason });
      return;
    }
    if (result.kind !== 'matched') throw new Error(`${pattern}: expected a match, got ${result.reason}`);
    if (expected.actions) expect(lower(result.actions)).toEqual(lower(expected.actions));
    if (expected.minCount !== undefined) expect(result.actions.length).toBeGreaterThanOrEqual(expected.minCount);
    if (expected.includes) expect(lower(result.actions)).toEqual(expect.arrayContaining(lower(expected.includes)));
    // canonical casing out: every id is exactly the catalog's
    for (const id of result.actions) expect(catalog.lookup(id)?.id).toBe(id);
  });
});

describe('invalid actions from peers', () => {
  test.each(cases.invalid)('$peer $test: $action', ({ action, expectedPath }) => {
    const result = parsePolicy({ Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.path)).toEqual([expectedPath]);
  });
});

describe('compaction cases from peers', () => {
  test.each(cases.compaction)('$peer $test', ({ actions, expected, peerExpected }) => {
    const result = compactActions(catalog, actions);
    expect(lower(result.actions)).toEqual(lower(expected));
    expect(lower(expandPatterns(catalog, result.actions).actions)).toEqual(lower(actions).sort());
    // the peer's answer covers the same catalog actions, so both are exact today
    expect(expandPatterns(catalog, peerExpected).actions).toEqual(expandPatterns(catalog, result.actions).actions);
  });
});

describe('Deny statements are carried over unchanged', () => {
  test.each(cases.denyCarriedOver)('$peer $test', ({ input, expected }) => {
    const policy = policyOf(input);
    expect(toPolicyDocument(policy)).toEqual(expected);
    const result = rewritePolicy(catalog, policy, new Map([[0, { actions: new Set<string>(), unknown: new Set<string>() }]]));
    expect(result.document).toEqual(toPolicyDocument(policy));
    expect(result.provenance).toEqual([{ outputIndex: 0, inputIndex: 0, change: 'unchanged' }]);
  });
});

it('peer tables are not empty', () => {
  expect(cases.expansion.length).toBeGreaterThan(10);
});
