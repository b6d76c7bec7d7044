/**
 * An input already over AWS's size limits (an inline aggregate over the principal type's limit, a customer-managed
 * policy over 6,144 characters, whitespace not counted) cannot be applied as is. The summary says so and why —
 * explanation.md, the CLI line and recommendation.json's inputOverLimits — whether or not anything is removed, and
 * never calls it "No change".
 */
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { policySize } from '../../src/policy/index.js';
import { renderExplanation } from '../../src/render/explanation.js';
import { renderOutcomeLine } from '../../src/render/outcome-line.js';
import { RECOMMENDATION_SCHEMA } from '../../src/render/recommendation-schema.js';
import type { Recommendation } from '../../src/render/recommendation.js';
import type { SnapshotPolicy } from '../../src/snapshot/types.js';
import { run } from '../support/pipeline.js';
import { ACCOUNT, allow, awsManaged, customerManaged, daysBefore, doc, inline, snapshot, tracked, unusedService, usedService } from '../support/snapshots.js';

const validate = new Ajv({ strict: false }).compile(RECOMMENDATION_SCHEMA);
/** `n` bucket ARNs of 60 characters or so each */
const buckets = (n: number, tag = 'b'): string[] => Array.from({ length: n }, (_, i) => `arn:aws:s3:::${tag}-${'x'.repeat(40)}-${String(i).padStart(4, '0')}/*`);
const s3 = usedService('s3', daysBefore(1), [tracked('GetObject', daysBefore(1)), tracked('CreateBucket', daysBefore(1))]);
const reads = (name: string, n: number, tag = name) => inline(name, doc(allow('s3:GetObject', buckets(n, tag))));
const originalSize = (rec: Recommendation, i: number): number => {
  const p = rec.policies[i];
  if (!p) throw new Error(`no policy ${i}`);
  return policySize(p.original);
};
const recommend = (policies: SnapshotPolicy[], type: 'role' | 'user' = 'role', services = [s3]) => run({ snapshot: snapshot({ type, policies, services }) });

describe('an input over AWS size limits', () => {
  it('inline policies over the role aggregate, nothing removed: not "No change", and said everywhere', () => {
    const rec = recommend([reads('a', 90), reads('b', 90)]);
    const size = rec.policies.reduce((n, p) => n + policySize(p.original), 0);
    expect(size).toBeGreaterThan(10240);
    expect(rec.outcome).toBe('no-change');
    expect(rec.inputOverLimits).toEqual([{ kind: 'inline-aggregate', policyNames: ['a', 'b'], size, limit: 10240 }]);
    expect(validate(rec)).toBe(true);
    const md = renderExplanation(rec);
    const why = `the role's inline policies (\`a\`, \`b\`) total ${size.toLocaleString('en-US')} characters, over the 10,240-character limit for a role (whitespace not counted)`;
    expect(md).toContain('**Nothing is removed, but the input cannot be applied as is** (below).');
    expect(md).toContain(`**The input cannot be applied as is:** ${why}. IAM would reject these documents as they stand.`);
    expect(md).not.toMatch(/no change/i);
    expect(renderOutcomeLine(rec, 'out/app')).toBe(
      `no-change: wrote out/app/ (1 → 1 action); the input cannot be applied as is: ${why.replace(/`a`, `b`/, '"a", "b"')}`,
    );
  });

  it('a customer-managed policy over 6,144 characters, with something removed', () => {
    const big = customerManaged('big', doc(allow('s3:GetObject', buckets(80)), allow(['ec2:RunInstances', 'ec2:DescribeInstances'], buckets(30, 'c'))));
    const rec = recommend([big], 'role', [s3, unusedService('ec2')]);
    expect(rec.outcome).toBe('reductions-recommended');
    expect(rec.policies[0]?.action).toBe('update');
    const size = originalSize(rec, 0);
    expect(size).toBeGreaterThan(6144);
    expect(rec.inputOverLimits).toEqual([{ kind: 'managed-policy', policyNames: ['big'], size, limit: 6144 }]);
    expect(validate(rec)).toBe(true);
    const md = renderExplanation(rec);
    expect(md).toContain('**Reductions recommended.**');
    expect(md).toContain(
      `**The input cannot be applied as is:** customer-managed policy \`big\` is ${size.toLocaleString('en-US')} characters, ` +
        'over the 6,144-character limit for a managed policy (whitespace not counted).',
    );
    expect(renderOutcomeLine(rec, 'out/app')).toMatch(/^reductions-recommended: wrote out\/app\/ \(.*\); the input cannot be applied as is: customer-managed policy "big" is /);
  });

  it("a user's group with inline policies over the group aggregate; a policy reaching the user twice is measured once", () => {
    const group = { Type: 'group' as const, GroupName: 'devs', GroupArn: `arn:aws:iam::${ACCOUNT}:group/devs` };
    const big = customerManaged('big', doc(allow('s3:GetObject', buckets(100))));
    const rec = recommend([{ ...reads('team', 90), Source: group }, big, { ...big, Source: group }], 'user');
    expect(rec.inputOverLimits.map((f) => [f.kind, f.group, f.policyNames, f.limit])).toEqual([
      ['inline-aggregate', 'devs', ['team'], 5120],
      ['managed-policy', undefined, ['big'], 6144],
    ]);
    expect(renderExplanation(rec)).toContain("group `devs`'s inline policies (`team`) total ");
  });

  it('within the limits, or AWS-managed however large: nothing is said', () => {
    const rec = recommend([reads('a', 90), awsManaged('Huge', doc(allow('s3:GetObject', buckets(200))))]);
    expect(originalSize(rec, 1)).toBeGreaterThan(6144);
    expect(rec.inputOverLimits).toEqual([]);
    expect(renderExplanation(rec)).not.toContain('cannot be applied as is');
    expect(renderOutcomeLine(rec, 'out/app')).toBe('no-change: wrote out/app/ (1 → 1 action)');
  });
});
