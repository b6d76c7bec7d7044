import { buildCatalog, type Catalog } from '../../src/catalog/catalog.js';
import { parsePolicy, formatProblem } from '../../src/policy/index.js';
import type { NormalizedPolicy } from '../../src/policy/types.js';

/** A small hand-made catalog whose contents the tests can reason about exactly. */
export const tinyCatalog: Catalog = buildCatalog({ version: 'test-1', updatedAt: '2026-11-01', services: [
  {
    prefix: 's3',
    name: 'Amazon S3',
    actions: ['GetObject', 'GetObjectAcl', 'GetObjectTagging', 'GetBucketPolicy', 'ListBucket', 'ListAllMyBuckets', 'PutObject', 'PutObjectAcl', 'DeleteObject'].map(
      (name) => ({ name, accessLevel: name.startsWith('List') ? 'List' : name.startsWith('Get') ? 'Read' : 'Write' }),
    ),
  },
  {
    prefix: 's3express',
    name: 'Amazon S3 Express',
    actions: [{ name: 'CreateSession', accessLevel: 'Write' }, { name: 'GetBucketPolicy', accessLevel: 'Read' }],
  },
  {
    prefix: 'mediastore',
    name: 'AWS Elemental MediaStore',
    actions: [{ name: 'GetObject', accessLevel: 'Read' }, { name: 'ListItems', accessLevel: 'List' }],
  },
  {
    prefix: 'iam',
    name: 'AWS IAM',
    actions: ['ListUsers', 'ListRoles', 'GetUser', 'GetRole', 'PassRole', 'CreateUser'].map((name) => ({
      name,
      accessLevel: name.startsWith('List') ? 'List' : name.startsWith('Get') ? 'Read' : 'Write',
    })),
  },
] });

export function policyOf(input: unknown): NormalizedPolicy {
  const result = parsePolicy(input);
  if (!result.ok) throw new Error(`expected a valid policy, got ${result.problems.map(formatProblem).join('; ')}`);
  return result.policy;
}
