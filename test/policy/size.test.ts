import { describe, expect, it } from 'vitest';
import { LeastprivError } from '../../src/errors.js';
import { AWS_LIMITS, fitsInlineAggregate, fitsManaged, policySize, splitManagedPolicy, stringifyPolicy, type PolicyDocument } from '../../src/policy/index.js';
import { policyOf } from './helpers.js';

const doc = (statements: PolicyDocument['Statement']): PolicyDocument => ({ Version: '2012-10-17', Statement: statements });
const manyActions = (n: number, prefix = 'ec2:DescribeThing') => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(4, '0')}`);

describe('policySize', () => {
  it('does not count whitespace between tokens', () => {
    const d = doc([{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }]);
    const compact = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}';
    expect(policySize(d)).toBe(compact.length);
    expect(policySize(policyOf(stringifyPolicy(d)))).toBe(compact.length);
  });

  it('checks the managed and inline-aggregate limits', () => {
    const small = doc([{ Effect: 'Allow', Action: manyActions(10), Resource: '*' }]);
    const big = doc([{ Effect: 'Allow', Action: manyActions(400), Resource: '*' }]);
    expect(fitsManaged(small)).toBe(true);
    expect(fitsManaged(big)).toBe(false);
    expect(AWS_LIMITS.managedPolicy).toBe(6144);
    const user = fitsInlineAggregate('user', [small, small, small, small, small, small, small, small]);
    expect(user).toEqual({ fits: false, size: 8 * policySize(small), limit: 2048 });
    expect(fitsInlineAggregate('role', [small]).fits).toBe(true);
    expect(fitsInlineAggregate('group', [small]).limit).toBe(5120);
  });
});

describe('splitManagedPolicy', () => {
  it('returns the document itself when it fits', () => {
    const d = doc([{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }]);
    expect(splitManagedPolicy(d)).toEqual([d]);
  });

  it('spreads statements over documents that each fit, keeping order and every action', () => {
    const statements = Array.from({ length: 6 }, (_, i) => ({ Sid: `S${i}`, Effect: 'Allow' as const, Action: manyActions(60, `svc${i}:Action`), Resource: `arn:aws:s3:::bucket${i}/*` }));
    const parts = splitManagedPolicy(doc(statements));
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(policySize(p)).toBeLessThanOrEqual(6144);
    expect(parts.flatMap((p) => p.Statement)).toEqual(statements);
  });

  it('cuts an oversized Action list into statements with the same Effect, Resource and Condition', () => {
    const condition = { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } };
    const actions = manyActions(700);
    const parts = splitManagedPolicy(doc([{ Sid: 'Big', Effect: 'Deny', Action: actions, Resource: '*', Condition: condition }]));
    const statements = parts.flatMap((p) => p.Statement);
    for (const p of parts) expect(policySize(p)).toBeLessThanOrEqual(6144);
    expect(statements.flatMap((s) => [s.Action].flat())).toEqual(actions);
    expect(new Set(statements.map((s) => s.Sid)).size).toBe(statements.length);
    for (const s of statements) expect(s).toMatchObject({ Effect: 'Deny', Resource: '*', Condition: condition });
  });

  it('numbers cut pieces with Sids no other statement uses, even when a Sid like A1 already exists', () => {
    const statements: PolicyDocument['Statement'] = [
      { Sid: 'A', Effect: 'Allow', Action: manyActions(700), Resource: '*' },
      { Sid: 'A1', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
      { Sid: 'a3', Effect: 'Allow', Action: 's3:PutObject', Resource: '*' },
      { Sid: 'A', Effect: 'Deny', Action: manyActions(400, 'iam:Thing'), Resource: '*' },
    ];
    const parts = splitManagedPolicy(doc(statements));
    for (const p of parts) expect(policySize(p)).toBeLessThanOrEqual(6144);
    const sids = parts.flatMap((p) => p.Statement.map((s) => s.Sid ?? ''));
    expect(new Set(sids.map((s) => s.toLowerCase())).size).toBe(sids.length);
    // the first A is cut into three pieces, the second into two: numbering skips A1 and a3 and never restarts
    expect(sids).toEqual(['A2', 'A4', 'A5', 'A1', 'a3', 'A6', 'A7']);
    expect(parts.flatMap((p) => p.Statement.flatMap((s) => [s.Action].flat()))).toEqual([
      ...manyActions(700),
      's3:GetObject',
      's3:PutObject',
      ...manyActions(400, 'iam:Thing'),
    ]);
  });

  it('refuses what cannot be split: a NotAction or a Resource list alone over the limit', () => {
    const notAction = doc([{ Effect: 'Allow', NotAction: manyActions(700), Resource: '*' }]);
    expect(() => splitManagedPolicy(notAction)).toThrow(LeastprivError);
    expect(() => splitManagedPolicy(notAction)).toThrow(/NotAction/);
    // its counts grouped as in every other sentence
    expect(() => splitManagedPolicy(notAction)).toThrow(/^statement 0 is \d{1,3},\d{3} characters on its own, over the \d,\d{3} a managed policy leaves for statements;/);
    const resources = doc([{ Effect: 'Allow', Action: 's3:GetObject', Resource: manyActions(700, 'arn:aws:s3:::b/k') }]);
    try {
      splitManagedPolicy(resources);
      expect.unreachable();
    } catch (e) {
      expect((e as LeastprivError).kind).toBe('limit');
    }
  });
});
