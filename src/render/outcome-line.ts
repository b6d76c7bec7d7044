import type { Recommendation } from './recommendation.js';
import { num, pluralChange } from './text.js';

/** The one line `recommend --out` prints once the folder is written: the outcome, where, and the change in actions. */
export function renderOutcomeLine(rec: Recommendation, folder: string): string {
  const { before, after } = rec.summary;
  return `${rec.outcome}: wrote ${folder}/ (${num(before.actions)} → ${num(after.actions)} ${pluralChange(before.actions, after.actions, 'action')})`;
}
