import type { Recommendation } from './recommendation.js';
import { num } from '../text.js';

/**
 * Why the input cannot be applied as is, as one clause per document over a limit, or undefined when every input
 * fits. `quote` writes a policy name (code in markdown, quotes on a terminal).
 */
export function inputOverLimitsText(rec: Recommendation, quote: (name: string) => string): string | undefined {
  if (rec.inputOverLimits.length === 0) return undefined;
  const clauses = rec.inputOverLimits.map((f) => {
    const over = `${num(f.size)} characters, over the ${num(f.limit)}-character limit`;
    if (f.kind === 'managed-policy') return `customer-managed policy ${f.policyNames.map(quote).join(', ')} is ${over} for a managed policy`;
    // only a principal has inline policies
    const own = rec.subjectKind === 'principal' ? rec.principal.Type : 'role';
    const owner = f.group === undefined ? `the ${own}'s` : `group ${quote(f.group)}'s`;
    const type = f.group === undefined ? own : 'group';
    return `${owner} inline policies (${f.policyNames.map(quote).join(', ')}) total ${over} for a ${type}`;
  });
  return `${clauses.join('; ')} (whitespace not counted)`;
}
