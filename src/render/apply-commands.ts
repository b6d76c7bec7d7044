import { parseIamArn } from '../snapshot/arn.js';
import { formatDateTime } from '../text.js';
import { organizationsApply } from './organizations-commands.js';
import type { Recommendation, RecommendedPolicy } from './recommendation.js';

/**
 * A value as one shell word: bare when it holds only characters no shell treats specially, else single-quoted. IAM
 * paths, and so policy ARNs, may hold any printable ASCII (`$(…)`, `;`, `|`, backticks): a reviewer pasting the
 * commands must not run what a policy's path says.
 */
export function shellWord(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The IAM entity a policy belongs to: the principal, or the group a user's policy comes from. */
export interface PolicyOwner {
  readonly entity: 'role' | 'user' | 'group';
  readonly name: string;
}

/** The entities holding a managed policy, in the snapshot's order: the principal (or its group), or everyone a
 *  managed-policy subject is attached to. */
export function ownersOf(rec: Recommendation, pol: RecommendedPolicy): PolicyOwner[] {
  if (rec.subjectKind === 'managed-policy') return rec.managedPolicy.attachedEntities.map((e) => ({ entity: e.Type, name: e.Name }));
  if (rec.subjectKind !== 'principal') return [];
  return [pol.source.Type === 'group' ? { entity: 'group', name: pol.source.GroupName } : { entity: rec.principal.Type, name: rec.principal.Name }];
}

/** The one owner of an inline policy (only principals have them). */
export function ownerOf(rec: Recommendation, pol: RecommendedPolicy): PolicyOwner {
  return ownersOf(rec, pol)[0] ?? { entity: 'role', name: '<name>' };
}

const file = (f: string): string => shellWord(`file://${f}`);
const nameFlag = (o: PolicyOwner): string => `--${o.entity}-name ${shellWord(o.name)}`;

/** The aws CLI commands of both directions, one builder each, so apply and roll back quote alike. */
export const iam = {
  putInline: (o: PolicyOwner, policyName: string, document: string): string =>
    `aws iam put-${o.entity}-policy ${nameFlag(o)} --policy-name ${shellWord(policyName)} --policy-document ${file(document)}`,
  deleteInline: (o: PolicyOwner, policyName: string): string => `aws iam delete-${o.entity}-policy ${nameFlag(o)} --policy-name ${shellWord(policyName)}`,
  attach: (o: PolicyOwner, arn: string): string => `aws iam attach-${o.entity}-policy ${nameFlag(o)} --policy-arn ${shellWord(arn)}`,
  detach: (o: PolicyOwner, arn: string): string => `aws iam detach-${o.entity}-policy ${nameFlag(o)} --policy-arn ${shellWord(arn)}`,
  createPolicy: (name: string, document: string): string => `aws iam create-policy --policy-name ${shellWord(name)} --policy-document ${file(document)}`,
  deletePolicy: (arn: string): string => `aws iam delete-policy --policy-arn ${shellWord(arn)}`,
  createVersion: (arn: string, document: string): string =>
    `aws iam create-policy-version --policy-arn ${shellWord(arn)} --policy-document ${file(document)} --set-as-default`,
  setDefaultVersion: (arn: string, versionId: string): string =>
    `aws iam set-default-policy-version --policy-arn ${shellWord(arn)} --version-id ${shellWord(versionId)}`,
  getVersion: (arn: string, versionId: string): string =>
    `aws iam get-policy-version --policy-arn ${shellWord(arn)} --version-id ${shellWord(versionId)}`,
  deleteVersion: (arn: string, versionId: string): string =>
    `aws iam delete-policy-version --policy-arn ${shellWord(arn)} --version-id ${shellWord(versionId)}`,
};

/** The ARN create-policy gives a replacement: the account of the subject (of an entity holding an AWS-managed
 *  policy, whose own ARN names no account), no path. */
export function replacementArn(rec: Recommendation, name: string): string {
  const from =
    rec.subjectKind === 'principal'
      ? rec.principal.Arn
      : rec.subjectKind !== 'managed-policy'
        ? ''
        : rec.managedPolicy.ManagedBy === 'customer'
          ? rec.managedPolicy.Arn
          : (rec.managedPolicy.attachedEntities[0]?.Arn ?? '');
  const arn = parseIamArn(from);
  return `arn:${arn?.partition ?? 'aws'}:iam::${arn?.account ?? '<account-id>'}:policy/${name}`;
}

/**
 * The aws CLI commands that apply a recommendation, as text for a reviewer. leastpriv never writes to IAM. New
 * policies are created and attached before the old ones are detached, so there is no moment without the kept
 * permissions.
 */
export function applyCommands(rec: Recommendation): string[] {
  if (rec.subjectKind === 'scp' || rec.subjectKind === 'organization-entity') return organizationsApply(rec);
  const lines: string[] = [];
  for (const pol of rec.policies) {
    if (pol.action === 'keep') continue;
    lines.push(`# ${pol.policyName}: ${pol.action} (${pol.reason})`);
    lines.push(...commandsFor(rec, pol));
  }
  return lines;
}

function commandsFor(rec: Recommendation, pol: RecommendedPolicy): string[] {
  const owners = ownersOf(rec, pol);
  const arn = pol.policyArn ?? '';
  switch (pol.action) {
    case 'keep':
    case 'create':
      return [];
    case 'update':
      if (pol.kind === 'inline') return pol.proposed.map((d) => iam.putInline(ownerOf(rec, pol), pol.policyName, d.file));
      return [...makeRoomForVersion(rec, arn), ...pol.proposed.map((d) => iam.createVersion(arn, d.file))];
    case 'replace':
      // one && chain: when a create fails (the name is taken, by an earlier run say) its attach would attach the
      // policy that already has that name, and a failed attach (quota) must not be followed by the detach
      return chain([
        ...pol.proposed.flatMap((d) => [iam.createPolicy(d.name, d.file), ...owners.map((o) => iam.attach(o, replacementArn(rec, d.name)))]),
        ...owners.map((o) => iam.detach(o, arn)),
      ]);
    case 'remove':
      return pol.kind === 'inline' ? [iam.deleteInline(ownerOf(rec, pol), pol.policyName)] : owners.map((o) => iam.detach(o, arn));
  }
}

/** IAM keeps at most 5 versions of a managed policy: with 5, create-policy-version fails until one goes. */
const MAX_POLICY_VERSIONS = 5;

/**
 * Before a new version: a managed-policy subject's versions are known, so the oldest non-default one is named when
 * there is no room; a principal's snapshot does not list them, so the rule is stated.
 */
function makeRoomForVersion(rec: Recommendation, arn: string): string[] {
  if (rec.subjectKind !== 'managed-policy') return ['# a managed policy keeps at most 5 versions: delete the oldest non-default one first if it has 5'];
  const versions = rec.managedPolicy.versions;
  if (versions.length < MAX_POLICY_VERSIONS) return [];
  const oldest = versions.find((v) => !v.IsDefaultVersion);
  if (oldest === undefined) return [];
  return [
    `# the policy has ${versions.length} versions, IAM's maximum: delete the oldest non-default one (${oldest.VersionId}, created ${formatDateTime(oldest.CreateDate)}) first;`,
    '# a deleted version cannot be restored, so keep its document first',
    `${iam.getVersion(arn, oldest.VersionId)} > ${shellWord(`deleted-${oldest.VersionId}.json`)}`,
    iam.deleteVersion(arn, oldest.VersionId),
  ];
}

/** commands that run only while every previous one succeeded, one per line */
export function chain(commands: readonly string[]): string[] {
  return commands.map((c, i) => `${i === 0 ? '' : '  && '}${c}${i < commands.length - 1 ? ' \\' : ''}`);
}
