/**
 * Bad snapshots are refused with one line naming the place (JSONPath) and what is wrong, as a LeastprivError 'input'.
 */
import { describe, expect, it } from 'vitest';
import { isLeastprivError } from '../../src/errors.js';
import { validateSnapshot } from '../../src/snapshot/validate.js';
import { recommendWith } from '../../src/recommend.js';
import { allow, awsManaged, catalog, doc, inline, snapshot, unusedService } from '../support/snapshots.js';

const good = () => snapshot({ policies: [inline('p', doc(allow('s3:*')))], services: [unusedService('s3')] });
type Mutable = Record<string, any>;

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (!isLeastprivError(e) || e.kind !== 'input') throw e;
    expect(e.message).not.toContain('\n');
    return e.message;
  }
  throw new Error('expected an input error');
}

const cases: Array<[string, (s: Mutable) => void, string]> = [
  ['an unknown schema version', (s) => (s.schemaVersion = 2), 'snap.json: $.schemaVersion: unsupported snapshot schema version 2 (this leastpriv reads version 1)'],
  ['a missing field', (s) => delete s.principal.CreateDate, 'snap.json: $.principal.CreateDate: is required'],
  ['an unknown field', (s) => (s.principal.Colour = 'blue'), 'snap.json: $.principal.Colour: is not a known field'],
  ['a malformed ARN', (s) => (s.principal.Arn = 'arn:aws:iam::12345:role/app'), 'snap.json: $.principal.Arn: "arn:aws:iam::12345:role/app" is not a valid IAM role, user or group ARN'],
  ['an ARN of another type', (s) => (s.principal.Arn = 'arn:aws:iam::123456789012:user/app'), 'snap.json: $.principal.Arn: "arn:aws:iam::123456789012:user/app" is not an IAM role ARN'],
  ['an ARN naming someone else', (s) => (s.principal.Arn = 'arn:aws:iam::123456789012:role/other'), 'names "other" but principal.Name is "app"'],
  ['a date without a zone', (s) => (s.lastAccessed.JobCompletionDate = '2026-11-20 10:00'), 'snap.json: $.lastAccessed.JobCompletionDate: "2026-11-20 10:00" is not an ISO-8601 date-time'],
  ['an impossible date', (s) => (s.principal.CreateDate = '2026-02-31T00:00:00Z'), 'snap.json: $.principal.CreateDate: "2026-02-31T00:00:00Z" is not a real date'],
  ['a wrong policy kind', (s) => (s.policies[0].Kind = 'attached'), 'snap.json: $.policies[0].Kind: must be one of'],
  ['a wrong type deep in the report', (s) => (s.lastAccessed.ServicesLastAccessed[0].TotalAuthenticatedEntities = 'none'), 'snap.json: $.lastAccessed.ServicesLastAccessed[0].TotalAuthenticatedEntities: must be integer'],
  ['an AWS-managed ARN on a customer policy', (s) => (s.policies[0] = { ...awsManaged('X', doc(allow('s3:*'))), ManagedBy: 'customer' }), 'snap.json: $.policies[0].PolicyArn: "arn:aws:iam::aws:policy/X" does not match ManagedBy "customer"'],
  ['a completion before the creation', (s) => (s.lastAccessed.JobCreationDate = '2027-01-01T00:00:00Z'), 'snap.json: $.lastAccessed.JobCompletionDate:'],
  ['a service listed twice', (s) => s.lastAccessed.ServicesLastAccessed.push(unusedService('S3')), 'snap.json: $.lastAccessed.ServicesLastAccessed[1].ServiceNamespace: service "S3" is listed twice'],
  ['not an object', () => undefined, 'snap.json: $: a snapshot must be a JSON object'],
];

describe('snapshot validation', () => {
  it('accepts a good snapshot', () => {
    expect(validateSnapshot(good()).principal.Name).toBe('app');
  });
  it.each(cases)('refuses %s, naming the place', (_, mutate, expected) => {
    const s = good() as Mutable;
    mutate(s);
    const input = _ === 'not an object' ? [1, 2] : s;
    expect(messageOf(() => validateSnapshot(input, 'snap.json'))).toContain(expected);
  });
  it('names the place of a bad policy document inside the snapshot', () => {
    const s = good() as Mutable;
    s.policies[0].PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject' }] };
    expect(messageOf(() => recommendWith({ snapshot: s, catalog, toolVersion: 't', snapshotLabel: 'snap.json' }))).toMatch(
      /^snap\.json: \$\.policies\[0\]\.PolicyDocument\.Statement\[0\]: .* \(policy "p"\)$/,
    );
  });
});
