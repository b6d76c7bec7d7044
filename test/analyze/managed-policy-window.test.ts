/**
 * A managed policy's observation window starts at the latest of its default version (customer-managed only), the
 * entities it is attached to and the members of attached groups: any of them younger than the threshold keeps the
 * whole policy, names what started the data and says from when it can be trimmed.
 */
import { describe, expect, it } from 'vitest';
import type { WindowStart } from '../../src/analyze/types.js';
import { applyCommands } from '../../src/render/apply-commands.js';
import { renderExplanation } from '../../src/render/explanation.js';
import type { AttachedEntity } from '../../src/snapshot/types.js';
import { formatDateTime } from '../../src/text.js';
import { planPolicy } from '../support/pipeline.js';
import {
  ACCOUNT,
  T,
  attachedGroup,
  attachedRole,
  attachedUser,
  daysBefore,
  groupMember,
  policySubjectSnapshot,
  policyVersions,
  TRIMMABLE,
  type PolicySubjectOptions,
} from '../support/snapshots.js';

const { document: grants, services } = TRIMMABLE;
const plan = (o: Partial<PolicySubjectOptions>, options?: Parameters<typeof planPolicy>[1]) =>
  planPolicy(policySubjectSnapshot({ document: grants, services, ...o }), options);

const YOUNG = 20;
/** the day the report can first cover the 90-day threshold for something created YOUNG days before T */
const trimmableFrom = formatDateTime(daysBefore(YOUNG - 90));
const young = daysBefore(YOUNG);
const arn = (type: string, name: string): string => `arn:aws:iam::${ACCOUNT}:${type}/${name}`;

const entityCases: Array<[string, AttachedEntity[], WindowStart, string]> = [
  [
    'an attached role',
    [attachedUser('dana'), attachedRole('worker', young)],
    { kind: 'role', name: 'worker', arn: arn('role', 'worker'), createDate: young, field: '$.subject.attachedEntities[1].CreateDate' },
    'attached role `worker` was created',
  ],
  [
    'an attached user',
    [attachedRole('worker'), attachedUser('dana', young)],
    { kind: 'user', name: 'dana', arn: arn('user', 'dana'), createDate: young, field: '$.subject.attachedEntities[1].CreateDate' },
    'attached user `dana` was created',
  ],
  [
    'an attached group',
    [attachedGroup('oncall', [groupMember('erin')], young)],
    { kind: 'group', name: 'oncall', arn: arn('group', 'oncall'), createDate: young, field: '$.subject.attachedEntities[0].CreateDate' },
    'attached group `oncall` was created',
  ],
  [
    'a member of an attached group',
    [attachedRole('worker'), attachedGroup('oncall', [groupMember('erin'), groupMember('frank', young)])],
    { kind: 'group-member', name: 'frank', arn: arn('user', 'frank'), group: 'oncall', createDate: young, field: '$.subject.attachedEntities[1].Members[1].CreateDate' },
    'user `frank`, a member of attached group `oncall`, was created',
  ],
];

describe('a managed policy whose window is too short keeps everything', () => {
  it.each(entityCases)('%s younger than the threshold', (_, entities, start, clause) => {
    const { plan: p, rec, pol } = plan({ entities });
    expect(p.facts).toEqual({ reason: 'observation-window-too-short', coveredDays: YOUNG, dataStart: young, referenceTime: T, thresholdDays: 90, start });
    expect(rec.observationWindow).toMatchObject({ status: 'too-short', shortBecause: 'subject-start-younger-than-threshold', latestStart: start, coveredDays: YOUNG });
    expect(rec.outcome).toBe('observation-window-too-short');
    // nothing goes: the proposal is the original, and no command is printed
    expect(pol).toMatchObject({ action: 'keep', removed: { wholeServices: [], actions: [] } });
    expect(pol.proposed.map((d) => d.document)).toEqual([pol.original]);
    expect(applyCommands(rec)).toEqual([]);
    expect(pol.why).toContain(`It starts when ${clause} ${formatDateTime(young)}: it may not have run all its work yet. Run again from ${trimmableFrom} to trim it.`);
    expect(renderExplanation(rec)).toContain(
      `**Observation window too short: nothing is removed.** The data starts when ${clause} ${formatDateTime(young)}, ${YOUNG} days before the reference time`,
    );
    expect(rec.warnings.map((w) => w.code)).toContain('observation-window-too-short');
  });

  it("a customer-managed policy's young default version: what it grants may be newly granted", () => {
    const { plan: p, pol } = plan({ versions: policyVersions(2, young) });
    const start: WindowStart = { kind: 'default-version', name: 'v2', createDate: young, field: '$.subject.policy.DefaultVersionCreateDate' };
    expect(p.facts).toEqual({ reason: 'observation-window-too-short', coveredDays: YOUNG, dataStart: young, referenceTime: T, thresholdDays: 90, start });
    expect(pol.action).toBe('keep');
    expect(pol.why).toContain(`It starts when its default version v2 was created ${formatDateTime(young)}: what it grants may be newly granted. Run again from ${trimmableFrom}`);
  });

  it("an AWS-managed policy's young default version is no hold (AWS versions its policies often): trimmed", () => {
    const { plan: p, rec } = plan({ managedBy: 'aws', versions: policyVersions(4, daysBefore(3)) });
    expect(rec.observationWindow.status).toBe('sufficient');
    // the window starts with the one entity, not the version
    expect(rec.observationWindow.latestStart).toMatchObject({ kind: 'role', name: 'app' });
    expect(p.reason).toBe('managed-policy-replaced');
    expect(p.removed).toEqual(['ec2:RunInstances', 's3:PutObject']);
  });

  it('the latest start decides, and the first listed wins a tie', () => {
    const entities = [attachedRole('old', daysBefore(60)), attachedRole('newer', daysBefore(25))];
    const version = plan({ versions: policyVersions(1, daysBefore(20)), entities });
    expect(version.rec.observationWindow.latestStart).toMatchObject({ kind: 'default-version', name: 'v1' });
    const entity = plan({ versions: policyVersions(1, daysBefore(30)), entities });
    expect(entity.rec.observationWindow.latestStart).toMatchObject({ kind: 'role', name: 'newer', createDate: daysBefore(25) });
    expect(entity.rec.observationWindow.coveredDays).toBe(25);
    const tie = plan({ entities: [attachedRole('first', young), attachedUser('second', young)] });
    expect(tie.rec.observationWindow.latestStart).toMatchObject({ kind: 'role', name: 'first' });
  });

  it('young, but not younger than the threshold: trimmed', () => {
    const { plan: p } = plan({ entities: [attachedRole('worker', daysBefore(40))], versions: policyVersions(2, daysBefore(35)) }, { unusedDays: 30 });
    expect(p.reason).toBe('managed-policy-new-version');
    expect(p.removed).toEqual(['ec2:RunInstances', 's3:PutObject']);
  });

  it('a per-service threshold longer than the window keeps that service only', () => {
    // the default version is 120 days old: enough for the 90 days of ec2, not for the 180 of s3
    const { plan: p, rec } = plan({ versions: policyVersions(3, daysBefore(120)) }, { config: { serviceThresholds: { s3: 180 } } });
    expect(rec.observationWindow.status).toBe('sufficient');
    expect(p.removed).toEqual(['ec2:RunInstances']);
    expect(rec.decisions.find((d) => d.subject === 's3')).toMatchObject({ verdict: 'keep', reason: 'observation-window-too-short' });
  });
});
