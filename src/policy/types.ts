/**
 * The policy engine's vocabulary. Documents are normalised once on the way in (parse.ts) so the rest of the engine
 * never has to ask "string or array?"; the rewrite emits AWS's own shape again (single values unwrapped).
 */
export const EFFECTS = ['Allow', 'Deny'] as const;
export type Effect = (typeof EFFECTS)[number];
export const POLICY_VERSIONS = ['2012-10-17', '2008-10-17'] as const;
export type PolicyVersion = (typeof POLICY_VERSIONS)[number];

/** A Condition block, carried verbatim: operator → key → value(s). Never edited by leastpriv. */
export type ConditionBlock = Record<string, Record<string, unknown>>;

export interface NormalizedStatement {
  /** position of the statement in the input document (0-based); provenance points here */
  readonly index: number;
  readonly Sid?: string;
  readonly Effect: Effect;
  /** which of Action / NotAction the statement used */
  readonly actionKind: 'Action' | 'NotAction';
  /** the action patterns exactly as written (order kept, arrays flattened) */
  readonly actions: readonly string[];
  /** which of Resource / NotResource the statement used; identity policies always carry one of them */
  readonly resourceKind: 'Resource' | 'NotResource';
  /** the resource patterns exactly as written */
  readonly resources: readonly string[];
  readonly Condition?: ConditionBlock;
  /** true when the input wrote Action/Resource as a single string; kept so an unchanged statement prints the same */
  readonly actionWasString: boolean;
  readonly resourceWasString: boolean;
}

export interface NormalizedPolicy {
  readonly Version: PolicyVersion;
  readonly Id?: string;
  readonly statements: readonly NormalizedStatement[];
}

/** A policy document in AWS's JSON shape, as emitted by the engine (and as stored in snapshots). */
export interface PolicyDocument {
  Version: PolicyVersion;
  Id?: string;
  Statement: PolicyStatementJson[];
}

export interface PolicyStatementJson {
  Sid?: string;
  Effect: Effect;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: ConditionBlock;
}

/** One problem found in a document; `path` names the place, e.g. `Statement[2].Action[0]`. */
export interface PolicyProblem {
  readonly path: string;
  readonly message: string;
  /** the statement the problem is in, when it is in one */
  readonly statementIndex?: number;
}

export type ParseResult =
  | { readonly ok: true; readonly policy: NormalizedPolicy }
  | { readonly ok: false; readonly problems: readonly PolicyProblem[] };
