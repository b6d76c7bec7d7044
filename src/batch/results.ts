import { SUBJECT_KINDS } from './layout.js';
import type { AccountResult, SubjectResult } from './types.js';

/** The figures index.md ends with and summary.json carries. */
export interface BatchTotals {
  readonly subjects: number;
  /** recommended with reductions */
  readonly reduced: number;
  /** recommended without (no change, or an observation window too short to say) */
  readonly unchanged: number;
  readonly collected: number;
  readonly failed: number;
  readonly skipped: number;
  readonly interrupted: number;
  /** over the recommended subjects */
  readonly actionsBefore: number;
  readonly actionsAfter: number;
  readonly accountsFailed: number;
}

export function batchTotals(subjects: readonly SubjectResult[], accounts: readonly AccountResult[]): BatchTotals {
  const count = (status: SubjectResult['status']): number => subjects.filter((s) => s.status === status).length;
  const recommended = subjects.flatMap((s) => (s.status === 'recommended' ? [s] : []));
  return {
    subjects: subjects.length,
    reduced: recommended.filter((s) => s.outcome === 'reductions-recommended').length,
    unchanged: recommended.filter((s) => s.outcome !== 'reductions-recommended').length,
    collected: count('collected'),
    failed: count('failed'),
    skipped: count('skipped'),
    interrupted: count('interrupted'),
    actionsBefore: recommended.reduce((n, s) => n + s.actionsBefore, 0),
    actionsAfter: recommended.reduce((n, s) => n + s.actionsAfter, 0),
    accountsFailed: accounts.filter((a) => a.status === 'failed').length,
  };
}

/** actions a subject's recommendation removes (0 for anything not recommended) */
export const actionsRemoved = (s: SubjectResult): number => (s.status === 'recommended' ? s.actionsBefore - s.actionsAfter : 0);

const STATUS_ORDER: readonly SubjectResult['status'][] = ['recommended', 'collected', 'failed', 'skipped', 'interrupted'];
const compare = (a: string | number, b: string | number): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The index's order: what can be removed first (most actions removed first), then account, kind, name; subjects that
 * failed, were skipped or interrupted after, in that order. Code-unit comparison, never the host's locale: the same
 * input gives the same bytes everywhere.
 */
export function orderSubjects(subjects: readonly SubjectResult[]): SubjectResult[] {
  return [...subjects].sort(
    (a, b) =>
      compare(STATUS_ORDER.indexOf(a.status), STATUS_ORDER.indexOf(b.status)) ||
      compare(actionsRemoved(b), actionsRemoved(a)) ||
      compare(a.key.account, b.key.account) ||
      compare(SUBJECT_KINDS.indexOf(a.key.kind), SUBJECT_KINDS.indexOf(b.key.kind)) ||
      compare(a.key.name, b.key.name) ||
      compare(a.folder, b.folder),
  );
}

export function orderAccounts(accounts: readonly AccountResult[]): AccountResult[] {
  return [...accounts].sort((a, b) => compare(a.account, b.account));
}
