/**
 * Where a policy comes from decides what may be proposed for it: groups, shared and AWS-managed policies, the
 * permissions boundary, and output file names that must never collide (the policies/ folder is the proposal).
 */
import { describe, expect, it } from 'vitest';
import { renderFiles } from '../../src/render/files.js';
import type { SnapshotPolicy } from '../../src/snapshot/types.js';
import { ACCOUNT, allow, awsManaged, customerManaged, daysBefore, doc, inline, snapshot, tracked, unusedService, usedService } from '../support/snapshots.js';
import { afterSet, outcome, run } from '../support/pipeline.js';
import { principalSubject } from '../support/subject.js';

const s3Used = usedService('s3', daysBefore(1), [tracked('CreateBucket', daysBefore(1)), tracked('DeleteBucket')]);
const trimmable = doc(allow(['s3:CreateBucket', 's3:DeleteBucket', 'ec2:RunInstances']));
const services = [s3Used, unusedService('ec2')];

const fromGroup = (p: SnapshotPolicy, group: string): SnapshotPolicy => ({
  ...p,
  Source: { Type: 'group', GroupName: group, GroupArn: `arn:aws:iam::${ACCOUNT}:group/${group}` },
});

/** the policies/ folder as a map of file → document text, which must hold one file per proposed document */
function policiesFolder(rec: ReturnType<typeof run>): Map<string, string> {
  const files = [...renderFiles(rec)].filter(([f]) => f.startsWith('policies/'));
  expect(files.length).toBe(rec.policies.reduce((n, p) => n + p.proposed.length, 0));
  return new Map(files);
}

describe('policy sources', () => {
  it('a customer-managed policy that also reaches the user through a group is not edited in place', () => {
    const shared = customerManaged('team', trimmable, 1); // AttachmentCount understated: the same ARN shows twice
    const rec = run({ snapshot: snapshot({ type: 'user', policies: [shared, fromGroup(shared, 'devs')], services }) });
    const direct = rec.policies.find((p) => p.source.Type === 'principal');
    expect(direct?.action).not.toBe('update');
    expect(rec.policies.find((p) => p.source.Type === 'group')?.action).toBe('keep');
  });

  it('a user with the same policy through two groups keeps both, in two files', () => {
    const team = customerManaged('team', trimmable, 2);
    const rec = run({ snapshot: snapshot({ type: 'user', policies: [fromGroup(team, 'devs'), fromGroup(team, 'ops')], services }) });
    expect(rec.policies.map((p) => [p.action, p.reason])).toEqual([
      ['keep', 'group-policy-kept'],
      ['keep', 'group-policy-kept'],
    ]);
    expect([...policiesFolder(rec).keys()]).toEqual(['policies/group-devs-managed-team.json', 'policies/group-ops-managed-team.json']);
  });

  it('inline, managed, group and replacement policies with colliding names each get their own file', () => {
    const policies = [
      inline('app', trimmable),
      customerManaged('app', trimmable, 3),
      fromGroup(inline('app', trimmable), 'devs'),
      inline('managed-app', trimmable),
      inline('app-trimmed-for-app', trimmable), // the name the shared "app" replacement would take: <policy>-trimmed-for-<principal>
      awsManaged('App', trimmable),
    ];
    const rec = run({ snapshot: snapshot({ type: 'user', policies, services }) });
    const folder = policiesFolder(rec);
    const names = [...folder.keys()].map((f) => f.toLowerCase());
    expect(new Set(names).size).toBe(names.length);
    expect(outcome(rec, 's3:CreateBucket').after).toBe('Allowed');
  });

  it('two replaced policies of the same name (AWS- and customer-managed, any case) get distinct replacement names', () => {
    const rec = run({
      snapshot: snapshot({
        policies: [awsManaged('ReadOnly', trimmable), customerManaged('readonly', trimmable, 3), customerManaged('ReadOnly-trimmed-for-app-leastpriv', trimmable, 3)],
        services,
      }),
    });
    const names = rec.policies.flatMap((p) => p.proposed.map((d) => d.name));
    expect(rec.policies.map((p) => p.action)).toEqual(['replace', 'replace', 'replace']);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
    expect(names).toEqual(['ReadOnly-trimmed-for-app', 'readonly-trimmed-for-app-leastpriv2', 'ReadOnly-trimmed-for-app-leastpriv-trimmed-for-app']);
  });

  it('policy names made of dots stay inside policies/; a name with a slash is rejected as input', () => {
    const rec = run({ snapshot: snapshot({ policies: [inline('..', trimmable), inline('.', trimmable)], services }) });
    for (const f of policiesFolder(rec).keys()) expect(f).toMatch(/^policies\/[^/]+\.json$/);
    expect(() => run({ snapshot: snapshot({ policies: [inline('../../escape', trimmable)], services }) })).toThrow(/\$\.subject\.policies\[0\]\.PolicyName/);
  });

  it('an AWS-managed policy is never updated, only kept or replaced by a customer-managed copy', () => {
    const rec = run({ snapshot: snapshot({ policies: [awsManaged('PowerUser', trimmable)], services }) });
    const p = rec.policies[0];
    expect(p?.action).toBe('replace');
    expect(p?.proposed.map((d) => [d.kind, d.name])).toEqual([['customer-managed', 'PowerUser-trimmed-for-app']]);
  });

  it('a policy that bounds other principals (PermissionsBoundaryUsageCount) is not edited in place', () => {
    const policy = { ...customerManaged('guardrail', trimmable, 1), PermissionsBoundaryUsageCount: 40 };
    const rec = run({ snapshot: snapshot({ policies: [policy], services }) });
    expect(rec.policies[0]?.action).toBe('replace');
    expect(rec.policies[0]?.why).toContain('permissions boundary of 40 principals');
    const kept = run({ snapshot: snapshot({ policies: [policy], services }), config: { sharedPolicies: 'keep' } });
    expect(kept.policies[0]?.action).toBe('keep');
  });

  it('the permissions boundary is neither a grant nor trimmed, even when the same policy is also attached', () => {
    const boundaryArn = `arn:aws:iam::${ACCOUNT}:policy/boundary`;
    const boundaryDoc = doc(allow(['s3:*', 'ec2:*']));
    const snap = snapshot({ policies: [customerManaged('boundary', boundaryDoc, 1)], services });
    principalSubject(snap).principal.PermissionsBoundaryArn = boundaryArn;
    principalSubject(snap).permissionsBoundary = { PolicyArn: boundaryArn, PolicyName: 'boundary', DefaultVersionId: 'v1', PolicyDocument: boundaryDoc };
    const rec = run({ snapshot: snap });
    // publishing a new default version of the boundary policy would narrow the boundary itself
    expect(rec.policies[0]?.action).not.toBe('update');
    expect(outcome(rec, 's3:CreateBucket').after).toBe('Allowed');

    const only = snapshot({ policies: [inline('work', doc(allow('s3:CreateBucket')))], services });
    principalSubject(only).principal.PermissionsBoundaryArn = boundaryArn;
    principalSubject(only).permissionsBoundary = { PolicyArn: boundaryArn, PolicyName: 'boundary', PolicyDocument: boundaryDoc };
    const r2 = run({ snapshot: only });
    expect(r2.summary.before.actions).toBe(1);
    expect(afterSet(r2).Statement).toEqual([allow('s3:CreateBucket')]);
  });
});
