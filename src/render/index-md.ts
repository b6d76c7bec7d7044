import { actionsRemoved, batchTotals, type BatchTotals } from '../batch/results.js';
import type { AccountResult, BatchResult, SkipReason, SubjectResult } from '../batch/types.js';
import { counted, num, pluralChange } from '../text.js';
import { cell, code, nameList } from './markdown.js';

/**
 * index.md of an account-wide run: one table over every subject (and account), for the reviewer who has 200 folders
 * to go through. Pure and deterministic (no times, no host locale): the same run gives the same bytes.
 */

/** The first line, by which a later run recognises the file as its own (src/output/ownership.ts). */
export const INDEX_FIRST_LINE = '<!-- written by leastpriv: the index of an account-wide run; a later run replaces this file only while this line is its first -->';

/** long lists of removed services stay readable in a table cell */
const CELL_LIST_LIMIT = 8;

const SKIP_TEXT: Record<SkipReason, string> = {
  'service-linked-role': 'a service-linked role: IAM refuses edits to its policies',
};

export function renderIndexMarkdown(run: BatchResult): string {
  const totals = batchTotals(run.subjects, run.accounts);
  const lines = [INDEX_FIRST_LINE, '', '# leastpriv: account-wide recommendations', ''];
  if (run.interrupted) lines.push('**Interrupted** (Ctrl-C): subjects not finished are listed as interrupted; run again to complete them.', '');
  lines.push(totalsLine(totals), '');
  if (run.subjects.length > 0) {
    const account = run.perAccount ? '| account ' : '';
    lines.push(`${account}| subject | actions | services removed | high-risk removed | outcome | folder |`);
    lines.push(`${run.perAccount ? '|---' : ''}|---|---|---|---|---|---|`);
    for (const s of run.subjects) lines.push(subjectRow(s, run.perAccount));
    lines.push('');
  }
  const accounts = run.perAccount ? run.accounts : run.accounts.filter((a) => a.status === 'failed');
  if (accounts.length > 0) {
    lines.push('## Accounts', '');
    for (const a of accounts) lines.push(`- ${accountLine(a)}`);
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** "200 subjects: 150 with reductions, 30 unchanged, 10 failed, 10 skipped; 12,000 → 3,000 actions" */
export function totalsLine(t: BatchTotals): string {
  const parts = [`${num(t.reduced)} with reductions`, `${num(t.unchanged)} unchanged`, `${num(t.failed)} failed`, `${num(t.skipped)} skipped`];
  if (t.interrupted > 0) parts.push(`${num(t.interrupted)} interrupted`);
  const accounts = t.accountsFailed > 0 ? `; ${counted(t.accountsFailed, 'account')} failed` : '';
  const actions = `${num(t.actionsBefore)} → ${num(t.actionsAfter)} ${pluralChange(t.actionsBefore, t.actionsAfter, 'action')}`;
  return `${counted(t.subjects, 'subject')}: ${parts.join(', ')}; ${actions}${accounts}`;
}

function subjectRow(s: SubjectResult, perAccount: boolean): string {
  const cells = [code(`${s.key.kind}/${s.key.name}`)];
  if (s.status === 'recommended') {
    const removed = actionsRemoved(s);
    cells.push(
      `${num(s.actionsBefore)} → ${num(s.actionsAfter)}${removed > 0 ? ` (−${num(removed)})` : ''}`,
      nameList(s.servicesRemoved, CELL_LIST_LIMIT),
      nameList(s.highRiskRemoved, CELL_LIST_LIMIT),
      s.outcome,
      `[${s.folder}/](${encodeURI(s.folder)}/)`,
    );
  } else {
    cells.push('', '', '', cell(outcomeText(s)), '');
  }
  return `${perAccount ? `| ${s.key.account} ` : ''}| ${cells.join(' | ')} |`;
}

function outcomeText(s: Exclude<SubjectResult, { status: 'recommended' }>): string {
  switch (s.status) {
    case 'failed':
      return `failed: ${s.error}`;
    case 'skipped':
      return `skipped: ${SKIP_TEXT[s.reason]}`;
    case 'collected':
      return 'collected';
    case 'interrupted':
      return 'interrupted';
  }
}

function accountLine(a: AccountResult): string {
  return a.status === 'failed' ? `${code(a.account)}: failed: ${a.error}` : `${code(a.account)}: ${a.status}`;
}
