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
import { awsManaged, customerManaged, daysBefore, doc, inline, snapshot, tracked } from '../support/snapshots.js';
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

  it('a customer-managed Allow * updated in place: never-used services go, services in use stay whole where the limit needs it', () => {
    // every catalog service listed; 40 in use, each with its actions alternately used and never used (scattered:
    // no prefix wildcard can compact what stays), the rest never used
    const inUse = catalog.services.filter((_, i) => i % 11 === 0).slice(0, 40);
    const services = catalog.services.map((ns) =>
      inUse.includes(ns)
        ? used(ns, (catalog.actionsOf(ns) ?? []).map((a, i) => tracked(a.name, i % 2 === 0 ? daysBefore(3) : undefined)))
        : unused(ns),
    );
    const original = doc({ Effect: 'Allow', Action: '*', Resource: '*' }, deny);
    const rec = recommendWith({ catalog, toolVersion: 'test', snapshot: snapshot({ policies: [customerManaged('everything', original)], services }) });
    const p = rec.policies[0];
    expect(p?.action).toBe('update');
    expect(p?.proposed).toHaveLength(1);
    expect(policySize(p?.proposed[0]?.document as never)).toBeLessThanOrEqual(6144);
    // every service never used is gone, but for iam:PassRole (never reported, always kept)
    const never = catalog.services.filter((ns) => !inUse.includes(ns) && ns !== 'iam');
    expect(p?.removed.wholeServices.map((w) => w.service).sort()).toEqual([...never].sort());
    // what was used still is allowed, and nothing is allowed that was not (iam-simulate)
    const before = beforeSet(rec);
    const after = afterSet(rec);
    const req = (action: string) => ({ action, resource: '*', context: {} });
    expect(decide(after, req('iam:PassRole'))).toBe('Allowed');
    for (const ns of inUse) {
      for (const a of (catalog.actionsOf(ns) ?? []).filter((_, i) => i % 2 === 0)) expect(decide(after, req(a.id)), a.id).toBe('Allowed');
    }
    for (const id of catalog.all().map((a) => a.id).filter((_, i) => i % 5 === 0)) {
      if (decide(after, req(id)) === 'Allowed') expect(decide(before, req(id)), id).toBe('Allowed');
    }
    // the services kept whole for size are named, with the unused actions they still grant
    expect(p?.why).toMatch(/To fit, .* kept as written so that the policy fits the 6,144-character limit; they still grant [\d,]+ unused actions\./);
    expect(rec.limits).toEqual([]);
    expect(p?.proposed[0]?.document.Statement).toContainEqual(deny);
  });

  it("a user's inline policies: the one whose narrowing would burst the 2,048-character aggregate stays as written, the other is trimmed", () => {
    // narrowing NotAction iam:* lists every other service the report cannot prove unused: far beyond 2,048 characters
    const wide = doc({ Sid: 'MostServices', Effect: 'Allow', NotAction: 'iam:*', Resource: '*' });
    const queues = doc({ Sid: 'Queues', Effect: 'Allow', Action: ['sqs:SendMessage', 'sqs:CreateQueue', 'sqs:DeleteQueue'], Resource: '*' });
    const services = [used('ec2', [tracked('RunInstances', daysBefore(2)), tracked('DeleteVpc')]), used('sqs', [tracked('SendMessage', daysBefore(1)), tracked('CreateQueue'), tracked('DeleteQueue')])];
    const rec = recommendWith({ catalog, toolVersion: 'test', snapshot: snapshot({ type: 'user', policies: [inline('wide', wide), inline('queues', queues)], services }) });
    const [w, q] = rec.policies;
    expect(q?.action).toBe('update');
    expect(q?.removed.actions).toEqual(['sqs:CreateQueue', 'sqs:DeleteQueue']);
    expect(w?.action).toBe('keep');
    expect(w?.proposed[0]?.document).toEqual(w?.original);
    expect(rec.limits.map((l) => l.code)).toEqual(['inline-aggregate-exceeded']);
    const total = rec.policies.flatMap((p) => p.proposed).reduce((n, d) => n + d.size, 0);
    expect(total).toBeLessThanOrEqual(2048);
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
