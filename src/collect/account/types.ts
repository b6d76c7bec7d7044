import type { Snapshot, Subject } from '../../snapshot/types.js';
import type { ApiCallEvent, CollectProgressEvent } from '../call.js';
import type { AwsConnectionOptions } from '../clients.js';

/**
 * The contract between the account-wide collector (./collect-accounts.ts) and whoever consumes its subjects (the
 * batch runner of src/batch/, which recommends and writes each one). The collector knows AWS; the consumer knows
 * folders, the index and the summary.
 */

/** What an account-wide run can take as subjects: the folder kinds DIR/[<account-id>/]<kind>/<name>/. */
export type AccountSubjectKind = 'role' | 'user' | 'group' | 'policy';

/** One subject of an account-wide run: it names the subject's output folder and its snapshot file. */
export interface SubjectKey {
  /** the 12-digit account the subject lives in */
  readonly account: string;
  readonly kind: AccountSubjectKind;
  /** the role, user, group or customer-managed policy name (unique per kind within an account) */
  readonly name: string;
  readonly arn: string;
}

/** Which subjects of each account to take (the --all-* flags and the filters). */
export interface AccountSelection {
  readonly roles: boolean;
  readonly users: boolean;
  readonly groups: boolean;
  /** customer-managed policies attached to at least one role, user or group, each as a managed-policy subject */
  readonly policies: boolean;
  /** IAM path prefix ("/" default); applies to every kind */
  readonly pathPrefix?: string;
  /** name globs (* and ?, case-insensitive as IAM names are): a subject is taken when it matches one (all when none) */
  readonly include?: readonly string[];
  /** name globs: a subject matching one is left out */
  readonly exclude?: readonly string[];
}

/** Why a listed subject is not collected (it still appears in the index and the summary). */
export type SkipReason =
  /** path /aws-service-role/: IAM refuses edits to a service-linked role's policies */
  'service-linked-role';

/** Which accounts to run: the credentials' own, a list, or every ACTIVE account of the organization. */
export type AccountScope =
  | { readonly kind: 'current' }
  | { readonly kind: 'list'; readonly ids: readonly string[] }
  | { readonly kind: 'organization' };

/** What the collector tells its consumer, in the order it happens; `collected` and `failed` once per planned subject. */
export type AccountRunEvent =
  /** an account's subjects are known (after GetAccountAuthorizationDetails), before any report job starts */
  | { readonly kind: 'planned'; readonly account: string; readonly subjects: readonly SubjectKey[]; readonly skipped: readonly { key: SubjectKey; reason: SkipReason }[] }
  | { readonly kind: 'collected'; readonly key: SubjectKey; readonly snapshot: Snapshot }
  /** this subject only: AccessDenied, deleted after listing (NoSuchEntity), a FAILED job, a timeout; one line */
  | { readonly kind: 'failed'; readonly key: SubjectKey; readonly error: string }
  /** the whole account: AssumeRole refused, GetAccountAuthorizationDetails denied; one line */
  | { readonly kind: 'account-failed'; readonly account: string; readonly error: string };

export interface AccountRunOptions extends AwsConnectionOptions {
  readonly selection: AccountSelection;
  /** default the credentials' own account */
  readonly scope?: AccountScope;
  /** with scope list or organization: STS AssumeRole into arn:aws:iam::<id>:role/<assumeRoleName> */
  readonly assumeRoleName?: string;
  readonly externalId?: string;
  /** report jobs in flight per account (a rolling window); DEFAULT_REPORT_CONCURRENCY otherwise */
  readonly concurrency?: number;
  /** bound on each report job's wait (default 10 min) */
  readonly timeoutMs?: number;
  readonly pollIntervalMs?: number;
  /**
   * Asked once per planned subject, with its subject as just built from the account's listing, before its report job
   * starts: true → not collected, and no event follows for it (--resume: the caller already holds a snapshot of this
   * very subject, same policies, same documents, so only its report is reused).
   */
  readonly skip?: (key: SubjectKey, subject: Subject) => boolean;
  /** aborted (Ctrl-C): no new work starts, work in flight is abandoned, collectAccounts resolves once all settled */
  readonly signal?: AbortSignal;
  /** every event; the collector awaits it, so a consumer that writes a folder slows the run rather than piling up */
  readonly onEvent: (event: AccountRunEvent) => void | Promise<void>;
  readonly onApiCall?: (event: ApiCallEvent) => void;
  readonly onProgress?: (event: CollectProgressEvent) => void;
}
