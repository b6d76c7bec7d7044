import { describe, expect, test } from 'vitest';
import { isAwsManagedPolicyArn, looksLikeArn, parseIamArn, parsePrincipalArn } from '../../src/snapshot/arn.js';

const A = '123456789012';

describe('parseIamArn: the one reading of IAM ARNs', () => {
  test.each([
    { arn: `arn:aws:iam::${A}:role/app`, parts: { partition: 'aws', account: A, resourceType: 'role', path: '/', name: 'app' } },
    { arn: `arn:aws:iam::${A}:user/team/a/bob`, parts: { partition: 'aws', account: A, resourceType: 'user', path: '/team/a/', name: 'bob' } },
    { arn: `arn:aws-cn:iam::${A}:group/devs`, parts: { partition: 'aws-cn', account: A, resourceType: 'group', path: '/', name: 'devs' } },
    { arn: `arn:aws-iso-b:iam::${A}:policy/p+=,.@_-1`, parts: { partition: 'aws-iso-b', account: A, resourceType: 'policy', path: '/', name: 'p+=,.@_-1' } },
    {
      arn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
      parts: { partition: 'aws', account: 'aws', resourceType: 'policy', path: '/service-role/', name: 'AWSLambdaBasicExecutionRole' },
    },
    // a path may hold any printable ASCII, shell metacharacters included
    { arn: `arn:aws:iam::${A}:role/$(rm)!;|/app`, parts: { partition: 'aws', account: A, resourceType: 'role', path: '/$(rm)!;|/', name: 'app' } },
  ])('$arn', ({ arn, parts }) => {
    expect(parseIamArn(arn)).toEqual(parts);
  });

  test.each([
    ['an account of the wrong length', `arn:aws:iam::12345:role/app`],
    ['a partition that is not aws…', `arn:awsx:iam::${A}:role/app`],
    ['another service', `arn:aws:sts::${A}:assumed-role/app/session`],
    ['a region', `arn:aws:iam:us-east-1:${A}:role/app`],
    ['a type IAM names differently', `arn:aws:iam::${A}:instance-profile/app`],
    ['a type glued to the name', `arn:aws:iam::${A}:roleAdmin`],
    ['no name', `arn:aws:iam::${A}:role/`],
    ['a name with IAM-illegal characters', `arn:aws:iam::${A}:role/a b`],
    ['a path with a non-ASCII character', `arn:aws:iam::${A}:role/é/app`],
    ['a path with a space', `arn:aws:iam::${A}:role/a b/app`],
    ['the pseudo-account aws on a role', 'arn:aws:iam::aws:role/app'],
    ['text around an ARN', ` arn:aws:iam::${A}:role/app`],
  ])('refuses %s', (_, arn) => {
    expect(parseIamArn(arn)).toBeUndefined();
  });
});

describe('the questions asked of an ARN', () => {
  test('a principal ARN is a role, user or group ARN, not a policy ARN', () => {
    expect(parsePrincipalArn(`arn:aws:iam::${A}:group/devs`)?.resourceType).toBe('group');
    expect(parsePrincipalArn(`arn:aws:iam::${A}:policy/p`)).toBeUndefined();
    expect(parsePrincipalArn('not an arn')).toBeUndefined();
  });

  test.each([
    ['arn:aws:iam::aws:policy/ReadOnlyAccess', true],
    ['arn:aws-us-gov:iam::aws:policy/job-function/ViewOnlyAccess', true],
    [`arn:aws:iam::${A}:policy/ReadOnlyAccess`, false],
    ['arn:aws:iam::aws:policy/', false],
  ])('%s is AWS-managed: %s', (arn, expected) => {
    expect(isAwsManagedPolicyArn(arn)).toBe(expected);
  });

  test('anything starting with arn: is meant as an ARN, well-formed or not', () => {
    expect(looksLikeArn('arn:whatever')).toBe(true);
    expect(looksLikeArn('app')).toBe(false);
  });
});
