import { inputOverLimitsText } from './input-limits.js';
import type { Recommendation } from './recommendation.js';
import { counted, num, pluralChange } from '../text.js';

/**
 * The one line `recommend --out` prints once the folder is written: the outcome, where, the change in actions, and
 * when the input is over AWS size limits, that it cannot be applied as is and why.
 */
export function renderOutcomeLine(rec: Recommendation, folder: string): string {
  const { before, after } = rec.summary;
  if (rec.subjectKind === 'organization-entity') {
    // a guardrail grants nothing: what it denies is the change
    const denied = rec.policies.flatMap((p) => p.proposed.flatMap((d) => d.document.Statement.flatMap((s) => [s.Action ?? []].flat()))).length;
    return `${rec.outcome}: wrote ${folder}/ (${denied ? `a guardrail denying ${counted(denied, 'service')}` : 'no guardrail needed'})`;
  }
  const overLimits = inputOverLimitsText(rec, (name) => JSON.stringify(name));
  return (
    `${rec.outcome}: wrote ${folder}/ (${num(before.actions)} → ${num(after.actions)} ${pluralChange(before.actions, after.actions, 'action')})` +
    (overLimits === undefined ? '' : `; the input cannot be applied as is: ${overLimits}`)
  );
}
