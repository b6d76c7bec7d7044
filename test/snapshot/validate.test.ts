/**
 * Bad snapshots are refused with one line naming the place (JSONPath) and what is wrong, as a LeastprivError 'input'.
 */
import { describe, expect, it } from 'vitest';
import { isLeastprivError } from '../../src/errors.js';
import { validateSnapshot } from '../../src/snapshot/validate.js';
import { recommendWith } from '../../src/recommend.js';
import {
  allow,
  attachedGroup,
  attachedRole,
  awsManaged,
  catalog,
  doc,
  groupMember,
  inline,
  policySubjectSnapshot,
  policyVersions,
  principalSubject,
  snapshot,
  unusedService,
} from '../support/snapshots.js';

const good = () => snapshot({ policies: [inline('p', doc(allow('s3:*')))], services: [unusedService('s3')] });
type Mutable = Record<string, any>;

/** the same snapshot as a version-1 file: the principal's fields and the report at the top level */
function asV1(s: Mutable): Mutable {
  const { subject, report, ...rest } = s;
  const { Kind: _kind, ...fields } = subject;
  const { Kind: _report, ...lastAccessed } = report;
  return { ...rest, schemaVersion: 1, ...fields, lastAccessed };
}

/** each version: how to build it, where its subject's fields and its report stand, and their JSONPaths */
const VERSIONS = [
  { version: 2, build: (): Mutable => good(), subject: (s: Mutable) => s.subject, report: (s: Mutable) => s.report, S: '$.subject', R: '$.report' },
  { version: 1, build: (): Mutable => asV1(good()), subject: (s: Mutable) => s, report: (s: Mutable) => s.lastAccessed, S: '$', R: '$.lastAccessed' },
] as const;
type Version = (typeof VERSIONS)[number];

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

/** [what, mutation of the subject's fields (p) and the report (r), expected message with {S} and {R} for the paths] */
const cases: Array<[string, (p: Mutable, r: Mutable) => void, string]> = [
  ['a missing field', (p) => delete p.principal.CreateDate, 'snap.json: {S}.principal.CreateDate: is required'],
  ['an unknown field', (p) => (p.principal.Colour = 'blue'), 'snap.json: {S}.principal.Colour: is not a known field'],
  ['a malformed ARN', (p) => (p.principal.Arn = 'arn:aws:iam::12345:role/app'), 'snap.json: {S}.principal.Arn: "arn:aws:iam::12345:role/app" is not a valid IAM role, user or group ARN'],
  ['an ARN of another type', (p) => (p.principal.Arn = 'arn:aws:iam::123456789012:user/app'), 'snap.json: {S}.principal.Arn: "arn:aws:iam::123456789012:user/app" is not an IAM role ARN'],
  ['an ARN naming someone else', (p) => (p.principal.Arn = 'arn:aws:iam::123456789012:role/other'), 'names "other" but principal.Name is "app"'],
  ['a date without a zone', (_, r) => (r.JobCompletionDate = '2026-11-20 10:00'), 'snap.json: {R}.JobCompletionDate: "2026-11-20 10:00" is not an ISO-8601 date-time'],
  ['an impossible date', (p) => (p.principal.CreateDate = '2026-02-31T00:00:00Z'), 'snap.json: {S}.principal.CreateDate: "2026-02-31T00:00:00Z" is not a real date'],
  ['a wrong policy kind', (p) => (p.policies[0].Kind = 'attached'), 'snap.json: {S}.policies[0].Kind: must be one of "inline", "managed"'],
  ['a wrong type deep in the report', (_, r) => (r.ServicesLastAccessed[0].TotalAuthenticatedEntities = 'none'), 'snap.json: {R}.ServicesLastAccessed[0].TotalAuthenticatedEntities: must be integer'],
  ['an AWS-managed ARN on a customer policy', (p) => (p.policies[0] = { ...awsManaged('X', doc(allow('s3:*'))), ManagedBy: 'customer' }), 'snap.json: {S}.policies[0].PolicyArn: "arn:aws:iam::aws:policy/X" does not match ManagedBy "customer"'],
  ['a completion before the creation', (_, r) => (r.JobCreationDate = '2027-01-01T00:00:00Z'), 'snap.json: {R}.JobCompletionDate:'],
  ['a service listed twice', (_, r) => r.ServicesLastAccessed.push(unusedService('S3')), 'snap.json: {R}.ServicesLastAccessed[1].ServiceNamespace: service "S3" is listed twice'],
];

const paths = (v: Version, text: string): string => text.replaceAll('{S}', v.S).replaceAll('{R}', v.R);

describe('snapshot validation', () => {
  it('accepts a good snapshot, and reads a version-1 file as the same version-2 snapshot', () => {
    expect(principalSubject(validateSnapshot(good())).principal.Name).toBe('app');
    expect(validateSnapshot(asV1(good()))).toEqual(good());
  });
  describe.each(VERSIONS)('version $version', (v) => {
    it.each(cases)('refuses %s, naming the place', (_, mutate, expected) => {
      const s = v.build();
      mutate(v.subject(s), v.report(s));
      expect(messageOf(() => validateSnapshot(s, 'snap.json'))).toContain(paths(v, expected));
    });
    it('says every problem in one line: the count and the first three', () => {
      const s = v.build();
      delete v.subject(s).principal.CreateDate;
      v.subject(s).principal.Colour = 'blue';
      v.report(s).ServicesLastAccessed[0].TotalAuthenticatedEntities = 'none';
      v.report(s).JobType = 'EVERYTHING';
      expect(messageOf(() => validateSnapshot(s, 'snap.json'))).toMatch(/^snap\.json: 4 problems: \$\S*: .*; .*; .*; and 1 more$/);
    });
    it('says every semantic problem too', () => {
      const s = v.build();
      v.subject(s).principal.CreateDate = '2026-02-31T00:00:00Z';
      v.report(s).ServicesLastAccessed.push(unusedService('S3'));
      expect(messageOf(() => validateSnapshot(s, 'snap.json'))).toBe(
        paths(
          v,
          'snap.json: 2 problems: {S}.principal.CreateDate: "2026-02-31T00:00:00Z" is not a real date; {R}.ServicesLastAccessed[1].ServiceNamespace: service "S3" is listed twice',
        ),
      );
    });
  });
  it('refuses an unknown schema version and what is not an object', () => {
    expect(messageOf(() => validateSnapshot({ ...good(), schemaVersion: 3 }, 'snap.json'))).toBe(
      'snap.json: $.schemaVersion: unsupported snapshot schema version 3 (this leastpriv reads versions 1 and 2)',
    );
    expect(messageOf(() => validateSnapshot([1, 2], 'snap.json'))).toBe('snap.json: $: a snapshot must be a JSON object');
  });
  it('names a wrong subject kind with the kinds there are', () => {
    const s = good() as Mutable;
    s.subject.Kind = 'account';
    expect(messageOf(() => validateSnapshot(s, 'snap.json'))).toBe('snap.json: $.subject.Kind: must be one of "principal", "managed-policy", "scp", "organization-entity"');
  });
  it.each(VERSIONS)('names the place of a bad policy document inside a version-$version snapshot', (v) => {
    const s = v.build();
    v.subject(s).policies[0].PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject' }] };
    const where = v.S === '$' ? '\\$' : '\\$\\.subject';
    expect(messageOf(() => recommendWith({ snapshot: s, catalog, toolVersion: 't', snapshotLabel: 'snap.json' }))).toMatch(
      new RegExp(`^snap\\.json: ${where}\\.policies\\[0\\]\\.PolicyDocument\\.Statement\\[0\\]: .* \\(policy "p"\\)$`),
    );
  });

  it.each(VERSIONS)('evidence in a version-$version snapshot names the report field where it stands in the file', (v) => {
    const s = v.build();
    v.report(s).ServicesLastAccessed = [{ ServiceName: 'Amazon S3', ServiceNamespace: 's3', LastAuthenticated: '2020-01-01T00:00:00Z' }];
    const rec = recommendWith({ snapshot: s, catalog, toolVersion: 't' });
    const fields = rec.decisions.map((d) => d.evidence?.field).filter((f) => f !== undefined);
    expect(fields.length).toBeGreaterThan(0);
    for (const f of fields) expect(f).toMatch(new RegExp(`^${v.R.replaceAll('$', '\\$').replaceAll('.', '\\.')}\\.ServicesLastAccessed\\[0\\]`));
  });
});

describe('snapshot validation of a managed-policy subject', () => {
  const goodPolicy = (): Mutable =>
    policySubjectSnapshot({
      document: doc(allow('s3:*')),
      versions: policyVersions(3),
      entities: [attachedRole('worker'), attachedGroup('oncall', [groupMember('erin')])],
      services: [unusedService('s3')],
    });

  it('accepts a managed policy, its versions and its entities (customer- and AWS-managed)', () => {
    const s = validateSnapshot(goodPolicy());
    expect(s.subject.Kind).toBe('managed-policy');
    const aws = policySubjectSnapshot({ managedBy: 'aws', document: doc(allow('s3:*')), services: [unusedService('s3')] });
    expect(validateSnapshot(aws)).toEqual(aws);
  });

  const S = '$.subject';
  const policyCases: Array<[string, (s: Mutable) => void, string]> = [
    ['an ARN of another type', (s) => (s.policy.PolicyArn = 'arn:aws:iam::123456789012:role/fleet'), `${S}.policy.PolicyArn: "arn:aws:iam::123456789012:role/fleet" is not a valid IAM policy ARN`],
    ['an ARN naming another policy', (s) => (s.policy.PolicyArn = 'arn:aws:iam::123456789012:policy/other'), `${S}.policy.PolicyArn: "arn:aws:iam::123456789012:policy/other" names "other" but the Name here is "fleet"`],
    ['an AWS-managed ARN with ManagedBy customer', (s) => (s.policy.PolicyArn = 'arn:aws:iam::aws:policy/fleet'), `${S}.policy.PolicyArn: "arn:aws:iam::aws:policy/fleet" does not match ManagedBy "customer"`],
    ['an account ARN with ManagedBy aws', (s) => (s.policy.ManagedBy = 'aws'), `${S}.policy.PolicyArn: "arn:aws:iam::123456789012:policy/fleet" does not match ManagedBy "aws"`],
    ['a default version not in the versions', (s) => (s.policy.DefaultVersionId = 'v9'), `${S}.versions: exactly one version must be the default, and it must be DefaultVersionId v9`],
    ['two default versions', (s) => (s.versions[0].IsDefaultVersion = true), `${S}.versions: exactly one version must be the default, and it must be DefaultVersionId v3`],
    ['no default version', (s) => (s.versions[2].IsDefaultVersion = false), `${S}.versions: exactly one version must be the default`],
    ['an impossible version date', (s) => (s.versions[1].CreateDate = '2026-02-30T00:00:00Z'), `${S}.versions[1].CreateDate: "2026-02-30T00:00:00Z" is not a real date`],
    ['a group without Members', (s) => delete s.attachedEntities[1].Members, `${S}.attachedEntities[1].Members: an attached group lists its Members (GetGroup), [] when it has none`],
    ['Members on a role', (s) => (s.attachedEntities[0].Members = []), `${S}.attachedEntities[0].Members: only a group has Members (this is a role)`],
    ['an entity ARN of another type', (s) => (s.attachedEntities[0].Arn = 'arn:aws:iam::123456789012:user/worker'), `${S}.attachedEntities[0].Arn: "arn:aws:iam::123456789012:user/worker" is not an IAM role ARN`],
    ['an entity ARN naming someone else', (s) => (s.attachedEntities[1].Arn = 'arn:aws:iam::123456789012:group/other'), `${S}.attachedEntities[1].Arn: "arn:aws:iam::123456789012:group/other" names "other" but the Name here is "oncall"`],
    ['a member that is no user', (s) => (s.attachedEntities[1].Members[0].Arn = 'arn:aws:iam::123456789012:role/erin'), `${S}.attachedEntities[1].Members[0].Arn: "arn:aws:iam::123456789012:role/erin" is not an IAM user ARN`],
    ['an impossible member date', (s) => (s.attachedEntities[1].Members[0].CreateDate = '2026-13-01T00:00:00Z'), `${S}.attachedEntities[1].Members[0].CreateDate:`],
  ];
  it.each(policyCases)('refuses %s, naming the place', (_, mutate, expected) => {
    const s = goodPolicy();
    mutate(s.subject);
    expect(messageOf(() => validateSnapshot(s, 'snap.json'))).toContain(`snap.json: ${expected}`);
  });

  it('accepts a group with no members ([]) and a snapshot without ListPolicyVersions ([])', () => {
    const s = goodPolicy();
    s.subject.attachedEntities[1].Members = [];
    s.subject.versions = [];
    expect(() => validateSnapshot(s)).not.toThrow();
  });
});
