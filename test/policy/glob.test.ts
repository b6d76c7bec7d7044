import { describe, expect, test } from 'vitest';
import { globToRegExp } from '../../src/policy/index.js';

const matches = (glob: string, text: string): boolean => globToRegExp(glob).test(text);

describe('globToRegExp: the one IAM glob', () => {
  // every character but `*` and `?` is literal: a regex metacharacter matches itself and nothing else
  test.each([
    { glob: 's3:Get.bject', same: 's3:Get.bject', other: 's3:GetObject' },
    { glob: 's3:Get+', same: 's3:Get+', other: 's3:Gettt' },
    { glob: 's3:Get(Object)', same: 's3:Get(Object)', other: 's3:GetObject' },
    { glob: 's3:Get[Oo]bject', same: 's3:Get[Oo]bject', other: 's3:GetObject' },
    { glob: 's3:Get\\d', same: 's3:Get\\d', other: 's3:Get1' },
    { glob: 's3:Get$', same: 's3:Get$', other: 's3:Get' },
    { glob: '^s3:Get', same: '^s3:Get', other: 's3:Get' },
    { glob: 's3:Get|iam:Pass', same: 's3:Get|iam:Pass', other: 's3:Get' },
    { glob: 's3:Get{2}', same: 's3:Get{2}', other: 's3:Gett' },
  ])('$glob is literal', ({ glob, same, other }) => {
    expect(matches(glob, same)).toBe(true);
    expect(matches(glob, other)).toBe(false);
  });

  test('an unbalanced metacharacter is a pattern, not a RegExp syntax error', () => {
    expect(matches('s3:Get[*', 's3:Get[Object')).toBe(true);
    expect(matches('s3:Get(*', 's3:GetObject')).toBe(false);
  });

  test.each([
    { glob: 's3:Get*', text: 's3:Get', expected: true },
    { glob: 's3:Get*', text: 's3:GetObjectAcl', expected: true },
    { glob: 's3:*Acl', text: 's3:GetObjectAcl', expected: true },
    { glob: 's3*:Get*', text: 's3express:GetBucketPolicy', expected: true },
    { glob: 's3:Get*', text: 'xs3:GetObject', expected: false },
    { glob: 's3:?etObject', text: 's3:GetObject', expected: true },
    { glob: 's3:?etObject', text: 's3:etObject', expected: false },
    { glob: 's3:?etObject', text: 's3:GGetObject', expected: false },
    { glob: 's3:GetObject???', text: 's3:GetObjectAcl', expected: true },
    { glob: '*', text: 'any:Thing', expected: true },
    { glob: 'a*b', text: 'a\nb', expected: true },
    { glob: 'a?b', text: 'a\nb', expected: true },
  ])('$glob on $text: $expected', ({ glob, text, expected }) => {
    expect(matches(glob, text)).toBe(expected);
  });

  test.each([
    { glob: 'S3:getobject', text: 's3:GetObject' },
    { glob: 's3:GETOBJECT*', text: 'S3:GetObjectAcl' },
    { glob: 'iam:pass?ole', text: 'IAM:PassRole' },
  ])('$glob matches $text whatever the case', ({ glob, text }) => {
    expect(matches(glob, text)).toBe(true);
  });

  test('the RegExp keeps no state between tests', () => {
    const g = globToRegExp('s3:Get*');
    expect([g.test('s3:GetObject'), g.test('s3:GetObject'), g.test('s3:GetObject')]).toEqual([true, true, true]);
  });
});
