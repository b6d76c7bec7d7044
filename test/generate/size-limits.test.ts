/**
 * Proposals near AWS size limits, over the full catalog: an AWS-managed NotAction policy that narrows into thousands
 * of explicit actions must be compacted or split into documents that each fit, without widening, without losing a
 * used action, and with its Deny statements intact; an in-place update that cannot fit keeps the original.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../../src/catalog/catalog.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { policySize } from '../../src/policy/index.js';
import { recommendWith } from '../../src/recommend.js';
import type { ServiceLastAccessed } from '../../src/snapshot/types.js';
import { decide } from '../policy/oracle.js';
import { awsManaged, customerManaged, daysBefore, doc, snapshot, tracked } from '../support/snapshots.js';
import { afterSet, beforeSet } from '../support/pipeline.js';

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCatalog();
});

const unused = (ns: string): ServiceLastAccessed => ({ ServiceName: ns, ServiceNamespace: ns, TotalAuthenticatedEntities: 0 });
const used = (ns: string, tracked?: ServiceLastAccessed['TrackedActionsLastAccessed']): ServiceLastAccessed => ({
  ServiceName: ns,
  ServiceNamespace: ns,
  LastAuthenticated: daysBefore(1),
  TotalAuthenticatedEntities: 1,
  ...(tracked ? { TrackedActionsLastAccessed: tracked } : {}),
});

const deny = { Sid: 'NoLeaving', Effect: 'Deny', Action: ['organizations:LeaveOrganization', 'account:CloseAccount'], Resource: '*' };

describe('size limits over the full catalog', () => {
  it('a NotAction AWS-managed policy narrows into fitting documents that grant no more and keep what is used', () => {
    // every third catalog service unused, ec2 used with a few tracked actions unused, the rest absent (kept)
    const services = catalog.services.filter((_, i) => i % 3 === 0 && _ !== 'ec2').map(unused);
    services.push(used('ec2', [tracked('RunInstances', daysBefore(2)), tracked('DeleteVpc'), tracked('CreateVpc', daysBefore(300))]));
    const rec = recommendWith({
      catalog,
      toolVersion: 'test',
      snapshot: snapshot({
        policies: [awsManaged('PowerUserAccess', doc({ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' }, deny))],
        services,
      }),
    });
    const p = rec.policies[0];
    expect(p?.action).toBe('replace');
    for (const d of p?.proposed ?? []) expect(policySize(d.document)).toBeLessThanOrEqual(6144);
    expect(p?.proposed.flatMap((d) => d.document.Statement).filter((s) => s.Effect === 'Deny')).toEqual([deny]);

    const before = beforeSet(rec);
    const after = afterSet(rec);
    const req = (action: string) => ({ action, resource: '*', context: {} });
    const ids = catalog.all().map((a) => a.id);
    for (const id of ids.filter((_, i) => i % 7 === 0)) {
      if (decide(after, req(id)) === 'Allowed') expect(decide(before, req(id)), id).toBe('Allowed');
    }
    for (const kept of ['ec2:RunInstances', 'ec2:DescribeInstances', 's3:GetObject', 'iam:PassRole']) {
      expect(decide(after, req(kept)), kept).toBe(decide(before, req(kept)));
    }
    expect(decide(after, req('ec2:DeleteVpc'))).toBe('ImplicitlyDenied');
    expect(decide(after, req('organizations:LeaveOrganization'))).toBe('ExplicitlyDenied');
  });

  it('an in-place update that cannot fit 6,144 characters keeps the original and says so', () => {
    // Allow NotAction of every other ec2 action (5 kB): narrowing lists the interleaved ec2 actions that stay, which
    // no exact prefix wildcard can compact, so the trimmed version would exceed the managed-policy limit
    const ec2 = (catalog.actionsOf('ec2') ?? []).map((a) => a.id);
    const original = doc({ Effect: 'Allow', NotAction: ec2.filter((_, i) => i % 2 === 0).slice(0, 150), Resource: '*' });
    expect(policySize(original as never)).toBeLessThanOrEqual(6144);
    const services = [unused('s3'), used('ec2', ec2.filter((_, i) => i % 7 === 1).map((id) => tracked(id.split(':')[1] as string)))];
    const rec = recommendWith({ catalog, toolVersion: 'test', snapshot: snapshot({ policies: [customerManaged('big', original)], services }) });
    const p = rec.policies[0];
    expect(p?.action).toBe('keep');
    expect(p?.reason).toBe('size-limit-kept-original');
    expect(p?.proposed.map((d) => d.document)).toEqual([original]);
    expect(rec.limits.map((l) => l.code)).toEqual(['managed-policy-too-large']);
    expect(p?.keptDespiteUnused.wholeServices.map((w) => w.service)).toContain('s3');
  });

  it('a Deny statement too large for one managed policy is never cut: the AWS-managed original is kept', () => {
    const ec2 = (catalog.actionsOf('ec2') ?? []).map((a) => a.id);
    const bigDeny = { Sid: 'NoEc2', Effect: 'Deny', Action: ec2.slice(0, 300), Resource: '*' };
    const original = doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }, bigDeny);
    const services = [used('s3', [tracked('CreateBucket')])];
    const rec = recommendWith({ catalog, toolVersion: 'test', snapshot: snapshot({ policies: [awsManaged('Big', original)], services }) });
    const p = rec.policies[0];
    expect(p?.action).toBe('keep');
    expect(p?.reason).toBe('size-limit-kept-original');
    expect(p?.proposed.map((d) => d.document)).toEqual([original]);
    expect(rec.limits[0]?.message).toContain('Deny statement (Sid NoEc2)');
  });
});
