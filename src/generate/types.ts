import type { Same } from '../type-checks.js';
import type { AnalysisWarning, PolicyRef, RecentDefaultVersion } from '../analyze/types.js';
import type { Effect, PolicyDocument } from '../policy/types.js';
import type { PlanFacts } from './plan-facts.js';
import type { PrincipalType } from '../snapshot/types.js';
import type { HighRiskKept } from './high-risk.js';
import type { RemovedAfterUse } from './removed-after-use.js';

// Each list below is the one place its codes are spelled: the type is derived from it, and so is the enum of
// recommendation.json's schema (render/recommendation-schema.ts). The order is the schema's.

/** What to do with one of the principal's policies. */
export const POLICY_ACTIONS = ['keep', 'update', 'replace', 'remove', 'create'] as const;
export type PolicyAction = (typeof POLICY_ACTIONS)[number];

/** Why. Documented in docs/recommend.md. */
export const POLICY_REASONS = [
  /** no permission of the policy is removable */
  'nothing-removed',
  /** the data covers less than the threshold: nothing is removed anywhere */
  'observation-window-too-short',
  /** a customer-managed policy whose default version is younger than the threshold: its permissions may be newly
   *  granted, nothing is removed from it (evidence: RecentDefaultVersion) */
  'policy-version-too-recent',
  /** an inline policy: its document is replaced by the trimmed one */
  'inline-trimmed',
  /** a customer-managed policy attached only to this principal: a trimmed new default version */
  'customer-managed-new-version',
  /** a customer-managed policy also attached elsewhere: detach it here, attach a principal-specific copy */
  'shared-policy-replaced',
  /** a customer-managed policy also attached elsewhere, kept because the config says sharedPolicies: keep */
  'shared-policy-kept',
  /** an AWS-managed policy cannot be edited: detach it, attach a new customer-managed policy holding what stays */
  'aws-managed-replaced',
  /** the policy reaches this user through a group: trimming it would change every member; kept */
  'group-policy-kept',
  /** every statement goes: delete (inline) or detach (managed) */
  'no-statement-left',
  /** the trimmed proposal cannot be made to fit AWS size limits: the original is kept */
  'size-limit-kept-original',
  /** a managed policy as the subject, attached to nothing: its report has nothing to show; kept */
  'policy-not-attached',
  /** a managed policy as the subject that is also a permissions boundary: the report does not see boundary use; kept */
  'policy-is-permissions-boundary',
  /** a customer-managed policy as the subject: its trimmed document as the new default version, for everyone it is
   *  attached to */
  'managed-policy-new-version',
  /** an AWS-managed policy as the subject: a customer-managed replacement attached to each entity in its place */
  'managed-policy-replaced',
  /** an SCP: its trimmed content replaces it (update-policy) for every account it applies to */
  'scp-trimmed',
  /** an AWS-managed SCP (FullAWSAccess) cannot be edited: a deny-list guardrail (--entity-path) is the way */
  'scp-aws-managed',
  /** the report does not cover every target of the SCP (generated below one, or for another policy): its missing
   *  data would read as "unused"; nothing is removed */
  'scp-report-not-covering',
  /** an SCP that applies to no member account: its report has nothing to show; kept */
  'scp-applies-to-no-account',
  /** a root, OU or account: a new deny-list SCP for the services no account below used */
  'guardrail-created',
  /** a root, OU or account where nothing can be denied (every service in use, kept by the never-deny list, or young
   *  accounts below) */
  'guardrail-not-needed',
] as const;
export type PolicyReason = (typeof POLICY_REASONS)[number];

export const PROPOSED_POLICY_KINDS = ['inline', 'customer-managed', 'aws-managed', 'scp'] as const;

export interface ProposedPolicy {
  /** the policy name to create or keep */
  readonly name: string;
  readonly kind: (typeof PROPOSED_POLICY_KINDS)[number];
  /** path of the document inside the output folder, e.g. `policies/app.json` */
  readonly file: string;
  readonly document: PolicyDocument;
  /** characters without whitespace, as IAM counts (an SCP: the file's bytes, whitespace included) */
  readonly size: number;
  /** the limit that applies to it alone (managed 6,144); inline policies share an aggregate limit */
  readonly limit?: number;
}

export const STATEMENT_CHANGES = ['unchanged', 'narrowed', 'dropped'] as const;

export interface StatementChange {
  readonly index: number;
  readonly Sid?: string;
  readonly effect: Effect;
  readonly change: (typeof STATEMENT_CHANGES)[number];
  /** how many catalog actions the statement no longer allows (the policy's `removed` lists them) */
  readonly removedActions: number;
}

export interface PolicyPlan {
  readonly ref: PolicyRef;
  readonly action: PolicyAction;
  readonly reason: PolicyReason;
  /** what the reason rests on; the renderer says it (src/render/plan-why.ts) */
  readonly facts: PlanFacts;
  /** the original document, as the engine prints it */
  readonly original: PolicyDocument;
  /** catalog actions this policy stops granting (sorted) */
  readonly removed: readonly string[];
  /** removable actions left in place because the policy is shared or could not be fitted (sorted) */
  readonly keptDespiteUnused: readonly string[];
  readonly statements: readonly StatementChange[];
  /** the documents that take this policy's place: the original (keep), its trimmed form (update), replacements
   *  (replace, possibly several when split to fit), none (remove) */
  readonly proposed: readonly ProposedPolicy[];
  /** wildcards compaction introduced to fit the size limit (each matches only kept actions of the catalog) */
  readonly introducedWildcards: readonly string[];
  /** with reason policy-version-too-recent: the version date the decision rests on */
  readonly evidence?: RecentDefaultVersion;
}

export const LIMIT_CODES = ['inline-aggregate-exceeded', 'managed-policy-too-large', 'managed-policy-quota', 'scp-quota'] as const;

/** A size limit or quota the proposal meets, as facts; the renderer words it (src/render/warning-text.ts). */
export type LimitFinding =
  | { readonly code: 'managed-policy-too-large'; readonly policyName: string; readonly why: string }
  | {
      readonly code: 'inline-aggregate-exceeded';
      /** trimmed: the trimmed documents would not fit even compacted (the originals are kept); input: the originals do not fit either */
      readonly over: 'trimmed' | 'input';
      readonly size: number;
      readonly limit: number;
      readonly principalType: PrincipalType;
    }
  | { readonly code: 'managed-policy-quota'; readonly attached: number; readonly quota: number; readonly principalType: PrincipalType }
  | { readonly code: 'scp-quota'; readonly attached: number; readonly quota: number; readonly target: string };

// every limit code has its facts
const everyLimitHasFacts: Same<LimitFinding['code'], (typeof LIMIT_CODES)[number]> = true;
void everyLimitHasFacts;

/** An input IAM would not accept as it stands (characters without whitespace): it cannot be applied as is. */
export interface InputOverLimit {
  /** inline-aggregate: the inline policies of one principal or group together; managed-policy: one customer-managed policy */
  readonly kind: 'inline-aggregate' | 'managed-policy';
  /** the policies measured */
  readonly policyNames: readonly string[];
  /** the group of a user whose inline policies these are; absent: the principal's own */
  readonly group?: string;
  readonly size: number;
  readonly limit: number;
}

export interface Counts {
  /** distinct catalog actions granted by at least one Allow statement (before Deny, Resource and Condition) */
  readonly actions: number;
  readonly services: number;
  /** unknown patterns carried verbatim */
  readonly unknownPatterns: number;
}

export interface Generation {
  readonly plans: readonly PolicyPlan[];
  readonly before: Counts;
  readonly after: Counts;
  /** services granted before and not after */
  readonly servicesRemoved: readonly string[];
  /** removed actions a reviewer should notice: permissions management, iam:*, sts:AssumeRole… (sorted) */
  readonly highRiskRemoved: readonly string[];
  /** high-risk actions the proposal still grants, and whether on every resource (sorted by action) */
  readonly highRiskKept: readonly HighRiskKept[];
  /** removals whose evidence has a last use: possible rare paths (services first, then actions) */
  readonly removedAfterUse: readonly RemovedAfterUse[];
  readonly limits: readonly LimitFinding[];
  /** the input documents over AWS's size limits as they stand (empty when all fit) */
  readonly inputOverLimits: readonly InputOverLimit[];
  /** about the proposal as a whole (catalog-older-than-report), after the analysis's own */
  readonly warnings: readonly AnalysisWarning[];
}
