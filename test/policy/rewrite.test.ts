import { describe, expect, it } from 'vitest';
import { LeastprivError } from '../../src/errors.js';
import { rewritePolicy, stringifyPolicy, toPolicyDocument, type StatementKeep } from '../../src/policy/index.js';
import { policyOf, tinyCatalog } from './helpers.js';

const keepOf = (actions: string[], unknown: string[] = []): StatementKeep => ({ actions: new Set(actions), unknown: new Set(unknown) });

const condition = { StringEquals: { 'aws:PrincipalTag/team': 'data' }, IpAddress: { 'aws:SourceIp': ['10.0.0.0/8'] } };

const policy = policyOf({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Read', Effect: 'Allow', Action: ['s3:Get*', 's3:ListBucket', 'newsvc:Do*'], Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'], Condition: condition },
    { Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' },
    { Sid: 'Iam', Effect: 'Allow', Action: 'iam:*', NotResource: 'arn:aws:iam::1:role/admin' },
    { Effect: 'Allow', NotAction: ['s3:*', 'iam:*', 'retired:Thing'], Resource: '*' },
  ],
});

describe('rewritePolicy', () => {
  it('narrows Allow statements, keeps Sid/Resource/NotResource/Condition exactly, carries Deny over, records provenance', () => {
    const result = rewritePolicy(
      tinyCatalog,
      policy,
      new Map([
        [0, keepOf(['s3:getobject', 's3:ListBucket'], ['newsvc:Do*'])],
        [1, keepOf([])], // a Deny is never narrowed, whatever the keep-set says
        [2, keepOf(['iam:PassRole'])],
        [3, keepOf(['mediastore:GetObject'])],
      ]),
    );
    expect(result.document).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Read', Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket', 'newsvc:Do*'], Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'], Condition: condition },
        { Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' },
        { Sid: 'Iam', Effect: 'Allow', Action: 'iam:PassRole', NotResource: 'arn:aws:iam::1:role/admin' },
        { Effect: 'Allow', Action: 'mediastore:GetObject', Resource: '*' },
      ],
    });
    expect(result.provenance).toEqual([
      { outputIndex: 0, inputIndex: 0, change: 'narrowed' },
      { outputIndex: 1, inputIndex: 1, change: 'unchanged' },
      { outputIndex: 2, inputIndex: 2, change: 'narrowed' },
      { outputIndex: 3, inputIndex: 3, change: 'narrowed' },
    ]);
    expect(result.dropped).toEqual([]);
  });

  it('drops statements left with no action and emits statements absent from the keep map unchanged', () => {
    const result = rewritePolicy(tinyCatalog, policy, new Map([[0, keepOf([])], [3, keepOf([])]]));
    expect(result.dropped).toEqual([0, 3]);
    expect(result.provenance).toEqual([
      { outputIndex: 0, inputIndex: 1, change: 'unchanged' },
      { outputIndex: 1, inputIndex: 2, change: 'unchanged' },
    ]);
    expect(result.document.Statement[1]).toEqual({ Sid: 'Iam', Effect: 'Allow', Action: 'iam:*', NotResource: 'arn:aws:iam::1:role/admin' });
  });

  it('emits a statement whose keep-set covers everything unchanged, wildcards included', () => {
    const all = ['s3:GetBucketPolicy', 's3:GetObject', 's3:GetObjectAcl', 's3:GetObjectTagging', 's3:ListBucket'];
    const result = rewritePolicy(tinyCatalog, policy, new Map([[0, keepOf(all, ['newsvc:Do*'])]]));
    expect(result.provenance[0]).toEqual({ outputIndex: 0, inputIndex: 0, change: 'unchanged' });
    expect(stringifyPolicy(result.document)).toBe(stringifyPolicy(toPolicyDocument(policy)));
  });

  it('keeps an unknown action verbatim when it is kept, and removes it when it is not', () => {
    const kept = rewritePolicy(tinyCatalog, policy, new Map([[0, keepOf(['s3:GetObject'], ['newsvc:Do*'])]]));
    expect(kept.document.Statement[0]?.Action).toEqual(['s3:GetObject', 'newsvc:Do*']);
    const removed = rewritePolicy(tinyCatalog, policy, new Map([[0, keepOf(['s3:GetObject'])]]));
    expect(removed.document.Statement[0]?.Action).toBe('s3:GetObject');
  });

  it('refuses a keep-set that would widen a statement (invariant error)', () => {
    const widen = () => rewritePolicy(tinyCatalog, policy, new Map([[0, keepOf(['s3:PutObject'])]]));
    expect(widen).toThrow(LeastprivError);
    expect(widen).toThrow(/does not allow/);
    try {
      widen();
    } catch (e) {
      expect((e as LeastprivError).kind).toBe('invariant');
    }
    expect(() => rewritePolicy(tinyCatalog, policy, new Map([[0, keepOf([], ['other:*'])]]))).toThrow(/does not contain/);
  });

  it('is deterministic: same input, same bytes', () => {
    const keep = new Map([[0, keepOf(['s3:ListBucket', 's3:GetObjectAcl', 's3:GetObject'])]]);
    const a = stringifyPolicy(rewritePolicy(tinyCatalog, policy, keep).document);
    const b = stringifyPolicy(rewritePolicy(tinyCatalog, policy, new Map([[0, keepOf(['s3:GetObject', 's3:GetObjectAcl', 's3:ListBucket'])]])).document);
    expect(a).toBe(b);
  });
});

describe('rewritePolicy keeps the original order (a reviewer diff shows removals only)', () => {
  const ordered = (actions: string[], kept: string[]) =>
    rewritePolicy(tinyCatalog, policyOf({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] }), new Map([[0, keepOf(kept)]]))
      .document.Statement[0]?.Action;

  it('keeps fully kept patterns as written, in place, and replaces the others in place by their kept actions in catalog order', () => {
    const action = ordered(
      ['s3:PutObject', 'iam:List*', 's3:Get*', 'S3:LISTBUCKET', 'newsvc:Do*'],
      ['iam:ListUsers', 'iam:ListRoles', 's3:GetObjectTagging', 's3:GetBucketPolicy', 's3:GetObject', 's3:ListBucket'],
    );
    // s3:PutObject is removed; iam:List* (all kept) and S3:LISTBUCKET stay exactly as written; s3:Get* loses GetObjectAcl
    expect(action).toEqual(['iam:List*', 's3:GetBucketPolicy', 's3:GetObject', 's3:GetObjectTagging', 'S3:LISTBUCKET']);
  });

  it('de-duplicates (first occurrence wins) and never lists an action a pattern kept as written already grants', () => {
    expect(ordered(['s3:Get*', 's3:GetObject*', 's3:getobject', 's3:PutObject'], ['s3:GetObject', 's3:GetObjectAcl', 's3:GetObjectTagging'])).toEqual([
      's3:GetObject*',
      's3:getobject',
    ]);
    expect(ordered(['s3:GetObject', 's3:Get*', 's3:GetObject', 'iam:GetUser'], ['s3:GetObject', 's3:GetObjectAcl'])).toEqual([
      's3:GetObject',
      's3:GetObjectAcl',
    ]);
  });

  it('keeps a NotAction narrowed to an Action list in catalog order', () => {
    const p = policyOf({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotAction: ['s3:*', 'mediastore:*'], Resource: '*' }] });
    const result = rewritePolicy(tinyCatalog, p, new Map([[0, keepOf(['s3express:GetBucketPolicy', 'iam:PassRole', 'iam:GetUser'])]]));
    expect(result.document.Statement[0]?.Action).toEqual(['iam:GetUser', 'iam:PassRole', 's3express:GetBucketPolicy']);
  });
});

describe('rewritePolicy and service-prefix wildcards', () => {
  it('keeps `*:GetObject` verbatim instead of listing actions only it reaches, and lists the others', () => {
    const p = policyOf({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['*:GetObject', 's3:List*'], Resource: '*' }] });
    const result = rewritePolicy(tinyCatalog, p, new Map([[0, keepOf(['s3:GetObject', 's3:ListBucket'])]]));
    // IAM documents wildcards only in the action name; writing s3:GetObject out would grant it under a literal reading
    expect(result.document.Statement[0]?.Action).toEqual(['*:GetObject', 's3:ListBucket']);
    const none = rewritePolicy(tinyCatalog, p, new Map([[0, keepOf(['s3:ListBucket'])]]));
    expect(none.document.Statement[0]?.Action).toBe('s3:ListBucket');
  });

  it('drops a service-prefix wildcard whose kept actions another pattern of the statement already reaches', () => {
    const p = policyOf({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['*:GetObject', 's3:Get*', 's3:PutObject'], Resource: '*' }] });
    const result = rewritePolicy(tinyCatalog, p, new Map([[0, keepOf(['s3:GetObject', 's3:GetObjectAcl'])]]));
    // mediastore:GetObject (reached only through *:GetObject) is not kept, so nothing needs the service-prefix reading
    expect(result.document.Statement[0]?.Action).toEqual(['s3:GetObject', 's3:GetObjectAcl']);
  });

  it('narrows a NotAction to an explicit list and never turns its exclusions into grants', () => {
    const p = policyOf({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotAction: ['s3:*', 'gone:Thing'], NotResource: 'arn:aws:iam::1:role/x' }] });
    const result = rewritePolicy(tinyCatalog, p, new Map([[0, keepOf(['iam:GetUser'], ['gone:Thing'])]]));
    expect(result.document.Statement).toEqual([{ Effect: 'Allow', Action: 'iam:GetUser', NotResource: 'arn:aws:iam::1:role/x' }]);
  });
});
