import { readFileSync } from 'node:fs';
import { describe, expect, it, test } from 'vitest';
import { formatProblem, parsePolicy, POLICY_SCHEMA, stringifyPolicy, toPolicyDocument } from '../../src/policy/index.js';
import type { PolicyProblem } from '../../src/policy/types.js';
import { policyOf } from './helpers.js';

const parsed = policyOf;

function problems(input: unknown): readonly PolicyProblem[] {
  const result = parsePolicy(input);
  if (result.ok) throw new Error('expected problems, the policy parsed');
  return result.problems;
}

const s3Read = { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' };

describe('parsePolicy accepts what IAM accepts', () => {
  it('takes a single-object Statement as a one-statement list', () => {
    const policy = parsed({ Version: '2012-10-17', Statement: s3Read });
    expect(policy.statements).toHaveLength(1);
    expect(policy.statements[0]).toMatchObject({ index: 0, actions: ['s3:GetObject'], actionWasString: true });
  });

  it('keeps Version 2008-10-17 and treats a missing Version as 2008-10-17 (IAM default)', () => {
    expect(parsed({ Version: '2008-10-17', Statement: [s3Read] }).Version).toBe('2008-10-17');
    expect(parsed({ Statement: [s3Read] }).Version).toBe('2008-10-17');
  });

  it('records NotAction and NotResource and carries Condition verbatim', () => {
    const condition = { StringEquals: { 'aws:RequestedRegion': ['eu-west-1', 'eu-west-2'] }, Bool: { 'aws:SecureTransport': true } };
    const policy = parsed({
      Version: '2012-10-17',
      Id: 'p1',
      Statement: [{ Sid: 'NotIam', Effect: 'Deny', NotAction: ['iam:*', 'sts:*'], NotResource: 'arn:aws:iam::1:role/x', Condition: condition }],
    });
    expect(policy.Id).toBe('p1');
    expect(policy.statements[0]).toEqual({
      index: 0,
      Sid: 'NotIam',
      Effect: 'Deny',
      actionKind: 'NotAction',
      actions: ['iam:*', 'sts:*'],
      resourceKind: 'NotResource',
      resources: ['arn:aws:iam::1:role/x'],
      Condition: condition,
      actionWasString: false,
      resourceWasString: true,
    });
  });

  it('reads a JSON string and the URL-encoded string IAM returns', () => {
    const doc = { Version: '2012-10-17', Statement: [{ ...s3Read, Condition: { StringLike: { 's3:prefix': ['home/${aws:username}/*', 'a b+c'] } } }] };
    const expected = parsed(doc);
    expect(parsed(JSON.stringify(doc))).toEqual(expected);
    expect(parsed(encodeURIComponent(JSON.stringify(doc)))).toEqual(expected);
    expect(parsed(`  ${encodeURIComponent(JSON.stringify(doc, null, 2))}\n`)).toEqual(expected);
  });
});

interface InvalidCase {
  name: string;
  input: unknown;
  expected: { path: string; message: RegExp; statementIndex?: number }[];
}

const invalid: InvalidCase[] = [
  { name: 'missing Effect', input: { Statement: [{ Action: '*', Resource: '*' }] }, expected: [{ path: 'Statement[0].Effect', message: /missing/, statementIndex: 0 }] },
  { name: 'bad Effect', input: { Statement: [s3Read, { ...s3Read, Effect: 'allow' }] }, expected: [{ path: 'Statement[1].Effect', message: /"Allow", "Deny"/, statementIndex: 1 }] },
  { name: 'both Action and NotAction', input: { Statement: [{ ...s3Read, NotAction: 's3:PutObject' }] }, expected: [{ path: 'Statement[0]', message: /both Action and NotAction/, statementIndex: 0 }] },
  { name: 'neither Action nor NotAction', input: { Statement: { Effect: 'Allow', Resource: '*' } }, expected: [{ path: 'Statement', message: /needs Action or NotAction/ }] },
  { name: 'no Resource', input: { Statement: [{ Effect: 'Allow', Action: 's3:*' }] }, expected: [{ path: 'Statement[0]', message: /needs Resource or NotResource/, statementIndex: 0 }] },
  { name: 'Principal in an identity policy', input: { Statement: [{ ...s3Read, Principal: { AWS: '*' } }] }, expected: [{ path: 'Statement[0].Principal', message: /resource-based/, statementIndex: 0 }] },
  { name: 'NotPrincipal in an identity policy', input: { Statement: [{ ...s3Read, NotPrincipal: '*' }] }, expected: [{ path: 'Statement[0].NotPrincipal', message: /resource-based/, statementIndex: 0 }] },
  { name: 'malformed action', input: { Statement: [{ ...s3Read, Action: ['s3:GetObject', 'malformed'] }] }, expected: [{ path: 'Statement[0].Action[1]', message: /service:action/, statementIndex: 0 }] },
  { name: 'empty action list', input: { Statement: [{ ...s3Read, Action: [] }] }, expected: [{ path: 'Statement[0].Action', message: /empty list/ }] },
  { name: 'unknown Version', input: { Version: '2012-10-18', Statement: [s3Read] }, expected: [{ path: 'Version', message: /2012-10-17/ }] },
  { name: 'unknown top-level field', input: { Statement: [s3Read], Extra: 1 }, expected: [{ path: 'Extra', message: /unknown field/ }] },
  { name: 'Statement of the wrong type', input: { Statement: 'Allow' }, expected: [{ path: 'Statement', message: /an object or a list/ }] },
  { name: 'statement of the wrong type', input: { Statement: [s3Read, 7] }, expected: [{ path: 'Statement[1]', message: /an object/, statementIndex: 1 }] },
  { name: 'Condition value of the wrong type', input: { Statement: [{ ...s3Read, Condition: { StringEquals: 'x' } }] }, expected: [{ path: 'Statement[0].Condition.StringEquals', message: /an object/ }] },
  { name: 'not JSON', input: '{"Statement": [', expected: [{ path: '(document)', message: /not valid JSON/ }] },
  { name: 'bad percent-escape', input: '%7B%ZZ', expected: [{ path: '(document)', message: /percent-escape/ }] },
  { name: 'not an object', input: [s3Read], expected: [{ path: '(document)', message: /an object/ }] },
  { name: 'no Statement', input: { Version: '2012-10-17' }, expected: [{ path: 'Statement', message: /missing/ }] },
];

describe('parsePolicy rejects invalid documents and names each place', () => {
  test.each(invalid)('$name', ({ input, expected }) => {
    const found = problems(input);
    expect(found).toHaveLength(expected.length);
    expected.forEach((e, i) => {
      expect(found[i]?.path).toBe(e.path);
      expect(found[i]?.message).toMatch(e.message);
      if (e.statementIndex !== undefined) expect(found[i]?.statementIndex).toBe(e.statementIndex);
    });
  });

  it('collects every problem of a document at once', () => {
    const found = problems({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 's3:GetObject', NotAction: 's3:Put*', Resource: '*', Principal: '*' },
        { Effect: 'Maybe', Action: '*' },
        { Effect: 'Deny', NotAction: '*', NotResource: [], Typo: true },
      ],
    });
    expect(found.map(formatProblem).sort()).toEqual(
      [
        'Statement[0]: has both Action and NotAction; a statement uses exactly one of them',
        'Statement[0].Principal: Principal belongs to resource-based policies and is not allowed in an identity policy',
        'Statement[1]: needs Resource or NotResource (identity policies always name the resources they apply to)',
        'Statement[1].Effect: must be one of "Allow", "Deny"',
        'Statement[2].NotResource: must not be an empty list',
        'Statement[2].Typo: unknown field "Typo"',
      ].sort(),
    );
    expect(found.map((p) => p.statementIndex).sort()).toEqual([0, 0, 1, 1, 2, 2]);
  });
});

describe('printing', () => {
  it('prints an untouched document in its own shape, keys in AWS order, with a trailing newline', () => {
    const input = {
      Statement: [
        { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } }, Resource: ['arn:aws:s3:::b'], Action: 's3:ListBucket', Effect: 'Allow', Sid: 'List' },
        { NotResource: 'arn:aws:s3:::b/*', Effect: 'Deny', NotAction: ['s3:GetObject'] },
      ],
      Version: '2012-10-17',
    };
    const text = stringifyPolicy(toPolicyDocument(parsed(input)));
    expect(text).toBe(
      `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "List",
      "Effect": "Allow",
      "Action": "s3:ListBucket",
      "Resource": [
        "arn:aws:s3:::b"
      ],
      "Condition": {
        "Bool": {
          "aws:MultiFactorAuthPresent": "true"
        }
      }
    },
    {
      "Effect": "Deny",
      "NotAction": [
        "s3:GetObject"
      ],
      "NotResource": "arn:aws:s3:::b/*"
    }
  ]
}
`,
    );
    // printing is a fixed point: parse(print(x)) prints the same bytes
    expect(stringifyPolicy(toPolicyDocument(parsed(text)))).toBe(text);
  });
});

describe('schemas/policy.schema.json', () => {
  it('is the schema the parser validates with', () => {
    const onDisk: unknown = JSON.parse(readFileSync(new URL('../../schemas/policy.schema.json', import.meta.url), 'utf8'));
    expect(onDisk).toEqual(JSON.parse(JSON.stringify(POLICY_SCHEMA)));
  });
});
