/**
 * explanation.md for a reviewer and a ticket: never-used actions of a service in use rolled up per service (every
 * action still in recommendation.json, and in the Markdown with explainActions), the high-risk permissions that go and
 * those that stay with the resource they stay on, removals resting on a last use marked as possible rare paths, and a
 * last use older than the tracking period never given as a day count.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../src/catalog/catalog.js';
import { recommendWith } from '../../src/recommend.js';
import { renderExplanation } from '../../src/render/explanation.js';
import { renderFiles } from '../../src/render/files.js';
import type { Recommendation } from '../../src/render/recommendation.js';
import type { ServiceLastAccessed } from '../../src/snapshot/types.js';
import { allow, CATALOG_UPDATED_AT, daysBefore, doc, inline, snapshot, tracked, usedService } from '../support/snapshots.js';

const NAMES = Array.from({ length: 10 }, (_, i) => `Act${i}`);
const catalog = buildCatalog({
  version: 'test-catalog',
  updatedAt: CATALOG_UPDATED_AT,
  services: [
    { prefix: 'svc', name: 'Some Service', actions: NAMES.map((name) => ({ name, accessLevel: 'Write' })) },
    {
      prefix: 'iam',
      name: 'AWS Identity and Access Management',
      actions: [
        { name: 'CreateAccessKey', accessLevel: 'Write' },
        { name: 'GetRole', accessLevel: 'Read' },
        { name: 'PassRole', accessLevel: 'Write' },
      ],
    },
    { prefix: 'sts', name: 'AWS Security Token Service', actions: [{ name: 'AssumeRoot', accessLevel: 'Write' }, { name: 'GetCallerIdentity', accessLevel: 'Read' }] },
  ],
});

const service = (ns: string, last: string, tracked_?: ReturnType<typeof tracked>[]): ServiceLastAccessed => ({
  ...usedService(ns, last, tracked_),
  ServiceName: catalog.serviceName(ns),
});

/** svc: Act0 used yesterday, Act1…Act8 never used, Act9 last used `act9DaysAgo` days ago */
function recommend(options: { act9DaysAgo?: number; config?: unknown } = {}): Recommendation {
  const svc = service('svc', daysBefore(1), [
    tracked('Act0', daysBefore(1)),
    ...NAMES.slice(1, 9).map((n) => tracked(n)),
    tracked('Act9', daysBefore(options.act9DaysAgo ?? 200)),
  ]);
  return recommendWith({
    catalog,
    toolVersion: 'test',
    snapshot: snapshot({
      policies: [
        inline('app', doc(allow('svc:*'), allow(['sts:AssumeRoot', 'iam:PassRole']), allow('iam:CreateAccessKey', 'arn:aws:iam::123456789012:user/ci'))),
      ],
      services: [svc, service('sts', daysBefore(1)), service('iam', daysBefore(1), [tracked('CreateAccessKey', daysBefore(2)), tracked('GetRole')])],
    }),
    ...(options.config === undefined ? {} : { config: options.config }),
  });
}

describe('what goes is rolled up per service', () => {
  const rec = recommend();
  const md = renderExplanation(rec);

  it('the never-used actions of a service in use are one row, with how many of the granted ones go', () => {
    expect(md).toContain('| `svc`: 8 of 10 actions granted | none used in the tracking period | — | `action-never-used` |');
    for (const n of NAMES.slice(1, 9)) expect(md).not.toContain(`| \`svc:${n}\` |`);
  });

  it('recommendation.json still lists every removed action', () => {
    expect(rec.policies[0]?.removed.actions).toEqual(expect.arrayContaining(NAMES.slice(1).map((n) => `svc:${n}`)));
  });

  it('explainActions puts one row per action back, through renderFiles too', () => {
    const detailed = renderExplanation(rec, { explainActions: true });
    for (const n of NAMES.slice(1, 9)) expect(detailed).toContain(`| \`svc:${n}\` | never used in the tracking period | — | \`action-never-used\` |`);
    expect(detailed).not.toContain('8 of 10 actions granted');
    expect(renderFiles(rec, { explainActions: true }).get('explanation.md')).toBe(detailed);
    expect(renderFiles(rec).get('explanation.md')).toBe(md);
  });
});

describe('high-risk permissions that stay are named, with the resource they stay on', () => {
  const rec = recommend();
  const md = renderExplanation(rec);

  it('recommendation.json lists them, with whether they stay on every resource', () => {
    expect(rec.summary.highRiskKept).toEqual([
      { action: 'iam:CreateAccessKey', anyResource: false, policies: ['app'] },
      { action: 'iam:PassRole', anyResource: true, policies: ['app'] },
      { action: 'sts:AssumeRoot', anyResource: true, policies: ['app'] },
    ]);
  });

  it('the explanation says them right after the counts, before the policies, apply and roll back', () => {
    expect(md).toContain('- Stay on every resource (`"Resource": "*"` or NotResource) (2): `iam:PassRole`, `sts:AssumeRoot`');
    expect(md).toContain('- Stay on named resources only (1): `iam:CreateAccessKey`');
    const at = (heading: string): number => md.indexOf(heading);
    const order = ['## Summary', '## High-risk permissions', '## Removed although used in the tracking period', '## Policies', '## How to apply', '## How to roll back'].map(at);
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });
});

describe('a removal after a use is marked: a rare path may still need it', () => {
  it('the removal says how long ago it was last used, in its row and in its own section', () => {
    const rec = recommend();
    expect(rec.summary.removedAfterUse).toEqual([
      expect.objectContaining({ subject: 'svc:Act9', scope: 'action', reason: 'action-unused', daysUnused: 200, beforeTrackingPeriod: false, actions: 1 }),
    ]);
    const md = renderExplanation(rec);
    expect(md).toContain('`action-unused`: last used 200 days ago: rare paths such as failure handling may still need it |');
    expect(md).toContain('- `svc:Act9`: last used 200 days ago: rare paths such as failure handling may still need it');
    expect(md).toContain('{"neverRemove": ["svc:Act9"]}');
    // a never-used removal is no rare path
    expect(md).not.toMatch(/svc:Act1`: last used/);
  });

  it("the config's neverRemove keeps it, and then nothing is marked", () => {
    const rec = recommend({ config: { neverRemove: ['svc:Act9'] } });
    expect(rec.policies[0]?.removed.actions).not.toContain('svc:Act9');
    expect(rec.summary.removedAfterUse).toEqual([]);
    expect(renderExplanation(rec)).not.toContain('## Removed although used');
  });

  it('for a managed policy as the subject too (the shared-policy-all-entities example)', () => {
    const dir = join(import.meta.dirname, '../../policies-examples/shared-policy-all-entities/output/app-common');
    const json = JSON.parse(readFileSync(join(dir, 'recommendation.json'), 'utf8')) as Recommendation;
    expect(json.subjectKind).toBe('managed-policy');
    expect(json.summary.removedAfterUse.map((u) => u.subject)).toEqual(['xray', 'secretsmanager:PutSecretValue']);
    const md = readFileSync(join(dir, 'explanation.md'), 'utf8');
    expect(md).toMatch(/- `xray` \(2 actions\): last used \d+ days ago: rare paths such as failure handling may still need it/);
    expect(md).toContain('- Stay on named resources only (1): `secretsmanager:GetSecretValue`');
  });
});

describe('a last use older than the tracking period', () => {
  const rec = recommend({ act9DaysAgo: 801 });
  const md = renderExplanation(rec);

  it('is a fact of the recommendation', () => {
    expect(rec.summary.removedAfterUse[0]).toMatchObject({ subject: 'svc:Act9', beforeTrackingPeriod: true });
  });

  it('is said to lie before the tracking period, with no day count IAM cannot vouch for', () => {
    expect(md).not.toContain('801');
    expect(md).toContain(`| \`svc:Act9\` | before the tracking period (began ${rec.observationWindow.trackingStart.slice(0, 10)}) | — |`);
    expect(md).toContain(`- \`svc:Act9\`: last used before the tracking period (began ${rec.observationWindow.trackingStart.slice(0, 10)})`);
  });
});
