import type { Same } from '../type-checks.js';
import type { RecentDefaultVersion, WindowStart } from '../analyze/types.js';
import type { ManagedBy, PrincipalType } from '../snapshot/types.js';
import type { PolicyReason } from './types.js';

/**
 * What a plan rests on, as facts: the reason code and what the renderer needs to say it (src/render/plan-why.ts).
 * The generator decides; it writes no sentences.
 */

/** unused actions a statement keeps because it also grants, in use, what the catalog cannot name */
export interface HeldByUncatalogued {
  readonly actions: number;
  readonly statements: number;
}

/** why a new version of a customer-managed policy would change more than this principal's own attachment */
export type SharedBeyondPrincipal =
  | { readonly kind: 'attached-elsewhere'; readonly attachmentCount: number; readonly policyArn: string }
  | { readonly kind: 'own-boundary'; readonly principalType: PrincipalType }
  | { readonly kind: 'boundary-of-others'; readonly principals: number }
  | { readonly kind: 'through-groups'; readonly principalType: PrincipalType; readonly via: readonly string[] };

/** what a trimmed plan adds to its reason: a Deny-only result, actions held by uncatalogued use, parts kept as
 *  written to fit a size limit */
interface TrimNotes {
  readonly denyOnly: boolean;
  readonly held: HeldByUncatalogued;
  readonly keptWhole?: readonly KeptWhole[];
}

export type PlanFacts =
  | {
      readonly reason: 'observation-window-too-short';
      readonly coveredDays: number;
      readonly dataStart: string;
      readonly referenceTime: string;
      readonly thresholdDays: number;
      /** a managed-policy subject: what started the data (its default version, an entity, a group member) */
      readonly start?: WindowStart;
    }
  | { readonly reason: 'policy-version-too-recent'; readonly version: RecentDefaultVersion; readonly referenceTime: string }
  | {
      readonly reason: 'nothing-removed';
      /** none: nothing proven unused; held: all of it held by uncatalogued use; service-wildcard: only `*:*`-like patterns grant it */
      readonly because: 'none-unused' | 'held' | 'service-wildcard';
      readonly held: HeldByUncatalogued;
    }
  | { readonly reason: 'group-policy-kept'; readonly groupName: string }
  | { readonly reason: 'shared-policy-kept'; readonly shared: SharedBeyondPrincipal }
  | { readonly reason: 'size-limit-kept-original'; readonly limit: SizeLimitFact }
  /** entities: a managed-policy subject, detached from each of them */
  | { readonly reason: 'no-statement-left'; readonly policyKind: 'inline' | 'managed'; readonly entities?: number }
  | { readonly reason: 'policy-not-attached'; readonly managedBy: ManagedBy }
  | ({ readonly reason: 'scp-trimmed'; readonly accounts: number } & TrimNotes)
  | { readonly reason: 'scp-aws-managed'; readonly policyName: string }
  | { readonly reason: 'scp-report-not-covering'; readonly reportPath: string; readonly reportPolicyId?: string; readonly targets: readonly string[] }
  | { readonly reason: 'scp-applies-to-no-account' }
  | { readonly reason: 'guardrail-created'; readonly services: number; readonly parts: number; readonly exempt: readonly string[]; readonly accounts: number }
  | { readonly reason: 'guardrail-not-needed'; readonly because: 'nothing-unused' | 'window-too-short' | 'no-account'; readonly neverDenied: readonly string[] }
  | { readonly reason: 'policy-is-permissions-boundary'; readonly principals: number }
  | ({ readonly reason: 'managed-policy-new-version'; readonly entities: number } & TrimNotes)
  | ({ readonly reason: 'managed-policy-replaced'; readonly policyName: string; readonly entities: number; readonly parts: number } & TrimNotes)
  | ({ readonly reason: 'inline-trimmed' } & TrimNotes)
  | ({ readonly reason: 'customer-managed-new-version' } & TrimNotes)
  | ({ readonly reason: 'shared-policy-replaced'; readonly shared: SharedBeyondPrincipal; readonly parts: number } & TrimNotes)
  | ({ readonly reason: 'aws-managed-replaced'; readonly policyName: string; readonly parts: number } & TrimNotes);

/** a statement carried as written so that the document fits its size limit, and the unused actions it still grants */
export interface KeptWhole {
  readonly index: number;
  readonly Sid?: string;
  /** the service whose part of the statement is kept as written; absent: the whole statement */
  readonly service?: string;
  readonly unusedActions: number;
}

/** which size limit a trimmed proposal could not meet */
export type SizeLimitFact =
  | { readonly kind: 'managed-policy'; readonly message: string }
  | { readonly kind: 'inline-aggregate'; readonly size: number; readonly limit: number; readonly principalType: PrincipalType };

// every reason has its facts and every facts its reason: a new reason code fails the typecheck here until it has both
const everyReasonHasFacts: Same<PlanFacts['reason'], PolicyReason> = true;
void everyReasonHasFacts;
