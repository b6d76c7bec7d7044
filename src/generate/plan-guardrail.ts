import type { OrgEntityAnalysis } from '../analyze/types.js';
import type { PolicyDocument, PolicyStatementJson } from '../policy/types.js';
import type { DraftPlan } from './plan.js';
import { SCP_SIZE_LIMIT, scpSize } from './scp-size.js';

/**
 * Services a deny-list guardrail never denies by default, whatever the report says: what an account needs to stay
 * manageable and recoverable (identity, the organization itself, support, billing, sign-in, audit). A config's
 * `neverDeny` adds to them.
 */
export const DEFAULT_NEVER_DENY = [
  'account',
  'aws-portal',
  'billing',
  'ce',
  'cloudtrail',
  'config',
  'health',
  'iam',
  'organizations',
  'signin',
  'sso',
  'sts',
  'support',
  'trustedadvisor',
] as const;

export interface GuardrailInput {
  readonly analysis: OrgEntityAnalysis;
  /** principals the Deny does not apply to (break-glass), as `aws:PrincipalArn` patterns */
  readonly exemptPrincipalArns: readonly string[];
  readonly neverDeny: readonly string[];
}

/** a new SCP has no place in the snapshot (index -1): the entity it is for is the subject */
const ref = (name: string): DraftPlan['ref'] => ({ snapshotIndex: -1, policyName: name, kind: 'managed', managedBy: 'customer', source: { Type: 'principal' } });

const EMPTY: PolicyDocument = { Version: '2012-10-17', Statement: [] };

/** the guardrail's name: what it is and where it goes */
export const guardrailName = (a: OrgEntityAnalysis, part?: number): string =>
  `deny-unused-services-${a.entity.Path.split('/').pop() ?? 'entity'}${part === undefined ? '' : `-${part}`}`;

/**
 * The deny-list guardrail for a root, OU or account: one new SCP denying the services the report lists (allowed
 * there) that no account below used within N days — never a service absent from the report, one on the never-deny
 * list, nor anything while a young account is below (the window). Split over several SCPs when one would exceed
 * 5,120 characters.
 */
export function planGuardrail(input: GuardrailInput): DraftPlan[] {
  const { analysis: a } = input;
  const neverDeny = new Set([...DEFAULT_NEVER_DENY, ...input.neverDeny.map((s) => s.toLowerCase())]);
  const keep = (because: 'nothing-unused' | 'window-too-short' | 'no-account', neverDenied: readonly string[]): DraftPlan[] => {
    const facts = { reason: 'guardrail-not-needed', because, neverDenied } as const;
    return [
      { ref: ref(guardrailName(a)), action: 'keep', reason: facts.reason, facts, original: EMPTY, removed: [], keptDespiteUnused: [], statements: [], proposed: [], introducedWildcards: [] },
    ];
  };
  if (a.entity.accounts.length === 0) return keep('no-account', []);
  if (a.window.status === 'too-short') return keep('window-too-short', []);
  const unused = a.allowedServices.filter((s) => {
    const d = a.decisions.find((x) => x.scope === 'service' && x.subject === s);
    return d?.verdict === 'remove';
  });
  const denied = unused.filter((s) => !neverDeny.has(s)).sort();
  const neverDenied = unused.filter((s) => neverDeny.has(s)).sort();
  if (denied.length === 0) return keep('nothing-unused', neverDenied);
  const condition = input.exemptPrincipalArns.length ? { Condition: { ArnNotLike: { 'aws:PrincipalArn': [...input.exemptPrincipalArns] } } } : {};
  const statement = (actions: readonly string[], n: number): PolicyStatementJson => ({
    Sid: `DenyServicesUnused${n}`,
    Effect: 'Deny',
    Action: actions.length === 1 ? (actions[0] as string) : [...actions],
    Resource: '*',
    ...condition,
  });
  // fill each SCP with as many services as fit
  const parts: string[][] = [];
  for (const s of denied.map((x) => `${x}:*`)) {
    const last = parts[parts.length - 1];
    if (last && scpSize({ Version: '2012-10-17', Statement: [statement([...last, s], parts.length)] }) <= SCP_SIZE_LIMIT) last.push(s);
    else parts.push([s]);
  }
  const documents = parts.map((p, i): PolicyDocument => ({ Version: '2012-10-17', Statement: [statement(p, i + 1)] }));
  const facts = { reason: 'guardrail-created', services: denied.length, parts: documents.length, exempt: [...input.exemptPrincipalArns], accounts: a.entity.accounts.length } as const;
  return [
    {
      ref: ref(guardrailName(a)),
      action: 'create',
      reason: facts.reason,
      facts,
      original: EMPTY,
      removed: [],
      keptDespiteUnused: [],
      statements: [],
      introducedWildcards: [],
      proposed: documents.map((d, i) => ({
        name: guardrailName(a, documents.length > 1 ? i + 1 : undefined),
        kind: 'scp',
        document: d,
        size: scpSize(d),
        limit: SCP_SIZE_LIMIT,
      })),
    },
  ];
}
