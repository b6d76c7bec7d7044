/**
 * A file that is not a snapshot but a known neighbour (raw AWS CLI output, a policy document, a recommendation) is
 * named for what it is, with what to run instead, in one line: never a schema path.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLeastprivError } from '../../src/errors.js';
import { recommendWith } from '../../src/recommend.js';
import { renderRecommendationJson } from '../../src/render/files.js';
import { recognizeForeignFile } from '../../src/snapshot/recognize.js';
import { validateSnapshot } from '../../src/snapshot/validate.js';
import { allow, catalog, doc, inline, snapshot, unusedService } from '../support/snapshots.js';

const fixture = (...path: string[]): unknown => JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures', ...path), 'utf8'));
const good = snapshot({ policies: [inline('p', doc(allow('s3:*')))], services: [unusedService('s3')] });
const recommendation = JSON.parse(renderRecommendationJson(recommendWith({ snapshot: good, catalog, toolVersion: 't' }))) as unknown;

function messageOf(json: unknown): string {
  try {
    validateSnapshot(json, 'x.json');
  } catch (e) {
    if (!isLeastprivError(e) || e.kind !== 'input') throw e;
    return e.message;
  }
  throw new Error('expected an input error');
}

const COLLECT = 'run `leastpriv collect --role-arn ARN --snapshot-out FILE` (it reads the policies too)';

describe('files that are not snapshots', () => {
  it.each<[string, () => unknown, string]>([
    ['get-service-last-accessed-details output', () => fixture('not-snapshots', 'get-service-last-accessed-details.json'),
      `x.json is the output of \`aws iam get-service-last-accessed-details\`, not a snapshot: ${COLLECT}`],
    ['get-service-last-accessed-details-with-entities output', () => fixture('not-snapshots', 'get-service-last-accessed-details-with-entities.json'),
      `x.json is the output of \`aws iam get-service-last-accessed-details-with-entities\`, not a snapshot: ${COLLECT}`],
    ['get-organizations-access-report output', () => fixture('not-snapshots', 'get-organizations-access-report.json'),
      `x.json is the output of \`aws iam get-organizations-access-report\`, not a snapshot: leastpriv reads a principal's report; ${COLLECT}`],
    ['a policy document', () => fixture('policies', 'iam-user-guide-examples', 'ex_ec2_region.json'),
      `x.json is a policy document, not a snapshot: a snapshot holds a principal's policies and its last-accessed report; ${COLLECT}`],
    ['get-account-authorization-details output', () => fixture('not-snapshots', 'get-account-authorization-details.json'),
      `x.json is the output of \`aws iam get-account-authorization-details\`, not a snapshot: it has no last-accessed report; ${COLLECT} for each principal to trim`],
    ['a recommendation.json (it has a schemaVersion too)', () => recommendation,
      'x.json is a leastpriv recommendation.json (the output of `leastpriv recommend`), not a snapshot: pass the snapshot it was made from, or collect a new one: `leastpriv collect --role-arn ARN --snapshot-out FILE`'],
  ])('%s is named for what it is, with what to run instead', (_, json, expected) => {
    expect(messageOf(json())).toBe(expected);
  });

  it('recognises nothing in a snapshot, nor in an unknown object: those get the schema path', () => {
    expect(recognizeForeignFile(good)).toBeUndefined();
    expect(messageOf({ hello: 'world' })).toBe('x.json: $.schemaVersion: is required');
    // a document with more than the policy grammar's top-level fields is not taken for a policy
    expect(recognizeForeignFile({ Version: '2012-10-17', Statement: [], principal: {} })).toBeUndefined();
  });
});
