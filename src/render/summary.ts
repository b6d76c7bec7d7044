import { batchTotals, type BatchTotals } from '../batch/results.js';
import type { AccountResult, BatchResult, SubjectResult } from '../batch/types.js';

/**
 * summary.json of an account-wide run (schemas/summary.schema.json): every subject and account with its status, and
 * the totals, in index.md's order. Deterministic: no times; the same run gives the same bytes.
 */

export const SUMMARY_SCHEMA_VERSION = 1 as const;
export const SUMMARY_SCHEMA_ID = 'https://github.com/leastpriv/leastpriv/schemas/summary.schema.json';
/** the field by which a later run recognises the file as its own (src/output/ownership.ts) */
export const SUMMARY_WRITTEN_BY = 'leastpriv';

export interface SummarySubject {
  readonly account: string;
  readonly kind: SubjectResult['key']['kind'];
  readonly name: string;
  readonly arn: string;
  readonly status: SubjectResult['status'];
  /** recommended: the folder written, relative to summary.json, '/'-terminated */
  readonly folder?: string;
  readonly outcome?: string;
  readonly actionsBefore?: number;
  readonly actionsAfter?: number;
  readonly servicesRemoved?: readonly string[];
  readonly highRiskRemoved?: readonly string[];
  readonly error?: string;
  readonly reason?: string;
}

export interface Summary {
  readonly $schema: typeof SUMMARY_SCHEMA_ID;
  readonly schemaVersion: typeof SUMMARY_SCHEMA_VERSION;
  readonly writtenBy: typeof SUMMARY_WRITTEN_BY;
  readonly tool: { readonly name: 'leastpriv'; readonly version: string };
  readonly perAccount: boolean;
  readonly interrupted: boolean;
  readonly totals: BatchTotals;
  readonly accounts: readonly AccountResult[];
  readonly subjects: readonly SummarySubject[];
}

export function buildSummary(run: BatchResult): Summary {
  return {
    $schema: SUMMARY_SCHEMA_ID,
    schemaVersion: SUMMARY_SCHEMA_VERSION,
    writtenBy: SUMMARY_WRITTEN_BY,
    tool: { name: 'leastpriv', version: run.toolVersion },
    perAccount: run.perAccount,
    interrupted: run.interrupted,
    totals: batchTotals(run.subjects, run.accounts),
    accounts: run.accounts.map((a) => (a.status === 'failed' ? { account: a.account, status: a.status, error: a.error } : { account: a.account, status: a.status })),
    subjects: run.subjects.map(summarySubject),
  };
}

function summarySubject(s: SubjectResult): SummarySubject {
  const head = { account: s.key.account, kind: s.key.kind, name: s.key.name, arn: s.key.arn, status: s.status };
  switch (s.status) {
    case 'recommended':
      return {
        ...head,
        folder: `${s.folder}/`,
        outcome: s.outcome,
        actionsBefore: s.actionsBefore,
        actionsAfter: s.actionsAfter,
        servicesRemoved: s.servicesRemoved,
        highRiskRemoved: s.highRiskRemoved,
      };
    case 'failed':
      return { ...head, error: s.error };
    case 'skipped':
      return { ...head, reason: s.reason };
    case 'collected':
    case 'interrupted':
      return head;
  }
}

export function renderSummaryJson(run: BatchResult): string {
  return `${JSON.stringify(buildSummary(run), null, 2)}\n`;
}
