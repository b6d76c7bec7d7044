/**
 * A group's report carries GetServiceLastAccessedDetailsWithEntities: the analysis passes it on, per service and in the
 * report's order, as evidence of who used what. Reports without it (roles, users) get no such field.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze/analyze.js';
import { resolveConfig } from '../../src/analyze/config.js';
import { validateSnapshot } from '../../src/snapshot/validate.js';
import { ACCOUNT, allow, catalog, daysBefore, doc, inline, member, snapshot, unusedService, usedService, type SnapshotOptions } from '../support/snapshots.js';

const analysisOf = (o: SnapshotOptions) =>
  analyze({ snapshot: validateSnapshot(snapshot(o)), catalog, config: resolveConfig(undefined, {}), label: 'test' });

const group: SnapshotOptions = {
  type: 'group',
  policies: [inline('team', doc(allow(['s3:GetObject', 'sqs:SendMessage', 'ec2:RunInstances'])))],
  services: [usedService('s3', daysBefore(1)), usedService('SQS', daysBefore(200)), unusedService('ec2')],
  entityDetails: {
    s3: [member('dana', daysBefore(1)), member('erin', daysBefore(5)), member('frank')],
    SQS: [member('erin', daysBefore(200))],
  },
};

describe('entityUse', () => {
  it('lists, per service of EntityDetails, each entity with its last use, in the report order', () => {
    expect(analysisOf(group).entityUse).toEqual([
      {
        service: 's3',
        entities: [
          { type: 'USER', arn: `arn:aws:iam::${ACCOUNT}:user/dana`, name: 'dana', lastAuthenticated: daysBefore(1) },
          { type: 'USER', arn: `arn:aws:iam::${ACCOUNT}:user/erin`, name: 'erin', lastAuthenticated: daysBefore(5) },
          { type: 'USER', arn: `arn:aws:iam::${ACCOUNT}:user/frank`, name: 'frank' },
        ],
      },
      // the namespace as decisions name it: lower case
      { service: 'sqs', entities: [{ type: 'USER', arn: `arn:aws:iam::${ACCOUNT}:user/erin`, name: 'erin', lastAuthenticated: daysBefore(200) }] },
    ]);
  });

  it('is absent when the report has no EntityDetails', () => {
    const { entityDetails: _, ...withoutEntities } = group;
    expect(analysisOf(withoutEntities)).not.toHaveProperty('entityUse');
  });

  it('changes no decision: the service report already is the union over the members', () => {
    const { entityDetails: _, ...withoutEntities } = group;
    expect(analysisOf(group).decisions).toEqual(analysisOf(withoutEntities).decisions);
  });
});
