import type { AccountRunOptions, AccountSubjectKind, SkipReason, SubjectKey } from '../collect/account/types.js';
import type { Catalog } from '../catalog/catalog.js';
import type { Same } from '../type-checks.js';
import type { RenderOptions } from '../render/explanation.js';
import type { Outcome } from '../render/recommendation.js';

/**
 * The account-wide runner's vocabulary: what became of each subject and each account. The renderers of index.md and
 * summary.json (src/render/index-md.ts, src/render/summary.ts) read only these.
 */

/** Where a subject's snapshot and folder are named from; `account` is the 12-digit account it lives in. */
export type { AccountSubjectKind, SkipReason, SubjectKey };

/** The collector as the runner sees it: src/collect/account's collectAccounts, or a test's fake. */
export type AccountCollector = (options: AccountRunOptions) => Promise<void>;

/** SkipReason as a list (the schema's enum); the check below fails to compile when the contract gains a reason */
export const SKIP_REASONS = ['service-linked-role'] as const;
const skipReasonsAgree: Same<(typeof SKIP_REASONS)[number], SkipReason> = true;
void skipReasonsAgree;

export const SUBJECT_STATUSES = ['recommended', 'collected', 'failed', 'skipped', 'interrupted'] as const;
export type SubjectStatus = (typeof SUBJECT_STATUSES)[number];

/** What a recommendation says in the index: its outcome and counts, as the Recommendation carries them. */
export interface RecommendedFigures {
  readonly outcome: Outcome;
  readonly actionsBefore: number;
  readonly actionsAfter: number;
  readonly servicesRemoved: readonly string[];
  readonly highRiskRemoved: readonly string[];
}

interface ResultBase {
  readonly key: SubjectKey;
  /** the subject's folder (or snapshot without `.json`) relative to the output folder, '/'-separated */
  readonly folder: string;
}

/** One subject's fate; `collected` only in a run that writes snapshots and no recommendation (collect --all-*). */
export type SubjectResult =
  | (ResultBase & { readonly status: 'recommended' } & RecommendedFigures)
  | (ResultBase & { readonly status: 'collected' })
  | (ResultBase & { readonly status: 'failed'; readonly error: string })
  | (ResultBase & { readonly status: 'skipped'; readonly reason: SkipReason })
  | (ResultBase & { readonly status: 'interrupted' });

export const ACCOUNT_STATUSES = ['completed', 'failed', 'interrupted'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

export type AccountResult =
  | { readonly account: string; readonly status: 'completed' | 'interrupted' }
  | { readonly account: string; readonly status: 'failed'; readonly error: string };

/** A whole run: subjects in the index's order, accounts by id. */
export interface BatchResult {
  readonly subjects: readonly SubjectResult[];
  readonly accounts: readonly AccountResult[];
  /** folders are DIR/<account-id>/<kind>/<name>/ (--accounts, --organization), not DIR/<kind>/<name>/ */
  readonly perAccount: boolean;
  /** stopped by its signal (Ctrl-C) before every subject was done */
  readonly interrupted: boolean;
  readonly toolVersion: string;
}

/** How each subject is recommended: the options of `recommend`, resolved once per run. */
export interface BatchRecommendOptions {
  readonly catalog: Catalog;
  readonly toolVersion: string;
  readonly unusedDays?: number;
  readonly asOf?: string;
  /** parsed config JSON (read once per run), with the label naming it in errors */
  readonly config?: unknown;
  readonly configLabel?: string;
  readonly render: RenderOptions;
}

/** What the runner tells its caller as it goes (the CLI's progress line). */
export type BatchEvent =
  | { readonly kind: 'planned'; readonly subjects: number }
  | { readonly kind: 'finished'; readonly result: SubjectResult }
  | { readonly kind: 'account-failed'; readonly account: string; readonly error: string }
  /** a report job started or ended: `inFlight` jobs now */
  | { readonly kind: 'in-flight'; readonly inFlight: number }
  | { readonly kind: 'throttled-retry' }
  /** a warning about the options (said once per run, whatever the number of subjects it concerns) */
  | { readonly kind: 'option-warning'; readonly message: string };
