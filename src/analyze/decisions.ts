import type { Decision, Verdict } from './types.js';

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Folds per-action verdicts into the decisions a reviewer reads: one per service when the evidence is service-wide
 * (a whole service unused, not in the report…), one per action otherwise, one per unknown pattern. Sorted, so the
 * output is deterministic.
 */
export function collectDecisions(input: {
  verdicts: ReadonlyMap<string, Verdict>;
  unknownPatterns: ReadonlySet<string>;
  thresholdDays: number;
}): Decision[] {
  const serviceDecisions = new Map<string, Decision>();
  const actionDecisions: Decision[] = [];
  for (const [actionId, v] of input.verdicts) {
    if (v.scope === 'action') {
      actionDecisions.push({ ...v, subject: actionId, actionCount: 1 });
      continue;
    }
    const key = `${v.evidence.service}\u0000${v.reason}`;
    const existing = serviceDecisions.get(key);
    serviceDecisions.set(
      key,
      existing
        ? { ...existing, actionCount: existing.actionCount + 1 }
        : { ...v, subject: v.evidence.service, actionCount: 1 },
    );
  }
  const patternDecisions: Decision[] = [...input.unknownPatterns].sort(byString).map((pattern) => {
    const colon = pattern.indexOf(':');
    const service = (colon >= 0 ? pattern.slice(0, colon) : pattern).toLowerCase();
    return {
      verdict: 'keep',
      reason: 'unknown-action',
      scope: 'pattern',
      subject: pattern,
      actionCount: 0,
      evidence: { service, thresholdDays: input.thresholdDays },
    };
  });
  return [
    ...[...serviceDecisions.values()].sort((a, b) => byString(a.subject, b.subject) || byString(a.reason, b.reason)),
    ...actionDecisions.sort((a, b) => byString(a.subject, b.subject)),
    ...patternDecisions,
  ];
}
