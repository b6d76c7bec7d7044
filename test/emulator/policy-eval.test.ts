import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../src/catalog/catalog.js';
import { allowedActions } from '../../emulator/policy-eval.js';

const catalog = buildCatalog({ version: 'test', updatedAt: '2026-11-01', services: [
  { prefix: 's3', name: 'Amazon S3', actions: ['GetObject', 'PutObject', 'CreateBucket'].map((name) => ({ name, accessLevel: 'Write' })) },
  { prefix: 'sqs', name: 'Amazon SQS', actions: ['SendMessage', 'ListQueues'].map((name) => ({ name, accessLevel: 'Write' })) },
  { prefix: 'ec2', name: 'Amazon EC2', actions: ['DescribeInstances'].map((name) => ({ name, accessLevel: 'List' })) },
] });

const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const allowed = (...docs: string[]) => Object.fromEntries(allowedActions(catalog, docs));

describe('which services and actions the identity policies allow (the emulator\'s own model)', () => {
  it('wildcards match case-insensitively; a single Statement object is accepted', () => {
    const single = JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'S3:get*', Resource: 'arn:aws:s3:::b/*' } });
    expect(allowed(single)).toEqual({ s3: ['GetObject'] });
  });

  it('NotAction allows everything else', () => {
    expect(allowed(doc({ Effect: 'Allow', NotAction: ['s3:*', 'sqs:SendMessage'], Resource: '*' }))).toEqual({
      ec2: ['DescribeInstances'],
      sqs: ['ListQueues'],
    });
  });

  it('only unconditional Denies on every resource take actions away', () => {
    const allowAll = doc({ Effect: 'Allow', Action: '*', Resource: '*' });
    expect(allowed(allowAll, doc({ Effect: 'Deny', Action: 's3:*', Resource: '*' }))).not.toHaveProperty('s3');
    expect(allowed(allowAll, doc({ Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })).s3).toHaveLength(3);
    expect(allowed(allowAll, doc({ Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::b' })).s3).toHaveLength(3);
    expect(allowed(allowAll, doc({ Effect: 'Deny', Action: 's3:PutObject', Resource: ['*'] })).s3).toEqual(['CreateBucket', 'GetObject']);
    expect(allowed(allowAll, doc({ Effect: 'Deny', NotAction: 'ec2:*', Resource: '*' }))).toEqual({ ec2: ['DescribeInstances'] });
  });

  it('an unreadable document or one without Allow grants nothing', () => {
    expect(allowed('{not json')).toEqual({});
    expect(allowed(doc({ Effect: 'Deny', Action: '*', Resource: '*' }))).toEqual({});
  });
});
