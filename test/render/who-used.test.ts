/**
 * A group's explanation.md says which members used each service that stays, and that none used a service that goes;
 * recommendation.json carries the entities as `entityUse`. Reports without EntityDetails change in neither.
 */
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { renderExplanation } from '../../src/render/explanation.js';
import { RECOMMENDATION_SCHEMA } from '../../src/render/recommendation-schema.js';
import type { EntityDetails } from '../../src/snapshot/types.js';
import { formatDateTime } from '../../src/text.js';
import { run } from '../support/pipeline.js';
import { allow, daysBefore, doc, inline, member, snapshot, tracked, unusedService, usedService, type SnapshotOptions } from '../support/snapshots.js';

const validateRecommendation = new Ajv({ strict: false }).compile(RECOMMENDATION_SCHEMA);

/** a group granted s3 (in use), sqs (last used 200 days ago), ec2 and kms (never used); `s3` lists who used s3 */
const group = (s3: EntityDetails[], extra: Partial<SnapshotOptions> = {}): SnapshotOptions => ({
  type: 'group',
  policies: [inline('team', doc(allow(['s3:GetObject', 'sqs:SendMessage', 'ec2:RunInstances', 'kms:Decrypt'])))],
  services: [usedService('s3', daysBefore(1), [tracked('GetObject', daysBefore(1))]), usedService('sqs', daysBefore(200)), unusedService('ec2'), unusedService('kms')],
  entityDetails: { s3, sqs: [member('erin', daysBefore(200))] },
  ...extra,
});
const md = (o: SnapshotOptions): string => renderExplanation(run({ snapshot: snapshot(o) }));
const at = (days: number): string => formatDateTime(daysBefore(days));
/** the lines of one "Who used …" block */
const block = (text: string, title: string): string[] => {
  const start = text.indexOf(`**${title}**\n\n`);
  if (start < 0) return [];
  return text.slice(start).split('\n\n')[1]?.split('\n') ?? [];
};

describe('explanation.md of a group', () => {
  it('names the members who used a service that stays, most recent first, and counts the others', () => {
    const one = md(group([member('frank'), member('erin', daysBefore(5)), member('dana', daysBefore(1))]));
    expect(block(one, 'Who used the services that stay')).toEqual([`- \`s3\`: \`dana\` ${at(1)}, \`erin\` ${at(5)}; 1 member never used it`]);
    const two = md(group([member('dana', daysBefore(1)), member('frank'), member('gus')]));
    expect(block(two, 'Who used the services that stay')).toEqual([`- \`s3\`: \`dana\` ${at(1)}; 2 members never used it`]);
    const all = md(group([member('dana', daysBefore(1))]));
    expect(block(all, 'Who used the services that stay')).toEqual([`- \`s3\`: \`dana\` ${at(1)}`]);
  });

  it('names at most three members of a service, then how many more', () => {
    const many = md(group(['a', 'b', 'c', 'd', 'e'].map((n, i) => member(n, daysBefore(i + 1)))));
    expect(block(many, 'Who used the services that stay')).toEqual([`- \`s3\`: \`a\` ${at(1)}, \`b\` ${at(2)}, \`c\` ${at(3)} and 2 more`]);
  });

  it('says no member used a service that goes: never since the data begins, or not within the threshold', () => {
    const text = md(group([member('dana', daysBefore(1))]));
    expect(block(text, 'Who used the services that go')).toEqual([
      `- \`ec2\`, \`kms\`: no member used them since ${formatDateTime('2025-10-16T11:59:58.000Z')}, when the data begins`,
      `- \`sqs\`: no member used it in the last 90 days (last: \`erin\` ${at(200)})`,
    ]);
    // the lines follow the tables they speak of
    expect(text.indexOf('**Who used the services that go**')).toBeGreaterThan(text.indexOf('**What goes**'));
    expect(text.indexOf('**Who used the services that go**')).toBeLessThan(text.indexOf('**What stays and why**'));
    expect(text.indexOf('**Who used the services that stay**')).toBeGreaterThan(text.indexOf('**What stays and why**'));
  });

  it('one service never used is "it"', () => {
    const text = md(group([member('dana', daysBefore(1))], { policies: [inline('team', doc(allow(['s3:GetObject', 'ec2:RunInstances'])))] }));
    expect(block(text, 'Who used the services that go')).toEqual([`- \`ec2\`: no member used it since ${formatDateTime('2025-10-16T11:59:58.000Z')}, when the data begins`]);
  });

  it('writes no block when no member used a kept service', () => {
    expect(md(group([member('frank')]))).not.toContain('**Who used the services that stay**');
  });

  it('writes neither block without EntityDetails', () => {
    const { entityDetails: _, ...without } = group([member('dana', daysBefore(1))]);
    expect(md(without)).not.toContain('Who used');
    expect(md({ ...without, type: 'role' })).not.toContain('Who used');
  });
});

describe('recommendation.json', () => {
  it('carries entityUse for a group report, valid against the schema', () => {
    const rec = run({ snapshot: snapshot(group([member('dana', daysBefore(1)), member('frank')])) });
    expect(rec.entityUse?.map((u) => [u.service, u.entities.map((e) => e.name)])).toEqual([
      ['s3', ['dana', 'frank']],
      ['sqs', ['erin']],
    ]);
    const json = JSON.parse(JSON.stringify(rec)) as unknown;
    expect(validateRecommendation(json), JSON.stringify(validateRecommendation.errors)).toBe(true);
  });

  it('has no entityUse without EntityDetails', () => {
    const { entityDetails: _, ...without } = group([]);
    expect(run({ snapshot: snapshot(without) })).not.toHaveProperty('entityUse');
  });
});
