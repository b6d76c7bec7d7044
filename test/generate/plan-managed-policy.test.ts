/**
 * The planner of a managed policy as the subject, rule by rule: what holds it back (attached to nothing, also a
 * permissions boundary), and otherwise a trimmed new default version (customer-managed) or a customer-managed
 * replacement attached to each entity (AWS-managed), with the commands that apply and roll back each.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../../src/catalog/catalog.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { policySize } from '../../src/policy/index.js';
import { applyCommands } from '../../src/render/apply-commands.js';
import { renderExplanation } from '../../src/render/explanation.js';
import { rollbackCommands } from '../../src/render/rollback-commands.js';
import type { ServiceLastAccessed } from '../../src/snapshot/types.js';
import { formatDateTime } from '../../src/text.js';
import { planPolicy } from '../support/pipeline.js';
import {
  ACCOUNT,
  allow,
  attachedGroup,
  attachedRole,
  attachedUser,
  daysBefore,
  doc,
  groupMember,
  member,
  policySubjectSnapshot,
  policyVersions,
  tracked,
  unusedService,
  TRIMMABLE,
  type PolicySubjectOptions,
} from '../support/snapshots.js';

const { document: grants, services } = TRIMMABLE;
const entities = [attachedRole('worker'), attachedUser('dana'), attachedGroup('oncall', [groupMember('erin')])];
const plan = (o: Partial<PolicySubjectOptions>) => planPolicy(policySubjectSnapshot({ document: grants, services, entities, ...o }));

const CUSTOMER_ARN = `arn:aws:iam::${ACCOUNT}:policy/fleet`;
const AWS_ARN = 'arn:aws:iam::aws:policy/FleetAccess';
const COPY_ARN = `arn:aws:iam::${ACCOUNT}:policy/FleetAccess-trimmed`;
const noHeld = { actions: 0, statements: 0 };

describe('what holds a managed policy back', () => {
  it('a permissions boundary (PermissionsBoundaryUsageCount > 0): kept whole, with what would have gone', () => {
    const { plan: p, rec, pol } = plan({ boundaryUsage: 2 });
    expect(p.facts).toEqual({ reason: 'policy-is-permissions-boundary', principals: 2 });
    expect(pol).toMatchObject({ action: 'keep', removed: { wholeServices: [], actions: [] } });
    expect(pol.keptDespiteUnused).toEqual({ wholeServices: [{ service: 'ec2', actions: 1 }], actions: ['s3:PutObject'] });
    expect(pol.proposed.map((d) => d.document)).toEqual([grants]);
    expect(pol.why).toMatch(/^It is also the permissions boundary of 2 principals \(PermissionsBoundaryUsageCount\)\..*the report does not see that use/);
    expect(renderExplanation(rec)).toContain('| Attached to | 3 entities; permissions boundary of 2 principals |');
    expect(applyCommands(rec)).toEqual([]);
  });

  it('a boundary holds it back before a window too short does', () => {
    const { plan: p } = plan({ boundaryUsage: 1, entities: [attachedRole('worker', daysBefore(5))] });
    expect(p.reason).toBe('policy-is-permissions-boundary');
  });

  // attached to nothing, the report lists every service as never used
  const nobody = { entities: [], services: [unusedService('s3'), unusedService('ec2')] };

  it('attached to nothing (customer-managed): kept, every unused action with it; deleting it is the owner\'s call', () => {
    const { plan: p, rec, pol } = plan(nobody);
    expect(p.facts).toEqual({ reason: 'policy-not-attached', managedBy: 'customer' });
    expect(pol).toMatchObject({ action: 'keep', removed: { wholeServices: [], actions: [] } });
    expect(pol.keptDespiteUnused).toEqual({ wholeServices: [{ service: 'ec2', actions: 1 }, { service: 's3', actions: 2 }], actions: [] });
    expect(pol.why).toBe(
      'Attached to no role, user or group: its report has nothing to show, so nothing is proven unused and it is kept as it is. ' +
        'Nobody gets permissions from it now; deleting it is your call.',
    );
    expect(renderExplanation(rec)).toContain('| Attached to | nothing |');
    expect(applyCommands(rec)).toEqual([]);
  });

  it('attached to nothing (AWS-managed, which cannot be deleted): kept, and no word of deleting it', () => {
    const { plan: p, rec, pol } = plan({ ...nobody, managedBy: 'aws' });
    expect(p.facts).toEqual({ reason: 'policy-not-attached', managedBy: 'aws' });
    expect(pol.action).toBe('keep');
    expect(pol.why).toMatch(/Nobody gets permissions from it now\.$/);
    expect(renderExplanation(rec)).not.toMatch(/delet/i);
  });

  it('attached to nothing comes before a boundary', () => {
    expect(plan({ ...nobody, boundaryUsage: 1 }).plan.reason).toBe('policy-not-attached');
  });
});

describe('an AWS-managed policy: a customer-managed replacement attached to each entity', () => {
  const aws = () => plan({ managedBy: 'aws' });

  it('is <name>-trimmed, holding what any entity used', () => {
    const { plan: p, pol } = aws();
    expect(p.facts).toEqual({ reason: 'managed-policy-replaced', policyName: 'FleetAccess', entities: 3, parts: 1, keptWhole: [], denyOnly: false, held: noHeld });
    expect(pol.proposed).toMatchObject([{ name: 'FleetAccess-trimmed', kind: 'customer-managed', file: 'policies/FleetAccess-trimmed.json', limit: 6144, document: doc(allow('s3:GetObject')) }]);
    expect(pol.removed).toEqual({ wholeServices: [{ service: 'ec2', actions: 1 }], actions: ['s3:PutObject'] });
    expect(pol.why).toContain('attach it to all 3 entities it is attached to, then detach FleetAccess from them');
    expect(pol.why).toContain("The copy no longer follows AWS's updates to FleetAccess");
  });

  it('apply: create it, attach it to every entity, then detach the original from every entity, in one && chain', () => {
    expect(applyCommands(aws().rec)).toEqual([
      '# FleetAccess: replace (managed-policy-replaced)',
      'aws iam create-policy --policy-name FleetAccess-trimmed --policy-document file://policies/FleetAccess-trimmed.json \\',
      `  && aws iam attach-role-policy --role-name worker --policy-arn ${COPY_ARN} \\`,
      `  && aws iam attach-user-policy --user-name dana --policy-arn ${COPY_ARN} \\`,
      `  && aws iam attach-group-policy --group-name oncall --policy-arn ${COPY_ARN} \\`,
      `  && aws iam detach-role-policy --role-name worker --policy-arn ${AWS_ARN} \\`,
      `  && aws iam detach-user-policy --user-name dana --policy-arn ${AWS_ARN} \\`,
      `  && aws iam detach-group-policy --group-name oncall --policy-arn ${AWS_ARN}`,
    ]);
  });

  it('roll back: attach the original to every entity again before the copy is detached and deleted', () => {
    expect(rollbackCommands(aws().rec)).toEqual([
      '# FleetAccess: roll back replace',
      '# the original is attached again first; the last step deletes the copy (leave it out to keep it)',
      `aws iam attach-role-policy --role-name worker --policy-arn ${AWS_ARN} \\`,
      `  && aws iam attach-user-policy --user-name dana --policy-arn ${AWS_ARN} \\`,
      `  && aws iam attach-group-policy --group-name oncall --policy-arn ${AWS_ARN} \\`,
      `  && aws iam detach-role-policy --role-name worker --policy-arn ${COPY_ARN} \\`,
      `  && aws iam detach-user-policy --user-name dana --policy-arn ${COPY_ARN} \\`,
      `  && aws iam detach-group-policy --group-name oncall --policy-arn ${COPY_ARN} \\`,
      `  && aws iam delete-policy --policy-arn ${COPY_ARN}`,
    ]);
  });
});

describe('a customer-managed policy: a trimmed new default version for everyone', () => {
  it('create-policy-version --set-as-default; rolled back by making the current default the default again', () => {
    const { plan: p, rec, pol } = plan({ versions: policyVersions(2) });
    expect(p.facts).toEqual({ reason: 'managed-policy-new-version', entities: 3, keptWhole: [], denyOnly: false, held: noHeld });
    expect(pol).toMatchObject({ action: 'update', defaultVersionId: 'v2' });
    expect(pol.proposed).toMatchObject([{ name: 'fleet', kind: 'customer-managed', file: 'policies/fleet.json', limit: 6144, document: doc(allow('s3:GetObject')) }]);
    expect(pol.why).toBe('Publish the trimmed document as the new default version: it changes all 3 entities it is attached to at once and keeps everything any of them used.');
    expect(applyCommands(rec)).toEqual([
      '# fleet: update (managed-policy-new-version)',
      `aws iam create-policy-version --policy-arn ${CUSTOMER_ARN} --policy-document file://policies/fleet.json --set-as-default`,
    ]);
    expect(rollbackCommands(rec)).toEqual([
      '# fleet: roll back update',
      `aws iam set-default-policy-version --policy-arn ${CUSTOMER_ARN} --version-id v2`,
      '# then, optionally, delete the trimmed version (create-policy-version printed its VersionId):',
      `# aws iam delete-policy-version --policy-arn ${CUSTOMER_ARN} --version-id '<VersionId>'`,
    ]);
  });

  it('with 4 versions there is room: nothing is deleted first', () => {
    expect(applyCommands(plan({ versions: policyVersions(4) }).rec).filter((l) => l.includes('delete-policy-version'))).toEqual([]);
  });

  it('with 5 versions (IAM\'s maximum) the oldest non-default one is named and deleted first, whatever the listing order', () => {
    const five = policyVersions(5);
    const [v1, v2, v3, v4, v5] = five;
    const { rec } = plan({ versions: [v4!, v5!, v1!, v3!, v2!] });
    expect(applyCommands(rec)).toEqual([
      '# fleet: update (managed-policy-new-version)',
      `# the policy has 5 versions, IAM's maximum: delete the oldest non-default one (v1, created ${formatDateTime(v1!.CreateDate)}) first;`,
      '# a deleted version cannot be restored, so keep its document first',
      `aws iam get-policy-version --policy-arn ${CUSTOMER_ARN} --version-id v1 > deleted-v1.json`,
      `aws iam delete-policy-version --policy-arn ${CUSTOMER_ARN} --version-id v1`,
      `aws iam create-policy-version --policy-arn ${CUSTOMER_ARN} --policy-document file://policies/fleet.json --set-as-default`,
    ]);
    expect(rollbackCommands(rec)[1]).toBe(`aws iam set-default-policy-version --policy-arn ${CUSTOMER_ARN} --version-id v5`);
  });

  it('with 5 versions and the oldest the default, the next oldest goes', () => {
    const versions = policyVersions(5).map((v) => ({ ...v, IsDefaultVersion: v.VersionId === 'v1' }));
    const { rec } = plan({ versions, defaultVersionCreateDate: versions[0]!.CreateDate });
    expect(applyCommands(rec).filter((l) => l.startsWith('aws iam delete-policy-version'))).toEqual([
      `aws iam delete-policy-version --policy-arn ${CUSTOMER_ARN} --version-id v2`,
    ]);
    expect(rollbackCommands(rec)[1]).toBe(`aws iam set-default-policy-version --policy-arn ${CUSTOMER_ARN} --version-id v1`);
  });
});

describe('what the trimmed policy keeps', () => {
  it('a use by any one entity keeps the action for all of them', () => {
    const worker = { EntityInfo: { Arn: `arn:aws:iam::${ACCOUNT}:role/worker`, Name: 'worker', Type: 'ROLE' as const, Id: 'AROAWORKER' }, LastAuthenticated: daysBefore(1) };
    const { pol, rec } = plan({ entityDetails: { s3: [worker, member('dana'), member('erin')], ec2: [member('dana')] } });
    expect(pol.kept).toEqual({ wholeServices: [], actions: ['s3:GetObject'] });
    expect(pol.removed).toEqual({ wholeServices: [{ service: 'ec2', actions: 1 }], actions: ['s3:PutObject'] });
    expect(renderExplanation(rec)).toContain(`- \`s3\`: \`worker\` ${formatDateTime(daysBefore(1))}; 2 entities never used it`);
  });

  it('iam:PassRole, which AWS never reports, stays though its service is unused', () => {
    const { pol, rec } = plan({ document: doc(allow(['iam:PassRole', 'iam:CreateRole'])), services: [unusedService('iam')] });
    expect(pol.action).toBe('update');
    expect(pol.proposed[0]?.document).toEqual(doc(allow('iam:PassRole')));
    expect(pol.removed.actions).toEqual(['iam:CreateRole']);
    expect(rec.decisions.find((d) => d.subject === 'iam:PassRole')).toMatchObject({ verdict: 'keep', reason: 'never-remove' });
  });

  it('Deny statements are carried byte for byte, Resource and Condition of a narrowed statement unchanged', () => {
    const condition = { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } };
    const deny = { Sid: 'NoDelete', Effect: 'Deny', Action: ['s3:DeleteBucket', 's3:PutObject'], Resource: 'arn:aws:s3:::prod-*' };
    const document = doc(allow(['s3:GetObject', 's3:PutObject'], ['arn:aws:s3:::alpha/*', 'arn:aws:s3:::beta/*'], { Sid: 'Objects', Condition: condition }), deny);
    for (const managedBy of ['customer', 'aws'] as const) {
      const { pol } = plan({ managedBy, document });
      expect(pol.proposed.map((d) => d.document)).toEqual([
        doc(allow('s3:GetObject', ['arn:aws:s3:::alpha/*', 'arn:aws:s3:::beta/*'], { Sid: 'Objects', Condition: condition }), deny),
      ]);
      expect(pol.statements.map((s) => s.change)).toEqual(['narrowed', 'unchanged']);
    }
  });

  it('nothing unused: kept as it is, no command', () => {
    const { plan: p, rec } = plan({ document: doc(allow('s3:GetObject')) });
    expect(p.facts).toEqual({ reason: 'nothing-removed', because: 'none-unused', held: noHeld });
    expect(applyCommands(rec)).toEqual([]);
  });
});

describe('no statement left', () => {
  const unusedAll = { document: doc(allow(['s3:PutObject', 'ec2:RunInstances'])) };

  it.each([
    ['customer', CUSTOMER_ARN],
    ['aws', AWS_ARN],
  ] as const)('%s-managed: detached from every entity, attached to every one again on roll back', (managedBy, arn) => {
    const { plan: p, rec, pol } = plan({ ...unusedAll, managedBy });
    expect(p.facts).toEqual({ reason: 'no-statement-left', policyKind: 'managed', entities: 3 });
    expect(pol).toMatchObject({ action: 'remove', proposed: [] });
    expect(pol.why).toBe('No entity it is attached to used anything it grants: detach it from all 3 entities (deleting the policy afterwards is your call).');
    const name = managedBy === 'aws' ? 'FleetAccess' : 'fleet';
    expect(applyCommands(rec)).toEqual([
      `# ${name}: remove (no-statement-left)`,
      `aws iam detach-role-policy --role-name worker --policy-arn ${arn}`,
      `aws iam detach-user-policy --user-name dana --policy-arn ${arn}`,
      `aws iam detach-group-policy --group-name oncall --policy-arn ${arn}`,
    ]);
    expect(rollbackCommands(rec)).toEqual([
      `# ${name}: roll back remove`,
      `aws iam attach-role-policy --role-name worker --policy-arn ${arn}`,
      `aws iam attach-user-policy --user-name dana --policy-arn ${arn}`,
      `aws iam attach-group-policy --group-name oncall --policy-arn ${arn}`,
    ]);
  });

  it('one entity: "the entity"', () => {
    expect(plan({ ...unusedAll, entities: [attachedRole('worker')] }).pol.why).toMatch(/^No entity it is attached to used anything it grants: detach it from the entity /);
  });

  it('with a Deny statement, no Allow left: the new version keeps the Deny alone, and says so', () => {
    const deny = { Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' };
    const { plan: p, pol } = plan({ document: doc(allow(['s3:PutObject', 'ec2:RunInstances']), deny) });
    expect(p.facts).toMatchObject({ reason: 'managed-policy-new-version', denyOnly: true });
    expect(pol.proposed.map((d) => d.document)).toEqual([doc(deny)]);
    expect(pol.why).toContain('No Allow is left; its Deny statements stay so that no denial is lifted.');
  });
});

describe('a customer-managed policy whose narrowing would exceed 6,144 characters (full catalog)', () => {
  let catalog: Catalog;
  beforeAll(async () => {
    catalog = await loadCatalog();
  });
  const used = (ns: string, list: ServiceLastAccessed['TrackedActionsLastAccessed']): ServiceLastAccessed => ({
    ServiceName: ns,
    ServiceNamespace: ns,
    LastAuthenticated: daysBefore(1),
    TotalAuthenticatedEntities: 1,
    TrackedActionsLastAccessed: list,
  });

  it('keeps the service part whose narrowing takes the most room as written, and still trims the others', () => {
    // `NotAction iam:*` narrowed without ec2:DeleteVpc lists every other service: thousands of characters; the Iam
    // statement loses iam:CreateRole, which no other statement grants
    const broad = { Sid: 'Broad', Effect: 'Allow', NotAction: ['iam:*'], Resource: '*' };
    const document = doc(broad, { Sid: 'Iam', Effect: 'Allow', Action: ['iam:GetRole', 'iam:CreateRole'], Resource: '*' });
    const snap = policySubjectSnapshot({
      document,
      entities,
      services: [
        used('iam', [tracked('GetRole', daysBefore(1)), tracked('CreateRole')]),
        used('ec2', [tracked('RunInstances', daysBefore(1)), tracked('DeleteVpc')]),
      ],
    });
    const { plan: p, rec, pol } = planPolicy(snap, { catalog });
    // the original fits: the policy is never given up as a whole while it does
    expect(policySize(pol.original)).toBeLessThanOrEqual(6144);
    expect(p.facts).toEqual({ reason: 'managed-policy-new-version', entities: 3, keptWhole: [{ index: 0, Sid: 'Broad', service: 'ec2', unusedActions: 1 }], denyOnly: false, held: noHeld });
    expect(pol.proposed).toHaveLength(1);
    for (const d of pol.proposed) expect(policySize(d.document)).toBeLessThanOrEqual(6144);
    expect(pol.proposed[0]?.document).toEqual(doc(broad, { Sid: 'Iam', Effect: 'Allow', Action: 'iam:GetRole', Resource: '*' }));
    expect(pol.removed).toEqual({ wholeServices: [], actions: ['iam:CreateRole'] });
    expect(pol.keptDespiteUnused).toEqual({ wholeServices: [], actions: ['ec2:DeleteVpc'] });
    expect(pol.statements.map((s) => [s.Sid, s.change])).toEqual([['Broad', 'unchanged'], ['Iam', 'narrowed']]);
    expect(pol.why).toContain('To fit, ec2 in statement #0 (Broad) is kept as written so that the policy fits the 6,144-character limit; it still grants 1 unused action.');
    expect(rec.limits).toEqual([]);
  });
});
