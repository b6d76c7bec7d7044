/**
 * Organizations subjects from snapshots (the collector comes separately): an SCP trimmed for the member accounts it
 * applies to, and a deny-list guardrail for an OU. Every rule that holds an SCP back, the guardrail's never-deny list,
 * exemptions and splitting, and the commands printed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../../src/catalog/catalog.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { recommendWith } from '../../src/recommend.js';
import { renderExplanation } from '../../src/render/explanation.js';
import type { Recommendation } from '../../src/render/recommendation.js';
import { applyCommands } from '../../src/render/apply-commands.js';
import { rollbackCommands } from '../../src/render/rollback-commands.js';
import { SCP_SIZE_LIMIT } from '../../src/generate/scp-size.js';

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCatalog();
});

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const fixture = (name: string): Json => JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/organizations', name), 'utf8')) as Json;
const run = (snapshot: Json, extra: { exemptPrincipalArns?: string[]; config?: unknown } = {}): Recommendation =>
  recommendWith({ snapshot, catalog, toolVersion: 'test', ...extra });
const allowed = (rec: Recommendation): string[] =>
  (rec.policies[0]?.proposed[0]?.document.Statement ?? []).filter((s) => s.Effect === 'Allow').flatMap((s) => [s.Action ?? []].flat()).sort();

describe('an SCP trimmed for the accounts it applies to', () => {
  it('services no account used within the threshold leave its Allow list; the rest and the Deny stay', () => {
    const rec = run(fixture('scp.json'));
    const p = rec.policies[0];
    expect(p).toMatchObject({ action: 'update', reason: 'scp-trimmed' });
    expect(allowed(rec)).toEqual(['cloudwatch:*', 'dynamodb:*', 'ec2:*', 'iam:*', 'lambda:*', 'logs:*', 's3:*', 'sqs:*']);
    expect(p?.proposed[0]?.document.Statement).toContainEqual({ Sid: 'NoLeaving', Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' });
    expect(p?.proposed[0]?.size).toBeLessThanOrEqual(SCP_SIZE_LIMIT);
    expect(rec.summary.servicesRemoved).toEqual(['kinesis', 'redshift']);
    expect(applyCommands(rec)).toContain('aws organizations update-policy --policy-id p-allowlist01 --content file://policies/workloads-allowed-services.json');
    expect(rollbackCommands(rec)).toContain('aws organizations update-policy --policy-id p-allowlist01 --content file://original/workloads-allowed-services.json');
    expect(renderExplanation(rec)).toContain('| `prod-app` (222233334444) |');
  });

  it('a report for an OU below a target, or for another policy, is no proof of disuse: nothing goes', () => {
    for (const report of [{ EntityPath: 'o-abcdefghij/r-ab12/ou-ab12-workload1/222233334444' }, { OrganizationsPolicyId: 'p-other0001' }]) {
      const snap = fixture('scp.json');
      Object.assign(snap.report, report);
      const rec = run(snap);
      expect(rec.policies[0]).toMatchObject({ action: 'keep', reason: 'scp-report-not-covering' });
      expect(rec.policies[0]?.why).toContain('no proof of disuse');
    }
  });

  it('an account that joined within the threshold holds the SCP, naming it and when it can be trimmed', () => {
    const snap = fixture('scp.json');
    snap.subject.accounts[1].JoinedTimestamp = '2026-10-01T00:00:00Z';
    const rec = run(snap);
    expect(rec.outcome).toBe('observation-window-too-short');
    expect(rec.observationWindow.latestStart).toMatchObject({ kind: 'account', arn: '333344445555' });
    expect(rec.policies[0]?.why).toContain('account `staging-app` (333344445555) joined the organization 2026-10-01');
  });

  it('FullAWSAccess cannot be edited: kept, pointing to --entity-path', () => {
    const snap = fixture('scp.json');
    Object.assign(snap.subject.policy, { Id: 'p-FullAWSAccess', Name: 'FullAWSAccess', AwsManaged: true });
    snap.report.OrganizationsPolicyId = 'p-FullAWSAccess';
    const rec = run(snap);
    expect(rec.policies[0]).toMatchObject({ action: 'keep', reason: 'scp-aws-managed' });
    expect(rec.policies[0]?.why).toContain('--entity-path');
  });

  it('an SCP that applies to no member account is kept', () => {
    const snap = fixture('scp.json');
    snap.subject.accounts = [];
    expect(run(snap).policies[0]).toMatchObject({ action: 'keep', reason: 'scp-applies-to-no-account' });
  });

  it('the management account is never one of the accounts', () => {
    const snap = fixture('scp.json');
    snap.subject.accounts[0].Id = '111122223333';
    snap.subject.accounts[0].Path = 'o-abcdefghij/r-ab12/ou-ab12-workload1/111122223333';
    expect(() => run(snap)).toThrow(/is the management account, which SCPs never limit/);
  });
});

describe('a deny-list guardrail for an OU', () => {
  it('denies the services no account below used, with break-glass principals exempt, and prints create + attach', () => {
    const rec = run(fixture('ent.json'), { exemptPrincipalArns: ['arn:aws:iam::*:role/BreakGlass'] });
    const p = rec.policies[0];
    expect(p).toMatchObject({ action: 'create', reason: 'guardrail-created' });
    expect(p?.proposed[0]?.document.Statement).toEqual([
      {
        Sid: 'DenyServicesUnused1',
        Effect: 'Deny',
        Action: ['kinesis:*', 'redshift:*'],
        Resource: '*',
        Condition: { ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/BreakGlass'] } },
      },
    ]);
    expect(applyCommands(rec).join('\n')).toContain('aws organizations attach-policy --policy-id "$id" --target-id ou-ab12-workload1');
    expect(rollbackCommands(rec).join('\n')).toContain('aws organizations delete-policy --policy-id "$id"');
    expect(renderExplanation(rec)).toContain('| `redshift` | 2026-02-01 00:00 UTC (eu-west-1) | 292 | `service-unused` |');
  });

  it('never denies a service on the never-deny list (defaults and config), nor one absent from the report', () => {
    const snap = fixture('ent.json');
    // iam unused: still never denied (a default); kinesis kept by the config
    const iam = snap.report.AccessDetails.find((d: Json) => d.ServiceNamespace === 'iam');
    delete iam.LastAuthenticatedTime;
    const rec = run(snap, { config: { neverDeny: ['kinesis'] } });
    expect(rec.policies[0]?.proposed[0]?.document.Statement[0]?.Action).toBe('redshift:*');
  });

  it('denies nothing while a young account is below', () => {
    const snap = fixture('ent.json');
    snap.subject.accounts[0].JoinedTimestamp = '2026-11-01T00:00:00Z';
    const rec = run(snap);
    expect(rec.policies[0]).toMatchObject({ action: 'keep', reason: 'guardrail-not-needed' });
    expect(rec.policies[0]?.proposed).toEqual([]);
  });

  it('splits over several SCPs of at most 5,120 characters, and warns past the per-target quota', () => {
    const snap = fixture('ent.json');
    snap.report.AccessDetails = catalog.services.slice(0, 400).map((ns) => ({ ServiceName: ns, ServiceNamespace: ns, TotalAuthenticatedEntities: 0 }));
    snap.subject.attachedPolicies = [1, 2, 3, 4].map((n) => ({ Id: `p-attached0${n}`, Name: `scp-${n}`, AwsManaged: false }));
    const rec = run(snap);
    const parts = rec.policies[0]?.proposed ?? [];
    expect(parts.length).toBeGreaterThan(1);
    for (const d of parts) expect(d.size).toBeLessThanOrEqual(SCP_SIZE_LIMIT);
    expect(rec.limits.map((l) => l.code)).toEqual(['scp-quota']);
  });
});
