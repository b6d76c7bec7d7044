import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { OWNED_SCHEMAS, schemaText } from '../../scripts/examples.js';
import { renderRecommendationJson } from '../../src/render/files.js';
import { RECOMMENDATION_SCHEMA } from '../../src/render/recommendation-schema.js';
import { run } from '../support/pipeline.js';
import {
  allow,
  attachedGroup,
  attachedRole,
  daysBefore,
  doc,
  groupMember,
  managedPolicyRec,
  member,
  policySubjectSnapshot,
  policyVersions,
  TRIMMABLE,
  type PolicySubjectOptions,
} from '../support/snapshots.js';

describe('schemas/*.json are the copies of the TypeScript schemas', () => {
  it.each(OWNED_SCHEMAS.map(([path, schema]) => [path, schema] as const))('%s', (path, schema) => {
    expect(readFileSync(join(import.meta.dirname, '../..', path), 'utf8')).toBe(schemaText(schema));
  });
});

describe('recommendation.json of a managed-policy subject validates against RECOMMENDATION_SCHEMA', () => {
  const validate = new Ajv({ strict: false }).compile(RECOMMENDATION_SCHEMA);
  const entities = [attachedRole('worker'), attachedGroup('oncall', [groupMember('erin')])];
  const s3Use = { s3: [member('erin', daysBefore(1))] };
  const cases: Array<[string, Partial<PolicySubjectOptions>, string]> = [
    ['a new default version, with 5 versions and who used what', { versions: policyVersions(5), entities, entityDetails: s3Use }, 'managed-policy-new-version'],
    ['an AWS-managed replacement', { managedBy: 'aws', entities }, 'managed-policy-replaced'],
    ['attached to nothing', { entities: [] }, 'policy-not-attached'],
    ['a permissions boundary', { boundaryUsage: 3, entities }, 'policy-is-permissions-boundary'],
    ['a window too short (a young group member)', { entities: [attachedGroup('oncall', [groupMember('erin', daysBefore(3))])] }, 'observation-window-too-short'],
    ['no statement left', { document: doc(allow(['s3:PutObject', 'ec2:RunInstances'])), entities }, 'no-statement-left'],
  ];
  it.each(cases)('%s', (_, o, reason) => {
    const rec = managedPolicyRec(run({ snapshot: policySubjectSnapshot({ ...TRIMMABLE, ...o }) }));
    expect(rec.policies.map((p) => p.reason)).toEqual([reason]);
    const json = JSON.parse(renderRecommendationJson(rec)) as Record<string, unknown>;
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    expect(json).toMatchObject({ subjectKind: 'managed-policy', managedPolicy: { Name: rec.managedPolicy.Name } });
    expect(json).not.toHaveProperty('principal');
  });

  it('refuses one whose managedPolicy is missing', () => {
    const { managedPolicy: _gone, ...rest } = JSON.parse(renderRecommendationJson(run({ snapshot: policySubjectSnapshot(TRIMMABLE) }))) as Record<string, unknown>;
    expect(validate(rest)).toBe(false);
  });
});
