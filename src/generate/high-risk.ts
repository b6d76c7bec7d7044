import type { Catalog } from '../catalog/catalog.js';
import { expandStatement, parsePolicy } from '../policy/index.js';
import type { PolicyDocument } from '../policy/types.js';

const HIGH_RISK_STS = /^sts:(AssumeRole|GetFederationToken|GetSessionToken)/i;

/**
 * Actions outside IAM and Organizations that a reviewer must see named, whatever their access level: each mints
 * credentials, runs code or commands under another identity, or opens a session on a host — the privilege-escalation
 * paths of AWS's own guidance on iam:PassRole and of the usual escalation catalogues. Lower case, `service:action`.
 */
export const DOCUMENTED_HIGH_RISK: readonly string[] = [
  // root-user sessions on member accounts
  'sts:assumeroot',
  // code that runs with a role's permissions
  'lambda:createfunction',
  'lambda:updatefunctioncode',
  'lambda:updatefunctionconfiguration',
  'glue:createdevendpoint',
  'glue:updatedevendpoint',
  'cloudformation:createstack',
  'cloudformation:updatestack',
  'codebuild:startbuild',
  'datapipeline:putpipelinedefinition',
  'ec2:runinstances',
  // commands and sessions on hosts
  'ssm:sendcommand',
  'ssm:startsession',
  'ec2-instance-connect:sendsshpublickey',
  // secrets handed out
  'secretsmanager:getsecretvalue',
];
const DOCUMENTED = new Set(DOCUMENTED_HIGH_RISK);

/**
 * Permissions a security reviewer wants to see called out, whether they go or stay: every permissions-management
 * action, IAM and Organizations writes, STS actions that mint credentials, and DOCUMENTED_HIGH_RISK.
 */
export function isHighRisk(catalog: Catalog, actionId: string): boolean {
  const action = catalog.lookup(actionId);
  if (!action) return false;
  if (action.accessLevel === 'Permissions management') return true;
  if ((action.service === 'iam' || action.service === 'organizations') && action.accessLevel !== 'List' && action.accessLevel !== 'Read') {
    return true;
  }
  return HIGH_RISK_STS.test(actionId) || DOCUMENTED.has(actionId.toLowerCase());
}

/** A high-risk permission the proposal still grants, and what it is granted on. */
export interface HighRiskKept {
  /** `service:Action` as the catalog spells it */
  readonly action: string;
  /** some Allow statement granting it has `Resource: "*"` or a NotResource: it stays on every resource */
  readonly anyResource: boolean;
  /** the proposed policies (names) that grant it, sorted */
  readonly policies: readonly string[];
}

/** The high-risk actions the proposed documents grant, sorted by action. Pure; Deny statements are not subtracted. */
export function highRiskKept(catalog: Catalog, proposed: readonly { readonly name: string; readonly document: PolicyDocument }[]): HighRiskKept[] {
  const found = new Map<string, { anyResource: boolean; policies: Set<string> }>();
  for (const p of proposed) {
    const parsed = parsePolicy(p.document);
    if (!parsed.ok) continue;
    for (const s of parsed.policy.statements) {
      if (s.Effect !== 'Allow') continue;
      const anyResource = s.resourceKind === 'NotResource' || s.resources.includes('*');
      for (const a of expandStatement(catalog, s).actions) {
        if (!isHighRisk(catalog, a)) continue;
        const f = found.get(a) ?? { anyResource: false, policies: new Set<string>() };
        f.anyResource ||= anyResource;
        f.policies.add(p.name);
        found.set(a, f);
      }
    }
  }
  return [...found]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([action, f]) => ({ action, anyResource: f.anyResource, policies: [...f.policies].sort() }));
}
