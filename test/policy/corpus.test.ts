/**
 * Expansion cross-checked against @cloud-copilot/iam-expand (AGPL, tests only) on real policies: the AWS IAM user
 * guide examples (MIT-0), two Kubernetes controllers' published policies (Apache-2.0), and customer policies from the
 * AirIAM (Apache-2.0) and cloudsplaining (BSD-3-Clause) test data. Same iam-data underneath, so
 * any difference is a matching bug on one side. iam-expand drops service-prefix wildcards and unknown patterns; the
 * engine reports them as unknown (or, for `*:X`, matches full ids), so those patterns are compared separately.
 */
import { expandIamActions, invertIamActions } from '@cloud-copilot/iam-expand';
import { readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../../src/catalog/catalog.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { expandPattern, expandStatement, hasServiceWildcard, parsePolicy, rewritePolicy, stringifyPolicy, toPolicyDocument } from '../../src/policy/index.js';
import type { NormalizedPolicy } from '../../src/policy/types.js';

const FIXTURES = new URL('../fixtures/policies/', import.meta.url);
const files = ['iam-user-guide-examples', 'oss-project-policies', 'customer-policies-extracted'].flatMap((dir) =>
  readdirSync(new URL(`${dir}/`, FIXTURES))
    .filter((f) => f.endsWith('.json') && f !== 'INDEX.json')
    .map((f) => ({ name: `${dir}/${f}`, text: readFileSync(new URL(`${dir}/${f}`, FIXTURES), 'utf8') })),
);

function policyOfFile(text: string, name: string): NormalizedPolicy {
  const result = parsePolicy(text);
  if (!result.ok) throw new Error(`${name} did not parse: ${JSON.stringify(result.problems)}`);
  return result.policy;
}

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCatalog();
});

describe.each(files)('$name', ({ name, text }) => {
  it('parses, and prints back to the same statements', () => {
    const policy = policyOfFile(text, name);
    const reparsed = policyOfFile(stringifyPolicy(toPolicyDocument(policy)), name);
    expect(reparsed).toEqual(policy);
  });

  it('expands every statement as iam-expand does', async () => {
    const policy = policyOfFile(text, name);
    for (const s of policy.statements) {
      const comparable = s.actions.filter((p) => !hasServiceWildcard(p));
      const ours = expandStatement(catalog, { ...s, actions: comparable });
      const theirs =
        s.actionKind === 'Action'
          ? await expandIamActions(comparable, { expandAsterisk: true })
          : await invertIamActions(comparable);
      expect(ours.actions, `statement ${s.index} ${s.actionKind} ${JSON.stringify(comparable)}`).toEqual(theirs);
      for (const pattern of comparable) {
        const known = (await expandIamActions(pattern, { expandAsterisk: true })).length > 0;
        expect(expandPattern(catalog, pattern).kind, pattern).toBe(known ? 'matched' : 'unknown');
      }
    }
  });

  it('rewrites with everything kept to the identical document', () => {
    const policy = policyOfFile(text, name);
    const keep = new Map(
      policy.statements.map((s) => {
        const e = expandStatement(catalog, s);
        return [s.index, { actions: new Set(e.actions), unknown: new Set(e.unknown) }] as const;
      }),
    );
    const result = rewritePolicy(catalog, policy, keep);
    expect(stringifyPolicy(result.document)).toBe(stringifyPolicy(toPolicyDocument(policy)));
    expect(result.provenance.every((p) => p.change === 'unchanged')).toBe(true);
  });
});
